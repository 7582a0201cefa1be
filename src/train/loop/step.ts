import type * as TF from '@tensorflow/tfjs';
import type { CompiledParts } from './compiled.js';

/**
 * The scalars one forward pass yields, as one tensor so that a single read brings them all:
 * [total loss, gradient check, each output's loss (several outputs only), each metric].
 */
function lossAndMetrics(tf: typeof TF, parts: CompiledParts, ys: TF.Tensor[], predictions: TF.Tensor | TF.Tensor[]): { total: TF.Scalar; extras: TF.Scalar[] } {
  const preds = Array.isArray(predictions) ? predictions : [predictions];
  const perOutput = parts.losses.map((fn, i) => tf.mean(fn(ys[i]!, preds[i]!)) as TF.Scalar);
  const total = perOutput.length === 1 ? perOutput[0]! : (tf.addN(perOutput) as TF.Scalar);
  const metrics = parts.metrics.map((m) => tf.mean(m.fn(ys[m.output]!, preds[m.output]!)) as TF.Scalar);
  return { total, extras: [...(perOutput.length > 1 ? perOutput : []), ...metrics] };
}

export interface StepResult {
  /** [loss, gradient check, per-output losses..., metrics...]; the check is finite when every gradient is. */
  values: Float64Array;
  /** The gradients, kept until the caller has read `values` and decided to apply or inspect them. */
  grads: TF.NamedTensorMap;
}

/**
 * One step's forward and backward pass, without the update. The gradient check is the sum of
 * every gradient's elements: finite when they all are, NaN or infinite as soon as one is not (a
 * sum that overflows also trips it, so the caller looks closer before calling it a divergence).
 * It rides in the same read as the loss: checking every batch costs one reduction per weight tensor.
 */
export async function computeStep(tf: typeof TF, model: TF.LayersModel, parts: CompiledParts, xs: TF.Tensor[], ys: TF.Tensor[]): Promise<StepResult> {
  let extras: TF.Scalar[] = [];
  const { value, grads } = parts.optimizer.computeGradients(() => {
    const result = lossAndMetrics(tf, parts, ys, model.apply(xs, { training: true }) as TF.Tensor | TF.Tensor[]);
    extras = result.extras.map((t) => tf.keep(t));
    return result.total;
  }, parts.variables);
  const sums = tf.tidy(() => Object.values(grads).map((g) => tf.sum(g)));
  const stats = tf.stack([value, ...extras, ...sums]);
  tf.dispose([value, ...extras, ...sums]);
  const read = await stats.data();
  stats.dispose();
  // The check is the sum of the per-tensor sums: one non-finite one makes it non-finite.
  const count = 1 + extras.length;
  let check = 0;
  for (let i = count; i < read.length; i++) check += read[i]!;
  const values = new Float64Array(count + 1);
  values[0] = read[0]!;
  values[1] = check;
  values.set(read.subarray(1, count), 2);
  return { values, grads };
}

/** The same scalars on held-out data, in inference mode, without gradients (the check slot is 0). */
export async function evaluateBatch(tf: typeof TF, model: TF.LayersModel, parts: CompiledParts, xs: TF.Tensor[], ys: TF.Tensor[]): Promise<Float32Array | Int32Array | Uint8Array> {
  const stats = tf.tidy(() => {
    const { total, extras } = lossAndMetrics(tf, parts, ys, model.apply(xs, { training: false }) as TF.Tensor | TF.Tensor[]);
    return tf.stack([total, tf.scalar(0), ...extras]);
  });
  const values = await stats.data();
  stats.dispose();
  return values;
}

/** The weights whose gradient has a NaN or an infinity, by layer weight name, in model order. */
export function nonFiniteGradients(tf: typeof TF, parts: CompiledParts, grads: TF.NamedTensorMap): Array<{ weight: string; kind: 'NaN' | 'Inf' }> {
  const found: Array<{ weight: string; kind: 'NaN' | 'Inf' }> = [];
  for (const variable of parts.variables) {
    const g = grads[variable.name];
    if (!g) continue;
    const [nan, inf] = tf.tidy(() => [tf.any(tf.isNaN(g)), tf.any(tf.isInf(g))]).map((t) => {
      const v = t.dataSync()[0] === 1;
      t.dispose();
      return v;
    });
    if (nan || inf) found.push({ weight: parts.weightNames.get(variable.name) ?? variable.name, kind: nan ? 'NaN' : 'Inf' });
  }
  return found;
}
