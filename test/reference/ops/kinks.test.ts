import { beforeAll, describe, expect, test } from 'vitest';
import type { Attrs } from '../../../src/ir/ir.js';
import { Random } from '../../../src/reference/random.js';
import type { Tensor64 } from '../../../src/reference/tensor.js';
import { emitContext, f32, infer, irLayer, op } from '../../ops/contexts.js';
import { applyEmitted, cpu, tf } from '../../ops/tfjs.js';
import { closeness, randomTensor, recordingContext, toFloat32 } from './support.js';

/**
 * Gradients where central differences cannot look: at the kinks themselves. The reference
 * must take tfjs's side there (relu'(0) = 0, leaky_relu'(0) = alpha, elu'(0) = alpha,
 * selu'(0) = scale · alpha, the first of tied maxima), so each op's backward is compared with
 * tf.grad through the op's own emitted layers, at inputs that sit exactly on the kinks.
 */

beforeAll(async () => {
  await cpu();
});

let counter = 0;

/** d(Σ y · w)/dx through the emitted layers, and through the reference. */
function bothGradients(opName: string, inputs: Tensor64[], given: Record<string, unknown> = {}) {
  const types = inputs.map((t) => f32(...t.shape.slice(1)));
  const { attrs } = infer(opName, types, given as Attrs);
  const name = `kink_${counter++}`;
  const { layers } = applyEmitted(
    op(opName).emitTfjs(irLayer(opName, attrs, []), emitContext(name, types)),
    types.map((t) => t.shape),
  );
  const reference = op(opName).reference;
  const output = reference.forward({ inputs, weights: [], attrs }, recordingContext());
  const w = toFloat32(randomTensor([...output.shape], new Random(3)));
  const ours = reference.backward({ inputs, weights: [], attrs, output, gradOutput: w }, recordingContext()).inputs;
  const theirs = tf.grads((...xs: tf.Tensor[]) => {
    let value: tf.Tensor | tf.Tensor[] = xs.length === 1 ? xs[0]! : xs;
    for (const layer of layers) value = layer.apply(value) as tf.Tensor;
    return tf.sum(tf.mul(value as tf.Tensor, tf.tensor(Array.from(w.data), w.shape)));
  })(inputs.map((t) => tf.tensor(Array.from(t.data), t.shape)));
  return { ours, theirs: theirs.map((t) => t.dataSync()) };
}

/** As a plain array with -0 as 0 (tfjs's dy · 0 keeps the sign of dy). */
const values = (xs: ArrayLike<number>): number[] => Array.from(xs, (v) => v + 0);

const onKinks: Tensor64 = { shape: [2, 4], data: Float64Array.from([-1.5, -0.25, 0, 0, 0.25, 1.5, 0, -3]) };

describe("activation gradients at 0 are tfjs's", () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['relu', {}],
    ['leaky_relu', {}],
    ['leaky_relu', { alpha: 0.2 }],
    ['elu', {}],
    ['elu', { alpha: 0.5 }],
    ['selu', {}],
    ['softplus', {}],
    ['gelu', {}],
    ['swish', {}],
    ['sigmoid', {}],
    ['tanh', {}],
    ['softmax', {}],
    ['linear', {}],
  ];
  test.each(cases)('%s %j', (name, given) => {
    const { ours, theirs } = bothGradients(name, [onKinks], given);
    expect(closeness(ours[0]!.data, theirs[0]!, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
  });
});

describe('ties go where tfjs sends them', () => {
  test.each(['maximum', 'minimum'])('%s: the first of equal inputs', (name) => {
    const a: Tensor64 = { shape: [1, 3], data: Float64Array.from([1, 2, 3]) };
    const b: Tensor64 = { shape: [1, 3], data: Float64Array.from([1, 5, 3]) };
    const c: Tensor64 = { shape: [1, 3], data: Float64Array.from([1, 5, -3]) };
    const { ours, theirs } = bothGradients(name, [a, b, c]);
    ours.forEach((g, i) => expect(values(g.data)).toEqual(values(theirs[i]!)));
  });

  test('max_pool2d: the first maximum in the window, row by row', () => {
    const x: Tensor64 = { shape: [1, 2, 4, 1], data: Float64Array.from([1, 7, 7, 2, 7, 0, 3, 7]) };
    const { ours, theirs } = bothGradients('max_pool2d', [x], { pool: [2, 2] });
    expect(values(ours[0]!.data)).toEqual(values(theirs[0]!));
    expect(Array.from(ours[0]!.data, (v) => (v === 0 ? 0 : 1))).toEqual([0, 1, 1, 0, 0, 0, 0, 0]);
  });
});
