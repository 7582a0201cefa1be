import * as ort from 'onnxruntime-web';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { nodeIO } from '../../src/cli/node-io.js';
import type { IRModel } from '../../src/ir/ir.js';
import type { WeightValues } from '../../src/onnx/graph-builder.js';
import { buildOnnxModel, encodeOnnx } from '../../src/onnx/export-model.js';
import type { ModelProto } from '../../src/onnx/proto/onnx.js';
import { onnxFeeds } from '../../src/reference/crosscheck-onnx.js';
import type { Batch } from '../../src/reference/random-batch.js';

/** onnxruntime-web's wasm build in this process, on one thread (as the CLI runs it). */
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';
export { ort };

export interface Exported {
  proto: ModelProto;
  bytes: Uint8Array;
}

export function exportModel(model: IRModel, opset: number, weights: WeightValues): Exported {
  const proto = buildOnnxModel(model, { opset, weights, source: { filename: 'model.nn' } });
  return { proto, bytes: encodeOnnx(proto) };
}

/** Runs an exported model on a batch and returns every output's float32 values. */
export async function runOnnx(bytes: Uint8Array, model: IRModel, batch: Batch): Promise<Map<string, Float32Array>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const results = await session.run(onnxFeeds(ort, model, batch));
    return new Map(model.outputs.map((o) => [o.name, results[o.name]!.data as Float32Array]));
  } finally {
    await session.release();
  }
}

/** Weights rounded to float32, as the exported model holds them, for a float64 reference of exactly that model. */
export function float32Weights(params: ReadonlyMap<string, ReadonlyArray<{ shape: readonly number[]; data: ArrayLike<number> }>>): Map<string, Array<{ shape: number[]; data: Float64Array }>> {
  return new Map([...params].map(([id, ws]) => [id, ws.map((w) => ({ shape: [...w.shape], data: Float64Array.from(w.data, Math.fround) }))]));
}

/** The ONNX operators of a model, in order. */
export function opTypes(proto: ModelProto): string[] {
  return (proto.graph?.node ?? []).map((n) => n.op_type!);
}

/** The real file system with stdout and stderr captured: the CLI exactly as a user runs it. */
export function capturingNodeIO(): { io: CliIO; stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  const io: CliIO = { ...nodeIO(), stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTTY: false, env: {} };
  return { io, stdout: () => out, stderr: () => err };
}

/** Runs `nnc ARGV` in this process on the real file system. */
export async function nnc(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const capture = capturingNodeIO();
  const code = await main(argv, capture.io);
  return { code, out: capture.stdout(), err: capture.stderr() };
}
