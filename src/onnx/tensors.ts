import type { DType } from '../ir/ir.js';
import type { OnnxDim } from '../registry/onnx.js';
import { TensorProto_DataType, type TensorProto, type TypeProto, type ValueInfoProto } from './proto/onnx.js';

/** ONNX's element type of an IR dtype. */
export function elementType(dtype: DType): number {
  return dtype === 'int32' ? TensorProto_DataType.INT32 : TensorProto_DataType.FLOAT;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Little-endian float32 bytes, ONNX's raw_data layout whatever the machine's byte order. */
export function float32Bytes(values: ArrayLike<number>): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(Float32Array.from(values).buffer);
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return bytes;
}

export function float32Values(bytes: Uint8Array): Float32Array {
  if (LITTLE_ENDIAN) {
    // A copy: `bytes` may be a view into a larger buffer (Node's Buffer slices share a pool).
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return new Float32Array(copy.buffer);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

export function floatTensor(name: string, dims: readonly number[], values: ArrayLike<number>, docString?: string): TensorProto {
  return {
    name,
    dims: [...dims],
    data_type: TensorProto_DataType.FLOAT,
    raw_data: float32Bytes(values),
    ...(docString !== undefined ? { doc_string: docString } : {}),
  };
}

export function int64Tensor(name: string, values: readonly number[]): TensorProto {
  return { name, dims: [values.length], data_type: TensorProto_DataType.INT64, int64_data: [...values] };
}

export function tensorType(dtype: DType, dims: readonly OnnxDim[]): TypeProto {
  const dim = dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
  return { tensor_type: { elem_type: elementType(dtype), shape: { dim } } };
}

export function valueInfo(name: string, dtype: DType, dims: readonly OnnxDim[], docString?: string): ValueInfoProto {
  return { name, type: tensorType(dtype, dims), ...(docString !== undefined ? { doc_string: docString } : {}) };
}
