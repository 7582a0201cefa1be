/**
 * Grades of a gradient check. `unchecked` is not a pass: no component could be compared, or
 * the only disagreement is one that rounding in the finite differences could explain.
 */
export type Grade = 'excellent' | 'acceptable' | 'suspect' | 'unchecked' | 'bug';

/** From best to worst: the grade of a whole is the worst of its parts. */
const ORDER: readonly Grade[] = ['excellent', 'acceptable', 'suspect', 'unchecked', 'bug'];

/** ≤ 1e-7 excellent; ≤ 1e-5 acceptable (re-check); below 1e-3 suspect; from 1e-3 a bug in backprop. */
export function grade(difference: number): Grade {
  if (!(difference <= 1e-3)) return 'bug';
  if (difference <= 1e-7) return 'excellent';
  if (difference <= 1e-5) return 'acceptable';
  return 'suspect';
}

export function worst(grades: Iterable<Grade>): Grade {
  let index = 0;
  for (const g of grades) index = Math.max(index, ORDER.indexOf(g));
  return ORDER[index]!;
}

/** Whether a grade lets a check pass: not a bug, and something was actually checked. */
export function passes(g: Grade): boolean {
  return g !== 'bug' && g !== 'unchecked';
}

/** ‖a − b‖₂ / (‖a‖₂ + ‖b‖₂), 0 when both vanish. */
export function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i]! - b[i]!) ** 2;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  const denominator = Math.sqrt(na) + Math.sqrt(nb);
  return denominator === 0 ? 0 : Math.sqrt(diff) / denominator;
}

/**
 * How far rounding alone could move the difference: the norm of each component's rounding bound
 * over the norms of the two gradients (same scale as `relativeDifference`).
 */
export function resolutionOf(noise: ArrayLike<number>, numeric: ArrayLike<number>, analytic: ArrayLike<number>): number {
  let n = 0;
  let a = 0;
  let b = 0;
  for (let i = 0; i < noise.length; i++) {
    n += noise[i]! ** 2;
    a += numeric[i]! ** 2;
    b += analytic[i]! ** 2;
  }
  const denominator = Math.sqrt(a) + Math.sqrt(b);
  return denominator === 0 ? (n === 0 ? 0 : Infinity) : Math.sqrt(n) / denominator;
}

/**
 * A disagreement within this many times the rounding bound is not evidence of a bug. The bound
 * is already pessimistic (8 ulps of every evaluation); the factor covers its square-root
 * summation over components.
 */
const NOISE_MARGIN = 4;

/**
 * The grade of `difference` measured at `resolution`, over `checked` components. Agreement is
 * always evidence (rounding cannot make a wrong gradient agree); a disagreement rounding could
 * explain says nothing, and nothing checked proves nothing: both are `unchecked`.
 */
export function gradeAt(difference: number, resolution: number, checked: number): Grade {
  if (checked === 0) return 'unchecked';
  const g = grade(difference);
  if ((g === 'suspect' || g === 'bug') && difference <= NOISE_MARGIN * resolution) return 'unchecked';
  return g;
}

/** A disagreement short of excellent that rounding could explain: another method may do better. */
export function ambiguous(difference: number, resolution: number): boolean {
  return grade(difference) !== 'excellent' && difference <= NOISE_MARGIN * resolution;
}
