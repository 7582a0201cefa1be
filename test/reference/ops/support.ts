import type { ReferenceContext } from '../../../src/reference/context.js';
import { Random } from '../../../src/reference/random.js';
import type { Tensor64 } from '../../../src/reference/tensor.js';

/** A ReferenceContext that keeps every branch record, in call order. */
export interface RecordingContext extends ReferenceContext {
  records: number[][];
}

export interface ContextOptions {
  training?: boolean;
  dropout?: boolean;
  /** Seed of the context's own generator; each context starts it afresh, so dropout masks replay. */
  seed?: number;
}

export function recordingContext({ training = true, dropout = false, seed = 99 }: ContextOptions = {}): RecordingContext {
  const random = new Random(seed);
  const records: number[][] = [];
  return { training, dropout, records, random: () => random.uniform(), branches: (d) => records.push(Array.from(d)) };
}

export function randomTensor(shape: number[], random: Random, draw: (r: Random) => number = (r) => r.normal()): Tensor64 {
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float64Array.from({ length: size }, () => draw(random)) };
}

export const sameRecords = (a: number[][], b: number[][]): boolean =>
  a.length === b.length && a.every((r, i) => r.length === b[i]!.length && r.every((v, j) => v === b[i]![j]));

export interface TensorCheck {
  name: string;
  /** ||numeric - analytic|| / max(||numeric||, ||analytic||) over the elements not skipped. */
  relativeError: number;
  numericNorm: number;
  /** Elements whose ±ε probe changed a branch record (the difference straddled a kink). */
  skipped: number;
  size: number;
}

/**
 * Central differences of a scalar function of several tensors, against an analytic gradient.
 * `evaluate` returns the value and the branch records of one evaluation; each probe perturbs
 * one element by ±ε (in place, then restores it).
 */
export function compareGradients(
  tensors: Array<{ name: string; tensor: Tensor64; analytic: Tensor64 }>,
  evaluate: () => { value: number; records: number[][] },
  epsilon = 1e-6,
): TensorCheck[] {
  const base = evaluate().records;
  return tensors.map(({ name, tensor, analytic }) => {
    let diff = 0;
    let numericNorm = 0;
    let analyticNorm = 0;
    let skipped = 0;
    const data = tensor.data;
    for (let i = 0; i < data.length; i++) {
      const saved = data[i]!;
      data[i] = saved + epsilon;
      const plus = evaluate();
      data[i] = saved - epsilon;
      const minus = evaluate();
      data[i] = saved;
      if (!sameRecords(plus.records, base) || !sameRecords(minus.records, base)) {
        skipped++;
        continue;
      }
      const numeric = (plus.value - minus.value) / (2 * epsilon);
      const exact = analytic.data[i]!;
      diff += (numeric - exact) ** 2;
      numericNorm += numeric ** 2;
      analyticNorm += exact ** 2;
    }
    const scale = Math.sqrt(Math.max(numericNorm, analyticNorm));
    const relativeError = scale < 1e-12 ? Math.sqrt(diff) : Math.sqrt(diff) / scale;
    return { name, relativeError, numericNorm: Math.sqrt(numericNorm), skipped, size: data.length };
  });
}

/** Σ a·b: the scalar whose gradient with respect to a is b. */
export function dot(a: Tensor64, b: Tensor64): number {
  let total = 0;
  for (let i = 0; i < a.data.length; i++) total += a.data[i]! * b.data[i]!;
  return total;
}

/** Rounds to float32 in place, so that tfjs and the reference see exactly the same numbers. */
export function toFloat32(t: Tensor64): Tensor64 {
  t.data.forEach((v, i) => (t.data[i] = Math.fround(v)));
  return t;
}

/** The largest |a - b| / (atol + rtol · |b|) over the elements: at most 1 means within tolerance. */
export function closeness(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / (atol + rtol * Math.abs(expected[i]!)));
  }
  return worst;
}
