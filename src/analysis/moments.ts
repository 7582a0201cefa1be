import type { ActivationSpec, IRWeight } from '../ir/ir.js';
import type { SignalContext } from '../registry/op.js';
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

const QUIET: ReferenceContext = { training: false, dropout: false, random: () => 0, branches: () => {} };

/**
 * E[f(z)²] and E[f'(z)²] for z ~ N(0, v), from the activation's own float64 reference (so the
 * analysis and the engine agree on every activation). relu-like and linear ones have closed forms.
 */
export function activationMoments(spec: ActivationSpec, v: number): { forward: number; backward: number } {
  if (!(v > 0)) return { forward: 0, backward: spec.name === 'linear' ? 1 : 0 };
  switch (spec.name) {
    case 'linear':
      return { forward: v, backward: 1 };
    case 'relu':
      return { forward: v / 2, backward: 1 / 2 };
    case 'leaky_relu': {
      const a = spec.params.alpha ?? 0.3;
      return { forward: ((1 + a * a) / 2) * v, backward: (1 + a * a) / 2 };
    }
    case 'softmax':
      // Not elementwise; the outputs of a softmax are probabilities, not a signal that grows or shrinks.
      return { forward: v, backward: 1 };
  }
  const def = registry.activation(spec.name)!;
  const sd = Math.sqrt(v);
  const z = { shape: [POINTS], data: Float64Array.from(nodes, (t) => t * sd) };
  const y = def.reference.forward(z, spec, QUIET);
  const dy = def.reference.backward(z, y, { shape: [POINTS], data: new Float64Array(POINTS).fill(1) }, spec);
  let forward = 0;
  let backward = 0;
  for (let i = 0; i < POINTS; i++) {
    forward += weights[i]! * y.data[i]! ** 2;
    backward += weights[i]! * dy.data[i]! ** 2;
  }
  return { forward, backward };
}

/** Moments already computed in one analysis: the backward pass asks for the same ones as the forward. */
export type MomentCache = Map<string, { forward: number; backward: number }>;

export function signalContext(inputs: SignalContext['inputs'], activated: SignalContext['activated'], cache: MomentCache): SignalContext {
  return {
    inputs,
    activated,
    activation: (spec, v) => {
      const key = `${spec.name}:${Object.values(spec.params).join(',')}:${v}`;
      let moments = cache.get(key);
      if (!moments) cache.set(key, (moments = activationMoments(spec, v)));
      return moments;
    },
    meanSquare: (weight: IRWeight) => registry.initializer(weight.init.name)!.meanSquare(weight.init, weight),
  };
}
