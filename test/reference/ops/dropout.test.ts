import { describe, expect, test } from 'vitest';
import { Random } from '../../../src/reference/random.js';
import { op } from '../../ops/contexts.js';
import { randomTensor, recordingContext } from './support.js';

/** Dropout's float64 semantics while training, where tfjs's own draws cannot be compared. */

const dropout = op('dropout').reference;
const attrs = { rate: 0.25 };
const same = (a: Float64Array, b: Float64Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
const x = randomTensor([4, 5000], new Random(1), (r) => 1 + r.uniform());

describe('dropout', () => {
  test('drops a fraction `rate` and scales the rest by 1 / (1 - rate)', () => {
    const y = dropout.forward({ inputs: [x], weights: [], attrs }, recordingContext({ dropout: true, seed: 4 }));
    let dropped = 0;
    let misscaled = 0;
    y.data.forEach((v, i) => {
      if (v === 0) dropped++;
      else if (v !== x.data[i]! * (1 / 0.75)) misscaled++;
    });
    expect(misscaled).toBe(0);
    // 20 000 Bernoulli(0.25) draws: standard error 0.003.
    expect(Math.abs(dropped / y.data.length - 0.25)).toBeLessThan(0.012);
  });

  test('the mask comes from the context: the same seed gives the same mask, another seed another', () => {
    const run = (seed: number) => dropout.forward({ inputs: [x], weights: [], attrs }, recordingContext({ dropout: true, seed })).data;
    expect(same(run(4), run(4))).toBe(true);
    expect(same(run(4), run(5))).toBe(false);
  });

  test.each([
    ['at inference', { training: false, dropout: true }],
    ['with dropout off (gradient checks)', { training: true, dropout: false }],
  ])('is the identity %s, in both passes', (_name, options) => {
    const ctx = recordingContext(options);
    const y = dropout.forward({ inputs: [x], weights: [], attrs }, ctx);
    expect(same(y.data, x.data)).toBe(true);
    expect(y.data).not.toBe(x.data);
    const g = randomTensor([...x.shape], new Random(2));
    expect(same(dropout.backward({ inputs: [x], weights: [], attrs, output: y, gradOutput: g }, ctx).inputs[0]!.data, g.data)).toBe(true);
  });

  test('backward reads the mask off the output; a zero input counts as kept', () => {
    const input = { shape: [1, 4], data: Float64Array.from([2, 3, 0, 0]) };
    const output = { shape: [1, 4], data: Float64Array.from([0, 4, 0, 0]) };
    const gradOutput = { shape: [1, 4], data: Float64Array.from([1, 1, 1, 1]) };
    const { inputs } = dropout.backward({ inputs: [input], weights: [], attrs, output, gradOutput }, recordingContext({ dropout: true }));
    expect(Array.from(inputs[0]!.data)).toEqual([0, 4 / 3, 4 / 3, 4 / 3]);
  });
});
