import type { IRModel } from '../ir/ir.js';
import type { OnnxCheckReport } from '../reference/crosscheck-onnx.js';
import type { Batch } from '../reference/random-batch.js';

/**
 * `nnc gradcheck --against onnx`: the model exported with the weights the gradient check used
 * (the reference engine's, from `--seed`), run in onnxruntime on the same batch and compared
 * output by output with the float64 engine. An ONNX graph has no gradients to compare.
 */
export async function againstOnnx(model: IRModel, options: { seed: number; batch: number; data: Batch | undefined; opset: number }): Promise<{ report: OnnxCheckReport; table: string }> {
  const { ReferenceModel } = await import('../reference/engine.js');
  const { randomBatch } = await import('../reference/random-batch.js');
  const { buildOnnxModel, encodeOnnx } = await import('../onnx/export-model.js');
  const { verifyOnnx } = await import('./onnx-runtime.js');
  const { renderOnnxCheckTable } = await import('../format/onnx-check-table.js');
  const weights = new ReferenceModel(model, options.seed).params;
  const bytes = encodeOnnx(buildOnnxModel(model, { opset: options.opset, weights }));
  const report = await verifyOnnx(bytes, model, weights, options.data ?? randomBatch(model, options.batch, options.seed), options.opset);
  return { report, table: renderOnnxCheckTable(report) };
}
