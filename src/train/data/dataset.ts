/** Samples as flat typed arrays, one per model input and output, the batch first. */
export interface TensorData {
  /** Per sample: the batch dimension is not included. */
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

export interface Dataset {
  size: number;
  /** In the model's input order. */
  inputs: TensorData[];
  /** In the model's output order; class labels already one-hot. */
  targets: TensorData[];
}

const perSample = (t: TensorData): number => t.shape.reduce((a, b) => a * b, 1);

function slice(t: TensorData, from: number, to: number): TensorData {
  const k = perSample(t);
  return { shape: t.shape, dtype: t.dtype, data: t.data.slice(from * k, to * k) };
}

/** Keras's validation split: the last `fraction` of the samples, in file order, before any shuffling. */
export function splitDataset(data: Dataset, fraction: number): { train: Dataset; validation: Dataset | null } {
  if (fraction <= 0) return { train: data, validation: null };
  const at = Math.floor(data.size * (1 - fraction));
  const part = (from: number, to: number): Dataset => ({
    size: to - from,
    inputs: data.inputs.map((t) => slice(t, from, to)),
    targets: data.targets.map((t) => slice(t, from, to)),
  });
  return { train: part(0, at), validation: at < data.size ? part(at, data.size) : null };
}

/** The rows `indices[from..to)` of one tensor, copied into a new array: one batch. */
export function gatherRows(t: TensorData, indices: ArrayLike<number>, from: number, to: number): Float32Array | Int32Array {
  const k = perSample(t);
  const out = t.dtype === 'int32' ? new Int32Array((to - from) * k) : new Float32Array((to - from) * k);
  for (let r = from; r < to; r++) {
    const start = indices[r]! * k;
    out.set(t.data.subarray(start, start + k), (r - from) * k);
  }
  return out;
}
