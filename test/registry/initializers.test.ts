import { beforeAll, describe, expect, test } from 'vitest';
import type { InitSpec, IRWeight } from '../../src/ir/ir.js';
import { initializerDefs } from '../../src/registry/initializers.js';
import { registry } from '../../src/registry/registry.js';
import { cpu, evaluate, tf } from '../ops/tfjs.js';
import { weight } from '../support/weights.js';

beforeAll(async () => {
  await cpu();
});


function draw(spec: InitSpec, w: IRWeight, seed = '11'): Float32Array {
  const expression = registry.initializer(spec.name)!.emitTfjs(spec, w, seed);
  const init = evaluate<{ apply(shape: number[], dtype?: string): tf.Tensor }>(expression);
  return init.apply(w.shape, 'float32').dataSync() as Float32Array;
}

function moments(values: Float32Array): { mean: number; variance: number; min: number; max: number } {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    squares += (v - mean) ** 2;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { mean, variance: squares / (values.length - 1), min, max };
}

describe('random initializers draw with exactly the variance they declare', () => {
  // 200×300 so that n_in and n_out differ; 60 000 draws put 3% at more than 4 standard errors.
  const kernel = weight([200, 300]);
  const cases: Array<[InitSpec, number]> = [
    [{ name: 'lecun', params: {} }, 1 / 200],
    [{ name: 'he', params: {} }, 2 / 200],
    [{ name: 'xavier', params: {} }, 2 / 500],
    [{ name: 'lecun_uniform', params: {} }, 1 / 200],
    [{ name: 'he_uniform', params: {} }, 2 / 200],
    [{ name: 'xavier_uniform', params: {} }, 2 / 500],
    [{ name: 'normal', params: { mean: 0, std: 0.05 } }, 0.0025],
    [{ name: 'normal', params: {} }, 0.0025],
    [{ name: 'uniform', params: { min: -0.05, max: 0.05 } }, 0.1 ** 2 / 12],
    [{ name: 'uniform', params: { min: 0, max: 1 } }, 1 / 12],
    [{ name: 'uniform', params: { min: -2, max: 0 } }, 4 / 12],
  ];

  test.each(cases)('%j', (spec, formula) => {
    const def = registry.initializer(spec.name)!;
    expect(def.variance(spec, kernel)).toBeCloseTo(formula, 12);
    const { mean, variance } = moments(draw(spec, kernel));
    expect(Math.abs(variance / formula - 1)).toBeLessThan(0.03);
    expect(Math.abs(mean)).toBeLessThan(spec.name === 'uniform' ? 1 : 4 * Math.sqrt(formula / 60000));
  });

  test('a zero bound stays zero (tfjs would silently replace it with its default)', () => {
    const unit = moments(draw({ name: 'uniform', params: { min: 0, max: 1 } }, kernel));
    expect(unit.min).toBeGreaterThanOrEqual(0);
    expect(Math.abs(unit.mean - 0.5)).toBeLessThan(0.01);
    const negative = moments(draw({ name: 'uniform', params: { min: -2, max: 0 } }, kernel));
    expect(negative.max).toBeLessThanOrEqual(0);
    expect(Math.abs(negative.mean + 1)).toBeLessThan(0.02);
  });

  test('normal with a mean and with std 0', () => {
    const shifted = moments(draw({ name: 'normal', params: { mean: 3, std: 0.5 } }, kernel));
    expect(Math.abs(shifted.mean - 3)).toBeLessThan(0.01);
    expect(Math.abs(shifted.variance / 0.25 - 1)).toBeLessThan(0.03);
    const fixed = moments(draw({ name: 'normal', params: { mean: 0.5, std: 0 } }, kernel));
    expect([fixed.min, fixed.max]).toEqual([0.5, 0.5]);
  });

  test('conv kernels use the fans they are given, not their shape', () => {
    const conv = weight([3, 3, 16, 32], 3 * 3 * 16, 3 * 3 * 32);
    const { variance } = moments(draw({ name: 'he', params: {} }, conv));
    expect(Math.abs(variance / (2 / 144) - 1)).toBeLessThan(0.05);
  });

  test('never emits tfjs\'s truncated schemes', () => {
    for (const def of initializerDefs) {
      const text = def.emitTfjs({ name: def.name, params: { value: 1 } }, weight([4, 4]), 'seed');
      expect(text).not.toMatch(/heNormal|glorotNormal|leCunNormal|truncatedNormal|varianceScaling/);
    }
  });

  test('the seed expression is passed through, so a seed fixes the draw', () => {
    const spec = { name: 'he', params: {} };
    expect(registry.initializer('he')!.emitTfjs(spec, kernel, 'seed + 3')).toBe(
      `tf.initializers.randomNormal({ mean: 0, stddev: ${String(Math.sqrt(2 / 200))}, seed: seed + 3 })`,
    );
    expect(draw(spec, weight([5, 5]), '4')).toEqual(draw(spec, weight([5, 5]), '4'));
  });
});

describe('deterministic initializers', () => {
  test('zeros, ones, constant', () => {
    expect([...draw({ name: 'zeros', params: {} }, weight([2, 2]))]).toEqual([0, 0, 0, 0]);
    expect([...draw({ name: 'ones', params: {} }, weight([3]))]).toEqual([1, 1, 1]);
    expect([...draw({ name: 'constant', params: { value: 0.25 } }, weight([2]))]).toEqual([0.25, 0.25]);
    for (const name of ['zeros', 'ones', 'constant', 'identity']) {
      expect(registry.initializer(name)!.variance({ name, params: {} }, weight([3, 3]))).toBeUndefined();
    }
  });

  test('identity: gain times I, for square matrices only', () => {
    const spec = { name: 'identity', params: { gain: 1.5 } };
    expect([...draw(spec, weight([2, 2]))]).toEqual([1.5, 0, 0, 1.5]);
    const def = registry.initializer('identity')!;
    expect(def.fits!(spec, weight([3, 3]))).toBeUndefined();
    expect(def.fits!(spec, weight([3, 4]))).toBe('fits only square 2-D weights, but `kernel` has shape [3, 4]');
    expect(def.fits!(spec, weight([3]))).toBe('fits only square 2-D weights, but `kernel` has shape [3]');
  });

  test('orthogonal: gain² / max(rows, cols) per entry, exactly', () => {
    const def = registry.initializer('orthogonal')!;
    for (const shape of [[30, 20], [20, 30], [24, 24]]) {
      const spec = { name: 'orthogonal', params: { gain: 2 } };
      const w = weight(shape);
      const values = draw(spec, w);
      const meanSquare = values.reduce((s, v) => s + v * v, 0) / values.length;
      expect(def.variance(spec, w)).toBeCloseTo(4 / Math.max(shape[0]!, shape[1]!), 12);
      expect(meanSquare).toBeCloseTo(def.variance(spec, w)!, 4);
    }
    expect(def.fits!({ name: 'orthogonal', params: {} }, weight([5]))).toBe('needs a weight of rank 2 or more, but `kernel` has shape [5]');
  });
});

describe('names', () => {
  test('aliases', () => {
    expect(registry.initializer('glorot')!.name).toBe('xavier');
    expect(registry.initializer('glorot_uniform')!.name).toBe('xavier_uniform');
    expect(registry.initializer('simple')!.name).toBe('lecun');
  });

  test('every initializer documents a formula', () => {
    for (const def of initializerDefs) expect(def.formula.length).toBeGreaterThan(0);
  });
});
