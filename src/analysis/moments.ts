import type { ActivationSpec, IRWeight } from '../ir/ir.js';
import type { ActivationMoments, SignalContext } from '../registry/op.js';
import { registry } from '../registry/registry.js';
import type { ReferenceContext } from '../reference/context.js';

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

const STEPS_PER_DECADE = 200;
const CLOSED_FORM: ReadonlySet<string> = new Set(['linear', 'relu', 'leaky_relu', 'softmax']);

const QUIET: ReferenceContext = { training: false, dropout: false, random: () => 0, branches: () => {} };

/**
 * E[f(z)²] and E[f'(z)²] for z ~ N(0, v), from the activation's own float64 reference (so the
 * analysis and the engine agree on every activation). relu-like and linear ones have closed forms.
 */
export function activationMoments(spec: ActivationSpec, v: number, features = 1): ActivationMoments {
  switch (spec.name) {
    case 'linear':
      return { mean: 0, forward: v, backward: 1 };
    case 'relu':
      return { mean: Math.sqrt(v / (2 * Math.PI)), forward: v / 2, backward: 1 / 2 };
    case 'leaky_relu': {
      const a = spec.params.alpha ?? 0.3;
      return { mean: (1 - a) * Math.sqrt(v / (2 * Math.PI)), forward: ((1 + a * a) / 2) * v, backward: (1 + a * a) / 2 };
    }
    case 'softmax': {
      // Not elementwise. For the small logits of an initialized network p ≈ (1 + z - z̄)/k, so
      // E[p²] ≈ (1 + v(1 - 1/k))/k², and the Jacobian ≈ (I - 11ᵀ/k)/k scales a gradient's
      // variance by (k - 1)/k³.
      const k = Math.max(features, 1);
      return { mean: 1 / k, forward: (1 + v * (1 - 1 / k)) / (k * k), backward: (k - 1) / k ** 3 };
    }
  }
  if (!(v > 0)) {
    const zero = { shape: [1], data: new Float64Array(1) };
    const y = registry.activation(spec.name)!.reference.forward(zero, spec, QUIET).data[0]!;
    return { mean: y, forward: y * y, backward: 0 };
  }
  const def = registry.activation(spec.name)!;
  const sd = Math.sqrt(v);
  const z = { shape: [POINTS], data: new Float64Array(POINTS) };
  for (let i = 0; i < POINTS; i++) z.data[i] = nodes[i]! * sd;
  const y = def.reference.forward(z, spec, QUIET);
  const dy = def.reference.backward(z, y, { shape: [POINTS], data: new Float64Array(POINTS).fill(1) }, spec);
  let mean = 0;
  let forward = 0;
  let backward = 0;
  for (let i = 0; i < POINTS; i++) {
    mean += weights[i]! * y.data[i]!;
    forward += weights[i]! * y.data[i]! ** 2;
    backward += weights[i]! * dy.data[i]! ** 2;
  }
  return { mean, forward, backward };
}

/**
 * The context an op's signal rule sees. One instance serves a whole analysis, pointed at each
 * node in turn (`at`), so that ten thousand layers do not allocate ten thousand contexts.
 */
export class AnalysisContext implements SignalContext {
  inputs: SignalContext['inputs'] = [];
  activated: SignalContext['activated'] = [];
  centered: SignalContext['centered'] = [];
  /** Per activation (name and parameters), the moments by variance step. */
  private readonly cache = new Map<string, Map<number, ActivationMoments>>();
  private readonly keys = new WeakMap<ActivationSpec, Map<number, ActivationMoments>>();

  at(inputs: SignalContext['inputs'], activated: SignalContext['activated'], centered: SignalContext['centered']): this {
    this.inputs = inputs;
    this.activated = activated;
    this.centered = centered;
    return this;
  }

  activation(spec: ActivationSpec, v: number, features = 1): ActivationMoments {
    // Closed forms are exact and cheap; the others are evaluated at v rounded to 1/200 of a
    // decade (0.6%), far below the precision of a mean-field prediction, so that a deep
    // network's many nearby variances share one quadrature.
    if (CLOSED_FORM.has(spec.name) || !(v > 0)) return activationMoments(spec, v, features);
    let steps = this.keys.get(spec);
    if (!steps) {
      const key = `${spec.name}:${Object.values(spec.params).join(',')}`;
      steps = this.cache.get(key) ?? new Map<number, ActivationMoments>();
      this.cache.set(key, steps);
      this.keys.set(spec, steps);
    }
    const step = Math.round(Math.log10(v) * STEPS_PER_DECADE);
    let moments = steps.get(step);
    if (!moments) steps.set(step, (moments = activationMoments(spec, 10 ** (step / STEPS_PER_DECADE), features)));
    return moments;
  }

  meanSquare(weight: IRWeight): number {
    return registry.initializer(weight.init.name)!.meanSquare(weight.init, weight);
  }
}
