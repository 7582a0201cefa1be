import type { ActivationSpec, IRWeight } from '../ir/ir.js';
import type { ActivationMoments, SignalContext } from '../registry/op.js';
import { registry } from '../registry/registry.js';
import type { ReferenceContext } from '../reference/context.js';
import { normalCdf, normalPdf } from '../reference/kernels/erf.js';

/**
 * Quadrature nodes on [-8, 8] standard deviations (composite Simpson, h = 0.1): the tails beyond
 * add < 1e-14, and 0 is a panel boundary, so a kink there (selu, elu) costs little accuracy.
 */
const POINTS = 161;
const SPAN = 8;
const nodes = Float64Array.from({ length: POINTS }, (_, i) => -SPAN + (2 * SPAN * i) / (POINTS - 1));
const weights = Float64Array.from(nodes, (t, i) => {
  const simpson = i === 0 || i === POINTS - 1 ? 1 : i % 2 === 1 ? 4 : 2;
  return ((simpson * (2 * SPAN)) / (3 * (POINTS - 1))) * (Math.exp((-t * t) / 2) / Math.sqrt(2 * Math.PI));
});

/** The outer quadrature of activationOffset: Simpson on [-8, 8], h = 0.4. */
const OUTER_POINTS = 41;
const outerNodes = Float64Array.from({ length: OUTER_POINTS }, (_, i) => -SPAN + (2 * SPAN * i) / (OUTER_POINTS - 1));
const outerWeights = Float64Array.from(outerNodes, (t, i) => {
  const simpson = i === 0 || i === OUTER_POINTS - 1 ? 1 : i % 2 === 1 ? 4 : 2;
  return ((simpson * (2 * SPAN)) / (3 * (OUTER_POINTS - 1))) * (Math.exp((-t * t) / 2) / Math.sqrt(2 * Math.PI));
});

const STEPS_PER_DECADE = 200;
const SHIFT_STEPS = 200;
const CLOSED_FORM: ReadonlySet<string> = new Set(['linear', 'relu', 'leaky_relu', 'softmax']);

const QUIET: ReferenceContext = { training: false, dropout: false, random: () => 0, branches: () => {} };

/**
 * E[f(z)], E[f(z)²] and E[f'(z)²] for z ~ N(mean, v), from the activation's own float64
 * reference (so the analysis and the engine agree on every activation). relu-like and linear
 * ones have closed forms; softmax ignores a mean shared by its features.
 */
export function activationMoments(spec: ActivationSpec, v: number, features = 1, mean = 0): ActivationMoments {
  const variance = Math.max(v, 0);
  const sd = Math.sqrt(variance);
  switch (spec.name) {
    case 'linear':
      return { mean, forward: mean * mean + variance, backward: 1 };
    case 'relu':
      return rectified(mean, variance, 0);
    case 'leaky_relu':
      return rectified(mean, variance, spec.params.alpha ?? 0.3);
    case 'softmax': {
      // Not elementwise. For the small logits of an initialized network p ≈ (1 + z - z̄)/k, so
      // E[p²] ≈ (1 + v(1 - 1/k))/k², and the Jacobian ≈ (I - 11ᵀ/k)/k scales a gradient's
      // variance by (k - 1)/k³. A shift shared by the logits cancels.
      const k = Math.max(features, 1);
      return { mean: 1 / k, forward: (1 + variance * (1 - 1 / k)) / (k * k), backward: (k - 1) / k ** 3 };
    }
  }
  const def = registry.activation(spec.name)!;
  if (!(variance > 0)) {
    // A constant input: the function and its slope at that value.
    const z = { shape: [1], data: Float64Array.of(mean) };
    const y = def.reference.forward(z, spec, QUIET);
    const dy = def.reference.backward(z, y, { shape: [1], data: Float64Array.of(1) }, spec);
    return { mean: y.data[0]!, forward: y.data[0]! ** 2, backward: dy.data[0]! ** 2 };
  }
  // An indexed loop: `Float64Array.from(nodes, ...)` allocates an iterator result per point before the JIT has optimized it.
  const z = { shape: [POINTS], data: new Float64Array(POINTS) };
  for (let i = 0; i < POINTS; i++) z.data[i] = mean + nodes[i]! * sd;
  const y = def.reference.forward(z, spec, QUIET);
  const dy = def.reference.backward(z, y, { shape: [POINTS], data: new Float64Array(POINTS).fill(1) }, spec);
  let first = 0;
  let forward = 0;
  let backward = 0;
  for (let i = 0; i < POINTS; i++) {
    first += weights[i]! * y.data[i]!;
    forward += weights[i]! * y.data[i]! ** 2;
    backward += weights[i]! * dy.data[i]! ** 2;
  }
  return { mean: first, forward, backward };
}

/**
 * leaky_relu(z) = relu(z) − α·relu(−z) for z ~ N(m, v), with s = √v and r = m/s: E[relu(z)] = m·Φ(r) + s·φ(r),
 * E[relu(z)²] = (m² + s²)·Φ(r) + m·s·φ(r), P(z > 0) = Φ(r), and the same for −z ~ N(−m, s²).
 * relu is α = 0; slopes at the kink follow tfjs (relu'(0) = 0), which matters only when s = 0.
 */
function rectified(m: number, v: number, alpha: number): ActivationMoments {
  const s = Math.sqrt(v);
  const [Phi, phi] = s > 0 ? [normalCdf(m / s), normalPdf(m / s)] : [m > 0 ? 1 : 0, 0];
  const pos = { first: m * Phi + s * phi, second: (m * m + v) * Phi + m * s * phi, p: Phi };
  const negPhi = 1 - Phi;
  const neg = { first: -m * negPhi + s * phi, second: (m * m + v) * negPhi - m * s * phi, p: s > 0 ? negPhi : m < 0 ? 1 : 0 };
  return {
    mean: pos.first - alpha * neg.first,
    forward: pos.second + alpha * alpha * neg.second,
    backward: pos.p + alpha * alpha * neg.p,
  };
}

/** A grid point of activation(): the variance step times this plus the shift (|shift| stays far below it). */
const KEY_SPAN = 1 << 24;

function specKey(spec: ActivationSpec): string {
  const params = Object.values(spec.params);
  return params.length === 0 ? spec.name : `${spec.name}:${params.join(',')}`;
}

/** E[f(z)] for z ~ N(mean, sd²) by the inner quadrature, forward only. */
function quadratureMean(def: NonNullable<ReturnType<typeof registry.activation>>, spec: ActivationSpec, mean: number, sd: number): number {
  const z = { shape: [POINTS], data: new Float64Array(POINTS) };
  for (let i = 0; i < POINTS; i++) z.data[i] = mean + nodes[i]! * sd;
  const y = def.reference.forward(z, spec, QUIET);
  let first = 0;
  for (let i = 0; i < POINTS; i++) first += weights[i]! * y.data[i]!;
  return first;
}

/**
 * E over unit means m ~ N(mean, spread) of g(m)²: Simpson's rule, coarser than the inner
 * quadrature, since an offset is a second-order correction.
 */
function outer(mean: number, spread: number, g: (m: number) => number): number {
  const sd = Math.sqrt(spread);
  let sum = 0;
  for (let i = 0; i < OUTER_POINTS; i++) sum += outerWeights[i]! * g(mean + sd * outerNodes[i]!) ** 2;
  return sum;
}

/**
 * Activation moments already computed, by activation and grid point. They depend on nothing but
 * the key, so one set can serve many analyses: the language service keeps one across the versions
 * of a document, where each edit would otherwise repeat every quadrature of a deep model.
 */
export class MomentTables {
  readonly moments = new Map<string, Map<number, ActivationMoments>>();
  readonly unitMeans = new Map<string, Map<number, number>>();

  /** Empties the tables once they hold more than `limit` entries: a long editing session stays bounded. */
  bound(limit = 500_000): this {
    let size = 0;
    for (const tables of [this.moments, this.unitMeans]) for (const table of tables.values()) size += table.size;
    if (size > limit) {
      this.moments.clear();
      this.unitMeans.clear();
    }
    return this;
  }
}

/**
 * The context an op's signal rule sees. One instance serves a whole analysis, pointed at each
 * node in turn (`at`), so that ten thousand layers do not allocate ten thousand contexts.
 */
export class AnalysisContext implements SignalContext {
  inputs: SignalContext['inputs'] = [];
  activated: SignalContext['activated'] = [];
  means: SignalContext['means'] = [];
  centered: SignalContext['centered'] = [];
  private readonly moments: MomentTables['moments'];
  private readonly unitMeans: MomentTables['unitMeans'];

  constructor(tables: MomentTables = new MomentTables()) {
    tables.bound();
    this.moments = tables.moments;
    this.unitMeans = tables.unitMeans;
  }

  offsets: SignalContext['offsets'] = [];

  at(
    inputs: SignalContext['inputs'],
    activated: SignalContext['activated'],
    means: SignalContext['means'],
    centered: SignalContext['centered'],
    offsets: SignalContext['offsets'] = means.map((m) => m * m),
  ): this {
    this.inputs = inputs;
    this.activated = activated;
    this.means = means;
    this.centered = centered;
    this.offsets = offsets;
    return this;
  }

  activationOffset(spec: ActivationSpec, mean: number, spread: number, within: number, features = 1): number {
    if (CLOSED_FORM.has(spec.name) || !(within > 0)) {
      const unitMean = (m: number) => this.activation(spec, within, features, m).mean;
      if (!(spread > 0)) return unitMean(mean) ** 2;
      return outer(mean, spread, unitMean);
    }
    // Only E[f(z)] is needed for each unit mean: a forward-only quadrature, cached on the grid of
    // activation() (so the results are those of activation(...).mean, at half the cost).
    const step = Math.round(Math.log10(within) * STEPS_PER_DECADE);
    const sd = Math.sqrt(10 ** (step / STEPS_PER_DECADE));
    const scale = Math.sqrt(within);
    const means = this.table(this.unitMeans, spec);
    const def = registry.activation(spec.name)!;
    const unitMean = (m: number) => {
      const shift = Math.round((m / scale) * SHIFT_STEPS);
      const key = step * KEY_SPAN + shift;
      let value = means.get(key);
      if (value === undefined) means.set(key, (value = quadratureMean(def, spec, (shift / SHIFT_STEPS) * sd, sd)));
      return value;
    };
    if (!(spread > 0)) return unitMean(mean) ** 2;
    return outer(mean, spread, unitMean);
  }

  activation(spec: ActivationSpec, v: number, features = 1, mean = 0): ActivationMoments {
    // Closed forms are exact and cheap; the others are evaluated at v rounded to 1/200 of a
    // decade (0.6%) and mean/√v to 1/200, far below the precision of a mean-field prediction, so
    // that a deep network's many nearby variances share one quadrature.
    if (CLOSED_FORM.has(spec.name) || !(v > 0)) return activationMoments(spec, v, features, mean);
    const step = Math.round(Math.log10(v) * STEPS_PER_DECADE);
    const shift = Math.round((mean / Math.sqrt(v)) * SHIFT_STEPS);
    const moments = this.table(this.moments, spec);
    const key = step * KEY_SPAN + shift;
    let found = moments.get(key);
    if (!found) {
      const rounded = 10 ** (step / STEPS_PER_DECADE);
      moments.set(key, (found = activationMoments(spec, rounded, features, (shift / SHIFT_STEPS) * Math.sqrt(rounded))));
    }
    return found;
  }

  /** The cache of one activation (name and parameters), keyed by the grid point as a number: no string per lookup. */
  private table<T>(tables: Map<string, Map<number, T>>, spec: ActivationSpec): Map<number, T> {
    const id = specKey(spec);
    let table = tables.get(id);
    if (!table) tables.set(id, (table = new Map()));
    return table;
  }

  meanSquare(weight: IRWeight): number {
    return registry.initializer(weight.init.name)!.meanSquare(weight.init, weight);
  }

  meanOf(weight: IRWeight): number {
    return registry.initializer(weight.init.name)!.mean?.(weight.init, weight) ?? 0;
  }
}
