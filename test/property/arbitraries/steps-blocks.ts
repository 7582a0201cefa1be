import { copyShape, isFloat, joinShapes, last, shiftAfter, withLast, type ModelBuilder, type Tensor } from './model-builder.js';
import type { StepChoice } from './plan.js';
import { activation, choose, denseText } from './spelling.js';

/**
 * Blocks (declared on first use) and `repeat`. The three blocks cover parameters with and
 * without defaults, a parameter in an input shape, activations and rates passed as arguments,
 * two inputs (a tuple in) and two outputs (a tuple out).
 */

const RESIDUAL = `block Residual(width, units, act = tanh, rate = 0.1) {
  input x: [width]
  h = x -> dense(units, act) -> dropout(rate) -> dense(width)
  output y = add(x, h)
}`;

const GATE = `block Gate(units) {
  input a
  input b
  gate = a -> dense(units, sigmoid)
  output y = multiply(gate, b)
}`;

const SPLIT = `block Split(units, act = relu) {
  input x
  output low = x -> dense(units, act)
  output high = x -> dense(units, tanh)
}`;

const isVector = (t: Tensor): boolean => isFloat(t) && t.dims.length === 1;

/** `Residual(...)` for a vector of `width` features, spelt one of several ways. */
function residualCall(b: ModelBuilder, width: number, units: number, s: StepChoice): string {
  b.declareBlock('Residual', RESIDUAL);
  return choose(
    [
      `Residual(${width}, ${units})`,
      `Residual(${width}, ${units}, act=${activation(s.act)})`,
      `Residual(width=${width}, units=${units}, rate=0.25)`,
      `Residual(${width}, ${units}, ${activation(s.act)}, 0.5)`,
    ],
    s.spell,
  );
}

const residualParams = (width: number, units: number): number => (width + 1) * units + (units + 1) * width;

export function blockStep(b: ModelBuilder, s: StepChoice): void {
  const units = b.width(s.size, 4);
  switch (s.variant % 3) {
    case 0: {
      const t = b.pick(isVector, s.pick);
      if (!t || b.tooNarrow(last(t)) || !b.spend(residualParams(last(t), units), 2)) return;
      // The residual's last dense adds its bias straight to the output.
      b.define(`${b.use(t)} -> ${residualCall(b, last(t), units, s)}`, copyShape(t), 'channel');
      return;
    }
    case 1: {
      // Gate(n) multiplies b by a gate computed from a: a and b agree on all axes but the last.
      const a = b.pick(isFloat, s.pick);
      if (!a) return;
      const fits = (t: Tensor): boolean => isFloat(t) && b.mergeable(withLast(t, 1), withLast(a, 1));
      const other = b.pick(fits, s.partner, a) ?? a;
      if (b.tooNarrow(last(other)) || !b.spend((last(a) + 1) * last(other), 1)) return;
      b.declareBlock('Gate', GATE);
      b.define(`(${b.use(a)}, ${b.use(other)}) -> Gate(${last(other)})`, joinShapes(withLast(a, last(other)), other), 'none');
      return;
    }
    default: {
      // Split's two outputs arrive as a tuple, which a merge op takes as its inputs.
      const t = b.pick(isFloat, s.pick);
      if (!t || !b.spend(2 * (last(t) + 1) * units, 2)) return;
      b.declareBlock('Split', SPLIT);
      const merge = choose(['add', 'concat', 'maximum', 'average'], s.act);
      const act = s.spell % 2 === 0 ? 'relu' : activation(s.act);
      const call = s.spell % 2 === 0 ? `Split(${units})` : `Split(${units}, act=${act})`;
      const shift = merge === 'maximum' ? 'none' : shiftAfter(act, 'channel');
      b.define(`${b.use(t)} -> ${call} -> ${merge}`, withLast(t, merge === 'concat' ? 2 * units : units), shift);
    }
  }
}

/**
 * Activations whose derivative stays near 1 somewhere: repeated sigmoids (slope at most 1/4)
 * make gradients vanish below what a float64 finite difference can resolve against the loss.
 */
const KEEPS_GRADIENT = ['linear', 'relu', 'tanh', 'elu', 'selu', 'leaky_relu(0.2)', 'gelu', 'swish'] as const;

/** `repeat(n, layer)`: n copies, each with its own weights; the layer keeps the shape. */
export function repeatStep(b: ModelBuilder, s: StepChoice): void {
  const count = 1 + (s.size % 3);
  if (s.variant % 2 === 0) {
    const t = b.pick(isFloat, s.pick);
    if (!t || b.tooNarrow(last(t)) || !b.spend(count * (last(t) + 1) * last(t), count)) return;
    const act = choose(KEEPS_GRADIENT, s.act);
    b.define(`${b.use(t)} -> repeat(${count}, ${denseText(last(t), act, s.spell)})`, copyShape(t), shiftAfter(act, 'channel'));
    return;
  }
  const t = b.pick(isVector, s.pick);
  const units = b.width(s.partner, 4);
  if (!t || b.tooNarrow(last(t)) || !b.spend(count * residualParams(last(t), units), 2 * count)) return;
  b.define(`${b.use(t)} -> repeat(${count}, ${residualCall(b, last(t), units, s)})`, copyShape(t), 'channel');
}
