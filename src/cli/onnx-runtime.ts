import type * as Ort from 'onnxruntime-web';
import type { IRModel } from '../ir/ir.js';
import type { OnnxCheckReport } from '../reference/crosscheck-onnx.js';
import type { Batch } from '../reference/random-batch.js';
import type { WeightValues } from '../onnx/graph-builder.js';

/**
 * onnxruntime in Node: the web package's WebAssembly build, which needs no native install. One
 * thread: the check is small, and worker threads would outlive the command's output.
 */
export async function loadOnnxRuntime(): Promise<{ ort: typeof Ort; runtime: string }> {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  // Failures come back as errors, reported in nnc's words; onnxruntime's own log would repeat them.
  ort.env.logLevel = 'fatal';
  return { ort, runtime: `onnxruntime-web ${ort.env.versions.web ?? ort.env.versions.common} (wasm)` };
}

/**
 * Runs exported ONNX bytes in onnxruntime and compares each output with the float64 reference
 * engine holding `weights` (rounded to float32, as the export wrote them), on `batch`.
 */
export async function verifyOnnx(bytes: Uint8Array, model: IRModel, weights: WeightValues, batch: Batch, opset: number): Promise<OnnxCheckReport> {
  const { ort, runtime } = await loadOnnxRuntime();
  const { ReferenceModel } = await import('../reference/engine.js');
  const { crossCheckOnnx } = await import('../reference/crosscheck-onnx.js');
  const reference = new ReferenceModel(model);
  reference.importWeights(model.layers.flatMap((layer) => layer.weights.map((w, i) => {
    const values = weights.get(layer.id)![i]!;
    return { name: `${layer.id}/${w.name}`, shape: [...values.shape], data: Float64Array.from(values.data, Math.fround) };
  })));
  const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 4 });
  try {
    return await crossCheckOnnx(ort, session, model, reference, batch, { opset, runtime });
  } finally {
    await session.release();
  }
}
