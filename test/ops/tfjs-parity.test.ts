import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import type { AttrValue, TensorType } from '../../src/ir/ir.js';
import { emitContext, f32, i32, infer, irLayer, op } from './contexts.js';
import { applyEmitted, cpu, tf } from './tfjs.js';

/**
 * Our shape rules and weights against tfjs itself: each op's emitted layers are built and
 * applied to symbolic inputs, and tfjs's output shape, parameter count and weights (names,
 * shapes, order, trainability) must be what the op predicted.
 */

beforeAll(async () => {
  await cpu();
});

let counter = 0;

function compare(opName: string, inputs: TensorType[], given: Record<string, AttrValue>) {
  const { type, weights, attrs, reports } = infer(opName, inputs, given);
  // W4008 (tfjs's avg_pool2d gradient at the padding) is about training, not about these shapes.
  expect(reports.filter((r) => r.key !== 'backendGradient')).toEqual([]);
  const name = `${opName}_${counter++}`;
  const layers = op(opName).emitTfjs(irLayer(opName, attrs, weights), emitContext(name, inputs, '7'));
  const { output, model } = applyEmitted(layers, inputs.map((t) => t.shape), inputs.map((t) => t.dtype));
  expect(output.shape).toEqual([null, ...type!.shape]);
  const main = model.getLayer(name);
  expect(main.weights.map((w) => [w.originalName.slice(name.length + 1), w.shape, w.trainable])).toEqual(
    weights.map((w) => [w.name, w.shape, w.trainable]),
  );
  expect(model.countParams()).toBe(weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0));
}

const image = fc.record({
  h: fc.integer({ min: 1, max: 40 }),
  w: fc.integer({ min: 1, max: 40 }),
  c: fc.integer({ min: 1, max: 5 }),
  kh: fc.integer({ min: 1, max: 7 }),
  kw: fc.integer({ min: 1, max: 7 }),
  sh: fc.integer({ min: 1, max: 4 }),
  sw: fc.integer({ min: 1, max: 4 }),
  padding: fc.constantFrom('valid', 'same'),
});

describe('window output sizes match tfjs', () => {
  test('conv2d over random configurations', () => {
    fc.assert(
      fc.property(image, fc.integer({ min: 1, max: 8 }), fc.boolean(), ({ h, w, c, kh, kw, sh, sw, padding }, filters, bias) => {
        const given = { filters, kernel: [kh, kw], strides: [sh, sw], padding, bias };
        const { type, reports } = infer('conv2d', [f32(h, w, c)], given);
        if (!type) {
          expect(reports.map((r) => r.code)).toEqual(['E4004']);
          expect(padding).toBe('valid');
          expect(h < kh || w < kw).toBe(true);
          return;
        }
        compare('conv2d', [f32(h, w, c)], given);
      }),
      { seed: 20240601, numRuns: 150 },
    );
  });

  test.each(['max_pool2d', 'avg_pool2d'])('%s over random configurations', (name) => {
    fc.assert(
      fc.property(image, ({ h, w, c, kh, kw, sh, sw, padding }) => {
        const given = { pool: [kh, kw], strides: [sh, sw], padding };
        const { type } = infer(name, [f32(h, w, c)], given);
        if (type) compare(name, [f32(h, w, c)], given);
        else expect(padding === 'valid' && (h < kh || w < kw)).toBe(true);
      }),
      { seed: 7, numRuns: 100 },
    );
  });
});

describe('other ops match tfjs', () => {
  const cases: Array<[string, TensorType[], Record<string, AttrValue>]> = [
    ['conv2d', [f32(12, 9, 3)], { filters: 4, kernel: 3, activation: 'relu' }],
    ['conv2d', [f32(12, 9, 3)], { filters: 4, kernel: 3, activation: { name: 'leaky_relu', params: { alpha: 0.2 } } }],
    ['max_pool2d', [f32(8, 8, 2)], {}],
    ['global_avg_pool2d', [f32(5, 6, 7)], {}],
    ['global_max_pool2d', [f32(5, 6, 7)], {}],
    ['dropout', [f32(3, 4)], { rate: 0.25 }],
    ['flatten', [f32(3, 4, 5)], {}],
    ['flatten', [f32(6)], {}],
    ['reshape', [f32(24)], { shape: [2, -1, 3] }],
    ['reshape', [f32(4, 6)], { shape: [24] }],
    ['batch_norm', [f32(6, 6, 3)], { momentum: 0.9, epsilon: 0.01 }],
    ['batch_norm', [f32(10)], {}],
    ['layer_norm', [f32(4, 8)], {}],
    ['embedding', [i32(7)], { vocab: 50, dim: 6 }],
    ['embedding', [i32(3, 2)], { vocab: 10, dim: 4, init: { name: 'normal', params: { mean: 0, std: 0.1 } } }],
    ['add', [f32(5), f32(5), f32(5)], {}],
    ['subtract', [f32(2, 3), f32(2, 3)], {}],
    ['multiply', [f32(4), f32(4)], {}],
    ['average', [f32(4), f32(4)], {}],
    ['maximum', [f32(4), f32(4)], {}],
    ['minimum', [f32(4), f32(4)], {}],
    ['concat', [f32(5), f32(30)], {}],
    ['concat', [f32(2, 3), f32(4, 3)], { axis: 0 }],
    ['concat', [f32(2, 3), f32(2, 1)], { axis: 1 }],
  ];
  test.each(cases)('%s %j %j', (name, inputs, given) => compare(name, inputs, given));

  test('a reshape right before dense builds: the -1 is resolved in the emitted target', () => {
    const { attrs } = infer('reshape', [f32(8)], { shape: [4, -1] });
    const layers = op('reshape').emitTfjs(irLayer('reshape', attrs, []), emitContext('r', [f32(8)]));
    expect(layers).toEqual(["tf.layers.reshape({ targetShape: [4, 2], name: \"r\" })"]);
    const { output } = applyEmitted([...layers, 'tf.layers.dense({ units: 3 })'], [[8]]);
    expect(output.shape).toEqual([null, 4, 3]);
  });

  test('numerically, the emitted merges compute what they say', () => {
    const emitted = (name: string) => op(name).emitTfjs(irLayer(name, {}, []), emitContext(`${name}_num`, [f32(2), f32(2)]));
    const a = tf.tensor2d([[1, 5]]);
    const b = tf.tensor2d([[4, 2]]);
    const run = (name: string) => (applyEmitted(emitted(name), [[2], [2]]).model.predict([a, b]) as tf.Tensor).arraySync();
    expect(run('subtract')).toEqual([[-3, 3]]);
    expect(run('average')).toEqual([[2.5, 3.5]]);
    expect(run('minimum')).toEqual([[1, 2]]);
  });
});
