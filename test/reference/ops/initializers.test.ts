import { describe, expect, test } from 'vitest';
import type { InitSpec, IRWeight } from '../../../src/ir/ir.js';
import { Random } from '../../../src/reference/random.js';
import { registry } from '../../../src/registry/registry.js';
import { weight } from '../../support/weights.js';

/**
 * The float64 draws of every initializer: exactly the declared distribution. Random schemes
 * are checked through their moments against the variance the registry declares (the same one
 * the emitted tfjs initializer is tested against), the deterministic ones value by value.
 */


function sample(spec: InitSpec, w: IRWeight, seed = 1): Float64Array {
  return registry.initializer(spec.name)!.sample(spec, w, new Random(seed));
}

function moments(values: Float64Array) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, variance, min: Math.min(...values), max: Math.max(...values) };
}

/** Gram matrix of the rows (or, with `columns`, of the columns) of a row-major matrix. */
function gram(q: Float64Array, rows: number, cols: number, columns: boolean): number[][] {
  const n = columns ? cols : rows;
  const at = (v: number, k: number) => (columns ? q[k * cols + v]! : q[v * cols + k]!);
  const length = columns ? rows : cols;
  return Array.from({ length: n }, (_, a) =>
    Array.from({ length: n }, (_, b) => {
      let total = 0;
      for (let k = 0; k < length; k++) total += at(a, k) * at(b, k);
      return total;
    }),
  );
}

// 200×300: 60 000 draws, so the sample variance is within 2.5% of the truth at 4 standard errors.
const kernel = weight([200, 300]);

const RANDOM: Array<[InitSpec, number]> = [
  [{ name: 'lecun', params: {} }, 0],
  [{ name: 'he', params: {} }, 0],
  [{ name: 'xavier', params: {} }, 0],
  [{ name: 'lecun_uniform', params: {} }, 0],
  [{ name: 'he_uniform', params: {} }, 0],
  [{ name: 'xavier_uniform', params: {} }, 0],
  [{ name: 'normal', params: { mean: 0.5, std: 0.2 } }, 0.5],
  [{ name: 'normal', params: {} }, 0],
  [{ name: 'uniform', params: { min: -2, max: 1 } }, -0.5],
  [{ name: 'uniform', params: {} }, 0],
];
const FILLED: Array<[InitSpec, number]> = [
  [{ name: 'zeros', params: {} }, 0],
  [{ name: 'ones', params: {} }, 1],
  [{ name: 'constant', params: { value: -0.25 } }, -0.25],
  [{ name: 'normal', params: { mean: 3, std: 0 } }, 3],
];

test('every registered initializer has cases here', () => {
  const tested = [...RANDOM, ...FILLED].map(([spec]) => spec.name).concat('identity', 'orthogonal');
  expect(new Set(tested)).toEqual(new Set(registry.allInitializers().map((d) => d.name)));
});

describe('random schemes draw with the declared mean and variance', () => {
  test.each(RANDOM)('%j', (spec, mean) => {
    const values = sample(spec, kernel);
    expect(values.length).toBe(60_000);
    const variance = registry.initializer(spec.name)!.variance(spec, kernel)!;
    const m = moments(values);
    expect(Math.abs(m.mean - mean)).toBeLessThan(4 * Math.sqrt(variance / values.length));
    expect(Math.abs(m.variance / variance - 1)).toBeLessThan(0.025);
    if (spec.name.endsWith('uniform')) {
      const limit = spec.name === 'uniform' ? undefined : Math.sqrt(3 * variance);
      const [lo, hi] = limit === undefined ? [spec.params.min ?? -0.05, spec.params.max ?? 0.05] : [-limit, limit];
      expect(m.min).toBeGreaterThanOrEqual(lo);
      expect(m.max).toBeLessThan(hi);
      // Uniform, not normal: the extremes reach the bounds.
      expect(m.max - m.min).toBeGreaterThan(0.999 * (hi - lo));
    }
  });

  test('the same seed draws the same values; another seed others', () => {
    const spec = { name: 'he', params: {} };
    const small = weight([4, 5]);
    expect(sample(spec, small, 3)).toEqual(sample(spec, small, 3));
    expect(sample(spec, small, 3)).not.toEqual(sample(spec, small, 4));
  });
});

describe('deterministic schemes', () => {
  test.each(FILLED)('%j fills every entry', (spec, value) => {
    expect(Array.from(sample(spec, weight([3, 4])))).toEqual(new Array(12).fill(value));
  });

  test('identity(gain) is gain on the diagonal', () => {
    expect(Array.from(sample({ name: 'identity', params: { gain: 1.5 } }, weight([3, 3])))).toEqual([1.5, 0, 0, 0, 1.5, 0, 0, 0, 1.5]);
    expect(Array.from(sample({ name: 'identity', params: {} }, weight([2, 2])))).toEqual([1, 0, 0, 1]);
  });
});

describe('orthogonal(gain)', () => {
  // Flattened to [product of leading dims, last dim], as tfjs does.
  test.each([
    [[6, 4], 1],
    [[4, 6], 2],
    [[5, 5], 0.5],
    [[3, 2, 4], 1],
  ])('%j, gain %d: the short side is orthonormal times gain', (shape, gain) => {
    const q = sample({ name: 'orthogonal', params: { gain } }, weight(shape));
    const cols = shape[shape.length - 1]!;
    const rows = q.length / cols;
    const g = gram(q, rows, cols, rows >= cols);
    g.forEach((row, a) => row.forEach((v, b) => expect(v).toBeCloseTo(a === b ? gain * gain : 0, 12)));
  });

  test('entries are centred with the declared variance gain² / max(rows, cols), over many draws', () => {
    const spec = { name: 'orthogonal', params: { gain: 1.2 } };
    const w = weight([8, 20]);
    const draws = Array.from({ length: 400 }, (_, seed) => sample(spec, w, seed + 1));
    const variance = registry.initializer('orthogonal')!.variance(spec, w)!;
    const all = moments(Float64Array.from(draws.flatMap((d) => Array.from(d))));
    expect(Math.abs(all.mean)).toBeLessThan(4 * Math.sqrt(variance / 64_000));
    expect(Math.abs(all.variance / variance - 1)).toBeLessThan(0.03);
    // One entry across draws: symmetric about 0 (no sign bias left by the factorisation).
    const first = moments(Float64Array.from(draws, (d) => d[0]!));
    expect(Math.abs(first.mean)).toBeLessThan(4 * Math.sqrt(variance / 400));
    expect(Math.abs(first.variance / variance - 1)).toBeLessThan(0.3);
  });
});
