import type { Random } from './random.js';

/** One evaluation of the function being differentiated. */
export interface Evaluation {
  value: number;
  /** The sum of the magnitudes that make up `value`: its rounding error is a few ulps of this. */
  scale: number;
  /** The kink decisions taken (see ReferenceContext.branches), hashed. */
  branches: string;
}

/** FNV-1a over the kink decisions of one evaluation. */
export class BranchHash {
  value = 0x811c9dc5;
  count = 0;
  add = (decisions: ArrayLike<number>): void => {
    let h = this.value;
    for (let i = 0; i < decisions.length; i++) h = Math.imul(h ^ (decisions[i]! | 0), 0x01000193) >>> 0;
    this.value = h;
    this.count += decisions.length;
  };
  get key(): string {
    return `${this.value}:${this.count}`;
  }
}

/** The components compared, with the rounding bound of each finite difference. */
export interface Components {
  numeric: number[];
  analytic: number[];
  noise: number[];
  /** Skipped because θ±h crossed a kink. */
  kinks: number;
  /** Skipped because both values are below what the finite difference can resolve. */
  unresolved: number;
}

/**
 * Central differences of `evaluate` in the components `order` of `data` (changed in place and
 * restored), until `wanted` are compared: (f(θ + h·e_i) − f(θ − h·e_i)) over the step actually
 * realised in floating point. Each evaluation rounds to about 2⁻⁵² of its scale; a difference
 * below 8 of those over the step is noise, and a component whose analytic value is below it too
 * cannot be judged (`unresolved`). An analytic zero is always compared: that is how a missing
 * gradient shows.
 */
export function centralDifferences(
  data: Float64Array,
  gradient: ArrayLike<number>,
  order: Iterable<number>,
  wanted: number,
  step: (i: number) => number,
  evaluate: () => Evaluation,
  baseBranches: string,
): Components {
  const result: Components = { numeric: [], analytic: [], noise: [], kinks: 0, unresolved: 0 };
  for (const i of order) {
    if (result.numeric.length >= wanted) break;
    const original = data[i]!;
    const h = step(i);
    const plus = original + h;
    const minus = original - h;
    data[i] = plus;
    const up = evaluate();
    data[i] = minus;
    const down = evaluate();
    data[i] = original;
    if (up.branches !== baseBranches || down.branches !== baseBranches) {
      result.kinks++;
      continue;
    }
    const realised = plus - minus;
    const approx = (up.value - down.value) / realised;
    const floor = (8 * Number.EPSILON * Math.max(up.scale, down.scale, Number.MIN_VALUE)) / realised;
    const exact = gradient[i]!;
    if (exact !== 0 && Math.abs(approx) < floor && Math.abs(exact) < floor) {
      result.unresolved++;
      continue;
    }
    result.numeric.push(approx);
    result.analytic.push(exact);
    result.noise.push(floor);
  }
  return result;
}

/** Which components to try, in order, and how many to compare: all of them, or a random sample. */
export function componentOrder(length: number, all: boolean, samples: number, random: Random): { order: number[]; wanted: number } {
  if (all || length <= samples) return { order: [...Array(length).keys()], wanted: length };
  return { order: shuffled(length, random), wanted: samples };
}

function shuffled(n: number, random: Random): number[] {
  const order = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
