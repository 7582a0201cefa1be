import { outputLosses } from '../codegen/tfjs/output-losses.js';
import type { IRModel } from '../ir/ir.js';
import { agreement, compare, FLOAT32_ROUNDOFF, gradientFlows, norm, ROUNDING_GROWTH, type Agreement, type CrossCheckReport, type CrossCheckRow } from './crosscheck-tfjs.js';
import type { ReferenceModel } from './engine.js';
import type { Batch } from './random-batch.js';
import type { Tensor64 } from './tensor.js';

/**
 * The generated PyTorch module against the float64 engine: the same weights and batch, outputs,
 * loss and the gradient of every trainable weight, once in float64 and once in float32. Building
 * the job and reading its result are here (browser-safe); running Python is the CLI's business
 * (src/cli/python.ts), which hands back what src/codegen/torch/python/runner.py printed.
 */

export type TorchDType = 'float64' | 'float32';

/** A tensor for the runner: a flat list in row-major order. */
export interface JobTensor {
  shape: number[];
  data: number[];
  dtype?: 'int32';
}

export interface GradientCase {
  id: string;
  kind: 'gradients';
  dtypes: TorchDType[];
  /** Training mode (batch statistics), as gradient checks run; false: inference. */
  training: boolean;
  weights: Record<string, JobTensor>;
  inputs: JobTensor[];
  targets: JobTensor[];
}

/** What the runner computed for one dtype. */
export interface GradientResult {
  outputs: Array<Array<number | string>>;
  loss: number;
  perOutput: number[];
  gradients: Record<string, Array<number | string> | null>;
  /** d loss / d input for each float input (null for ids, and where none flowed). */
  inputGradients: Array<Array<number | string> | null>;
}

export interface RunnerResult<T> {
  id: string;
  dtypes?: Partial<Record<TorchDType, T>>;
  error?: string;
}

const toJob = (t: Tensor64, dtype?: 'int32'): JobTensor => ({ shape: [...t.shape], data: Array.from(t.data), ...(dtype ? { dtype } : {}) });

/** The reference engine's weights under nnc's names, for load_nnc_weights. */
export function jobWeights(model: IRModel, reference: ReferenceModel): Record<string, JobTensor> {
  const weights: Record<string, JobTensor> = {};
  for (const layer of model.layers) {
    layer.weights.forEach((w, i) => (weights[`${layer.id}/${w.name}`] = toJob(reference.params.get(layer.id)![i]!)));
  }
  return weights;
}

/** The batch as train.py feeds it: inputs in the model's order, targets of sparse losses as one-hot rows. */
export function jobBatch(model: IRModel, batch: Batch): { inputs: JobTensor[]; targets: JobTensor[] } {
  const losses = outputLosses(model, model.train!);
  return {
    inputs: model.inputs.map((input) => toJob(batch.inputs.get(input.name)!, input.type.dtype === 'int32' ? 'int32' : undefined)),
    targets: model.outputs.map((output, i) => {
      const target = batch.targets.get(output.name)!;
      const oneHot = losses[i]!.oneHot;
      if (!oneHot) return toJob(target);
      const data = new Array<number>(target.data.length * oneHot.classes).fill(0);
      target.data.forEach((id, row) => {
        if (id >= 0 && id < oneHot.classes) data[row * oneHot.classes + Math.floor(id)] = 1;
      });
      return { shape: [...target.shape.slice(0, -1), oneHot.classes], data };
    }),
  };
}

export function gradientCase(id: string, model: IRModel, reference: ReferenceModel, batch: Batch, options: { dtypes?: TorchDType[]; training?: boolean } = {}): GradientCase {
  const { dtypes = ['float64', 'float32'], training = true } = options;
  return { id, kind: 'gradients', dtypes, training, weights: jobWeights(model, reference), ...jobBatch(model, batch) };
}

/** float64 against float64, normwise: ≤ 1e-10 pass, ≤ 1e-8 warn, ≤ 1e-6 suspect, above that fail. */
export function agreement64(difference: number): Agreement {
  if (!(difference <= 1e-6)) return 'fail';
  if (difference <= 1e-10) return 'pass';
  return difference <= 1e-8 ? 'warn' : 'suspect';
}

const ORDER: Agreement[] = ['pass', 'warn', 'suspect', 'fail'];

/** A runner's number: JSON has no NaN or infinities, which it sends as their Python names. */
export function numberOf(value: number | string): number {
  if (typeof value === 'number') return value;
  return value === 'inf' ? Infinity : value === '-inf' ? -Infinity : NaN;
}

/**
 * The rows of one dtype's comparison, as `--against tfjs` has them: each output's value, then the
 * gradient of every trainable weight in the model's order, each judged beyond the rounding its
 * precision leaves (float32's roundoff or float64's, times the magnitudes that flow into it).
 */
export function compareTorch(model: IRModel, reference: ReferenceModel, batch: Batch, result: GradientResult, dtype: TorchDType, backend: string, training = true): CrossCheckReport {
  const grade = dtype === 'float64' ? agreement64 : agreement;
  const roundoff = ROUNDING_GROWTH * (dtype === 'float64' ? 2 ** -53 : FLOAT32_ROUNDOFF);
  const options = { training, dropout: false };
  const forward = reference.forward(batch.inputs, options);
  const expected = reference.gradients(batch.inputs, batch.targets, options);
  const flows = gradientFlows(model, reference, forward, batch);
  const rows: CrossCheckRow[] = [];
  model.outputs.forEach((output, i) => {
    const values = forward.outputs.get(output.name)!.data;
    rows.push({ name: `output ${output.name}`, kind: 'output', line: output.span.start.line, ...compare(result.outputs[i]!.map(numberOf), values, roundoff * norm(values), grade) });
  });
  for (const layer of model.layers) {
    layer.weights.forEach((weight, i) => {
      if (!weight.trainable) return;
      const name = `${layer.id}/${weight.name}`;
      const ours = expected.weights.get(layer.id)![i]!.data;
      const theirs = result.gradients[name];
      // No gradient reached the weight in torch: it is zero there.
      const computed = theirs ? theirs.map(numberOf) : new Array<number>(ours.length).fill(0);
      rows.push({ name, kind: 'gradient', line: layer.span.start.line, ...compare(computed, ours, roundoff * flows.get(layer.id)!, grade) });
    });
  }
  const worst = rows.reduce((w, r) => Math.max(w, ORDER.indexOf(r.agreement)), 0);
  return { model: model.name, backend, engine: 'PyTorch', precision: dtype, loss: { reference: expected.total, tfjs: result.loss }, rows, agreement: ORDER[worst]! };
}
