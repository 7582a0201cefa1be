import { describe, expect, test } from 'vitest';
import { erf, erfc, normalCdf } from '../../../src/reference/kernels/erf.js';
import { matmul, matmulAdd, transpose } from '../../../src/reference/kernels/matmul.js';
import { Random } from '../../../src/reference/random.js';

/** The float64 kernels: the blocked matmul against the textbook loop, erf against 60-digit arithmetic. */

function naive(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let total = 0;
      for (let p = 0; p < k; p++) total += a[i * k + p]! * b[p * n + j]!;
      c[i * n + j] = total;
    }
  }
  return c;
}

const random = new Random(12);
const matrix = (rows: number, cols: number) => Float64Array.from({ length: rows * cols }, () => random.normal());
const maxDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('matmul', () => {
  // Sizes around the 64-wide tiles and the 4×4 register block, including remainders of each.
  test.each([
    [1, 1, 1],
    [3, 5, 2],
    [4, 4, 4],
    [7, 66, 9],
    [65, 63, 130],
    [130, 3, 67],
  ])('%i×%i · %i×… equals the textbook product', (m, k, n) => {
    const a = matrix(m, k);
    const b = matrix(k, n);
    expect(maxDiff(matmul(a, b, m, k, n), naive(a, b, m, k, n))).toBeLessThan(1e-12 * Math.sqrt(k));
  });

  test('overwrites a given output; matmulAdd accumulates into it', () => {
    const a = matrix(5, 6);
    const b = matrix(6, 7);
    const out = new Float64Array(35).fill(100);
    expect(matmul(a, b, 5, 6, 7, out)).toBe(out);
    const expected = naive(a, b, 5, 6, 7);
    expect(maxDiff(out, expected)).toBeLessThan(1e-12);
    matmulAdd(a, b, 5, 6, 7, out);
    expect(
      maxDiff(
        out,
        expected.map((v) => 2 * v),
      ),
    ).toBeLessThan(1e-12);
  });

  test('transpose', () => {
    const a = matrix(70, 3);
    const t = transpose(a, 70, 3);
    for (let i = 0; i < 70; i++) for (let j = 0; j < 3; j++) expect(t[j * 70 + i]).toBe(a[i * 3 + j]);
  });
});

/**
 * erf to 60 decimal digits in integer arithmetic: the Maclaurin series at a dyadic x (exact
 * in binary), scaled by 10^60. Even at x = 6 its cancellation costs under 20 digits.
 */
const DIGITS = 60n;
const ONE = 10n ** DIGITS;
const PI = 3141592653589793238462643383279502884197169399375105820974944592307816406286n; // 76 digits
function sqrtBig(n: bigint): bigint {
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  for (let i = 0; i < 200; i++) {
    const next = (x + n / x) / 2n;
    if (next === x || next === x + 1n) break;
    x = next;
  }
  while (x * x > n) x--;
  return x;
}
const SQRT_PI = sqrtBig((PI * ONE * ONE) / 10n ** 75n); // √π · 10^60

function erfExact(x: number): bigint {
  const X = (BigInt(x * 1024) * ONE) / 1024n; // x is a multiple of 1/1024
  const X2 = (X * X) / ONE;
  let power = X; // x^(2n+1) / n!, with sign
  let sum = X;
  for (let n = 1n; ; n++) {
    power = (-power * X2) / ONE / n;
    const term = power / (2n * n + 1n);
    if (term === 0n) break;
    sum += term;
  }
  return (2n * sum * ONE) / SQRT_PI;
}
const toNumber = (scaled: bigint): number => Number(`${scaled}e-${DIGITS}`);
const relative = (actual: number, exact: number): number => Math.abs(actual - exact) / Math.abs(exact);

describe('erf', () => {
  const grid = Array.from({ length: 97 }, (_, i) => (i - 48) / 8); // -6 … 6 in steps of 1/8
  test('erf to 2e-15 relative on [-6, 6]', () => {
    const worst = Math.max(...grid.filter((x) => x !== 0).map((x) => relative(erf(x), toNumber(erfExact(x)))));
    expect(worst).toBeLessThan(2e-15);
    expect(erf(0)).toBe(0);
  });

  test('erfc to 5e-15 relative, also deep in the tail where it is tiny', () => {
    const worst = Math.max(...grid.map((x) => relative(erfc(x), toNumber(ONE - erfExact(x)))));
    expect(worst).toBeLessThan(5e-15);
    expect(erfc(6)).toBeGreaterThan(0);
  });

  test('Φ(x) = erfc(-x/√2)/2 keeps its relative accuracy for very negative x', () => {
    expect(relative(normalCdf(-8), 6.22096057427178e-16)).toBeLessThan(1e-13);
    expect(normalCdf(0)).toBe(0.5);
  });
});
