import type * as Ort from 'onnxruntime-web';
import type { IRModel } from '../ir/ir.js';
import { agreement, type Agreement } from './crosscheck-tfjs.js';
import type { ReferenceModel } from './engine.js';
import { relativeDifference } from './gradcheck.js';
import type { Batch } from './random-batch.js';

/**
 * An exported ONNX model run by onnxruntime against the float64 reference engine with the same
 * weights, on the same batch, output by output. ONNX graphs are inference graphs, so the
 * reference runs at inference too (batch_norm on its moving statistics, dropout off).
 */

export interface OnnxCheckRow {
  output: string;
  line: number;
  difference: number;
  /** The largest absolute difference of one element. */
  maxError: number;
  agreement: Agreement;
}

export interface OnnxCheckReport {
  model: string;
  opset: number;
  runtime: string;
  batch: number;
  rows: OnnxCheckRow[];
  agreement: Agreement;
  /** Why onnxruntime could not run the model on this batch (every row then fails). */
  error?: string;
}

const ORDER: Agreement[] = ['pass', 'warn', 'suspect', 'fail'];

/** onnxruntime's tensors of a batch's inputs: float32 values, int32 ids. */
export function onnxFeeds(ort: typeof Ort, model: IRModel, batch: Batch): Record<string, Ort.Tensor> {
  const feeds: Record<string, Ort.Tensor> = {};
  for (const input of model.inputs) {
    const t = batch.inputs.get(input.name);
    if (!t) throw new Error(`internal: the batch has no input \`${input.name}\``);
    feeds[input.name] = input.type.dtype === 'int32' ? new ort.Tensor('int32', Int32Array.from(t.data), t.shape) : new ort.Tensor('float32', Float32Array.from(t.data), t.shape);
  }
  return feeds;
}

export async function crossCheckOnnx(
  ort: typeof Ort,
  session: Ort.InferenceSession,
  model: IRModel,
  reference: ReferenceModel,
  batch: Batch,
  details: { opset: number; runtime: string },
): Promise<OnnxCheckReport> {
  let results: Ort.InferenceSession.ReturnType;
  const batchSize = batch.inputs.values().next().value?.shape[0] ?? 0;
  try {
    results = await session.run(onnxFeeds(ort, model, batch), { logSeverityLevel: 4 });
  } catch (error) {
    // A batch the model cannot take (a window larger than an unknown size turned out to be).
    const rows = model.outputs.map((o): OnnxCheckRow => ({ output: o.name, line: o.span.start.line, difference: Number.NaN, maxError: Number.NaN, agreement: 'fail' }));
    const message = (error instanceof Error ? error.message : String(error)).replace(/^.*ERROR_MESSAGE: /s, '');
    return { model: model.name, opset: details.opset, runtime: details.runtime, batch: batchSize, rows, agreement: 'fail', error: message };
  }
  const expected = reference.forward(batch.inputs, { training: false, dropout: false }).outputs;
  const rows = model.outputs.map((output): OnnxCheckRow => {
    const actual = results[output.name]?.data as Float32Array | undefined;
    const want = expected.get(output.name)!;
    if (!actual || actual.length !== want.data.length) {
      return { output: output.name, line: output.span.start.line, difference: Number.NaN, maxError: Number.NaN, agreement: 'fail' };
    }
    let maxError = 0;
    for (let i = 0; i < actual.length; i++) maxError = Math.max(maxError, Math.abs(actual[i]! - want.data[i]!));
    const difference = relativeDifference(actual, want.data);
    return { output: output.name, line: output.span.start.line, difference, maxError: Number.isNaN(difference) ? Number.NaN : maxError, agreement: agreement(difference) };
  });
  const worst = rows.reduce((w, r) => Math.max(w, ORDER.indexOf(r.agreement)), 0);
  return { model: model.name, opset: details.opset, runtime: details.runtime, batch: batchSize, rows, agreement: ORDER[worst]! };
}
