import { beforeAll, describe, expect, test } from 'vitest';
import { Random } from '../../../src/reference/random.js';
import type { Tensor64 } from '../../../src/reference/tensor.js';
import { registry } from '../../../src/registry/registry.js';
import { cpu, evaluate, tf } from '../../ops/tfjs.js';
import { closeness, compareGradients, randomTensor, recordingContext, toFloat32 } from './support.js';

/**
 * Each loss's float64 per-sample values against the tfjs expression the generated code uses,
 * and its gradient d(Σ samples)/dPrediction against central differences. Predictions of rank 3
 * check the averaging over positions; some probabilities sit outside tfjs's clip range.
 */

beforeAll(async () => {
  await cpu();
});

interface LossCase {
  loss: string;
  label: string;
  target: Tensor64;
  prediction: Tensor64;
}

const random = new Random(17);
const normal = (shape: number[], scale = 1) => randomTensor(shape, random, (r) => scale * r.normal());
const uniform = (shape: number[], min: number, max: number) => randomTensor(shape, random, (r) => min + (max - min) * r.uniform());
const ids = (shape: number[], classes: number) => randomTensor(shape, random, (r) => Math.floor(r.uniform() * classes));
const bits = (shape: number[]) => randomTensor(shape, random, (r) => (r.uniform() < 0.5 ? 0 : 1));
function oneHotRows(shape: number[]): Tensor64 {
  const n = shape[shape.length - 1]!;
  const t = { shape, data: new Float64Array(shape.reduce((a, b) => a * b, 1)) };
  for (let row = 0; row < t.data.length / n; row++) t.data[row * n + Math.floor(random.uniform() * n)] = 1;
  return t;
}
/** Sets some entries (flat indices) of a tensor. */
function withValues(t: Tensor64, values: Record<number, number>): Tensor64 {
  for (const [i, v] of Object.entries(values)) t.data[Number(i)] = v;
  return t;
}

const CASES: LossCase[] = [
  { loss: 'mse', label: '[4, 3]', target: normal([4, 3]), prediction: normal([4, 3], 1.5) },
  { loss: 'mse', label: '[2, 3, 2]', target: normal([2, 3, 2]), prediction: normal([2, 3, 2], 1.5) },
  { loss: 'mae', label: '[4, 3]', target: normal([4, 3]), prediction: normal([4, 3], 1.5) },
  { loss: 'mae', label: '[2, 3, 2]', target: normal([2, 3, 2]), prediction: normal([2, 3, 2], 1.5) },
  // Differences on both sides of delta = 1.
  { loss: 'huber', label: '[4, 3]', target: normal([4, 3]), prediction: normal([4, 3], 1.5) },
  { loss: 'huber', label: '[2, 3, 2]', target: normal([2, 3, 2]), prediction: normal([2, 3, 2], 1.5) },
  { loss: 'binary_crossentropy', label: '[4, 3]', target: bits([4, 3]), prediction: uniform([4, 3], 0.05, 0.95) },
  { loss: 'binary_crossentropy', label: 'soft targets [2, 3, 2]', target: uniform([2, 3, 2], 0, 1), prediction: uniform([2, 3, 2], 0.05, 0.95) },
  {
    loss: 'binary_crossentropy',
    label: 'outside the clip range',
    target: bits([2, 3]),
    // Far enough outside that the ±ε probes stay clipped: their derivative is 0.
    prediction: withValues(uniform([2, 3], 0.1, 0.9), { 0: -0.001, 2: 1.001, 4: 1 + 1e-5 }),
  },
  { loss: 'categorical_crossentropy', label: 'one-hot [4, 5]', target: oneHotRows([4, 5]), prediction: uniform([4, 5], 0.1, 1) },
  { loss: 'categorical_crossentropy', label: 'soft [2, 3, 4]', target: uniform([2, 3, 4], 0, 1), prediction: uniform([2, 3, 4], 0.1, 1) },
  {
    loss: 'categorical_crossentropy',
    label: 'outside the clip range',
    target: uniform([2, 3], 0, 1),
    prediction: withValues(uniform([2, 3], 0.2, 1), { 1: -0.001 }),
  },
  { loss: 'sparse_categorical_crossentropy', label: 'ids [4]', target: ids([4], 5), prediction: uniform([4, 5], 0.1, 1) },
  { loss: 'sparse_categorical_crossentropy', label: 'ids [4, 1]', target: ids([4, 1], 3), prediction: uniform([4, 3], 0.1, 1) },
  { loss: 'sparse_categorical_crossentropy', label: 'ids [2, 3] for [2, 3, 4]', target: ids([2, 3], 4), prediction: uniform([2, 3, 4], 0.1, 1) },
];

const name = (c: LossCase) => `${c.loss} ${c.label}`;

test('every registered loss has cases here', () => {
  expect(new Set(CASES.map((c) => c.loss))).toEqual(new Set(registry.allLosses().map((d) => d.name)));
});

describe('loss gradients match central differences', () => {
  test.each(CASES.map((c) => [name(c), c] as const))('%s', (_name, c) => {
    const def = registry.loss(c.loss)!;
    const analytic = def.reference.gradient(c.target, c.prediction);
    expect(analytic.shape).toEqual(c.prediction.shape);
    const [check] = compareGradients([{ name: 'prediction', tensor: c.prediction, analytic }], () => {
      const ctx = recordingContext();
      return { value: def.reference.perSample(c.target, c.prediction, ctx).reduce((a, b) => a + b, 0), records: ctx.records };
    });
    expect(check!.relativeError).toBeLessThanOrEqual(1e-7);
    expect(check!.skipped).toBe(0);
    expect(check!.numericNorm).toBeGreaterThan(1e-3);
  });

  test('clipped probabilities get no gradient, as through tfjs clipByValue', () => {
    const target = { shape: [1, 3], data: Float64Array.from([1, 0, 1]) };
    const prediction = { shape: [1, 3], data: Float64Array.from([0, 1, 0.5]) };
    const def = registry.loss('binary_crossentropy')!;
    const grad = def.reference.gradient(target, prediction);
    expect(Array.from(grad.data.subarray(0, 2))).toEqual([0, 0]);
    expect(grad.data[2]).toBeCloseTo(-2 / 3, 12);
    // The bounds are tfjs's float32 ones, 1e-7 and 1 - 1e-7 rounded: 1 - c is then 2⁻²³, not 1e-7.
    const [loss] = def.reference.perSample(target, prediction, recordingContext());
    expect(loss).toBeCloseTo((-Math.log(Math.fround(1e-7)) - Math.log(2 ** -23) + Math.log(2)) / 3, 10);
  });
});

describe('per-sample losses match tfjs', () => {
  test.each(CASES.map((c) => [name(c), c] as const))('%s', (_name, c) => {
    const def = registry.loss(c.loss)!;
    toFloat32(c.target);
    toFloat32(c.prediction);
    const ours = def.reference.perSample(c.target, c.prediction, recordingContext());
    expect(ours.length).toBe(c.prediction.shape[0]);
    const fn = evaluate<(yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor>(def.tfjs);
    const theirs = tf.tidy(() => {
      const values = fn(tf.tensor(Float32Array.from(c.target.data), c.target.shape), tf.tensor(Float32Array.from(c.prediction.data), c.prediction.shape));
      // tfjs reduces the last axis; training then averages what is left, sample by sample here.
      return values.rank > 1
        ? tf.mean(
            values,
            values.shape.slice(1).map((_, i) => i + 1),
          )
        : values;
    });
    expect(closeness(ours, theirs.dataSync(), 1e-5, 1e-6)).toBeLessThanOrEqual(1);
    theirs.dispose();
  });
});

describe("gradients at kinks follow tfjs's conventions", () => {
  test("mae where prediction equals target: |x|' = -1 at 0 (tfjs: step(x, -1))", () => {
    const target = { shape: [1, 2], data: Float64Array.from([0.5, 0.5]) };
    const prediction = { shape: [1, 2], data: Float64Array.from([0.5, 1]) };
    const ours = registry.loss('mae')!.reference.gradient(target, prediction);
    const theirs = tf.grad((p: tf.Tensor) => tf.sum(tf.metrics.meanAbsoluteError(tf.tensor(Array.from(target.data), target.shape), p)))(
      tf.tensor(Array.from(prediction.data), prediction.shape),
    );
    expect(Array.from(ours.data)).toEqual(Array.from(theirs.dataSync()));
    expect(Array.from(ours.data)).toEqual([-0.5, 0.5]);
  });
});
