import { anyShift, copyShape, isFloat, isImage, joinShapes, last, LIMITS, shiftAfter, withLast, type ModelBuilder, type Shape, type Tensor } from './model-builder.js';
import type { StepChoice } from './plan.js';
import { activation, batchNormText, choose, denseText, dropoutText, layerNormText } from './spelling.js';

/**
 * Steps on any float tensor: dense layers, activations, dropout, normalization, merges,
 * concatenation and shared layers. Each reads its numbers modulo what fits, and leaves the
 * model unchanged when nothing does.
 */

/** Elementwise activation ops usable mid-network (softmax is kept for the heads). */
export function activationStep(b: ModelBuilder, s: StepChoice): void {
  const t = b.pick(isFloat, s.pick);
  if (!t) return;
  const out = b.define(`${b.use(t)} -> ${activation(s.act)}`, copyShape(t), shiftAfter(activation(s.act), t.shift, false));
  if (b.centered.has(t) && activation(s.act) === 'linear') b.centered.add(out);
}

export function dropoutStep(b: ModelBuilder, s: StepChoice): void {
  const t = b.pick(isFloat, s.pick);
  if (!t) return;
  const out = b.define(`${b.use(t)} -> ${dropoutText(s.size, s.spell)}`, copyShape(t), t.shift);
  if (b.centered.has(t)) b.centered.add(out);
}

/** dense, then maybe an activation, dropout or layer_norm (which needs 3 features to be well conditioned). */
export function denseStep(b: ModelBuilder, s: StepChoice): void {
  const t = b.pick(isFloat, s.pick);
  if (!t) return;
  const units = b.width(s.size, 6);
  const act = activation(s.act);
  const post = choose(['', activation(s.act + 1), dropoutText(s.act, s.spell), layerNormText(s.spell)], s.variant);
  const normalized = post.startsWith('layer_norm');
  if (normalized && units < 3) return;
  if (!b.spend((last(t) + 1) * units + (normalized ? 2 * units : 0), normalized ? 2 : 1)) return;
  let shift = shiftAfter(act, t.shift);
  if (normalized) shift = 'channel';
  else if (s.variant % 4 === 1) shift = shiftAfter(post, shift, false);
  const out = b.define(`${b.use(t)} -> ${[denseText(units, act, s.spell), ...(post ? [post] : [])].join(' -> ')}`, withLast(t, units), shift);
  if (normalized) b.centered.add(out);
}

/**
 * layer_norm (not on a tensor shifted as a whole, which it would undo), or batch_norm behind a
 * layer without bias on a tensor with no shift (see Shift). That layer also sees at least 3
 * inputs per unit: batch_norm undoes a unit's scale, so with one input its kernel has no effect.
 */
export function normStep(b: ModelBuilder, s: StepChoice): void {
  const t = b.pick(isFloat, s.pick);
  if (!t) return;
  if (s.variant % 2 === 0) {
    if (last(t) >= 3 && t.shift !== 'row' && b.spend(2 * last(t), 1)) {
      b.centered.add(b.define(`${b.use(t)} -> ${layerNormText(s.spell)}`, copyShape(t), 'channel'));
    }
    return;
  }
  const units = 2 + (s.size % 4);
  const image = isImage(t);
  const k = 1 + (s.size % 2);
  if (t.shift !== 'none' || (image ? k * k : 1) * last(t) < 3) return;
  const layer = image ? `conv2d(${units}, ${k}, padding=same, bias=false)` : denseText(units, 'linear', s.spell, false);
  if (!b.spend((image ? k * k : 1) * last(t) * units + 4 * units, 2)) return;
  // Indices that are multiples of 3 leave the activation out; the others are all nonlinear.
  const act = s.act % 3 === 0 ? '' : ` -> ${activation(s.act)}`;
  b.define(`${b.use(t)} -> ${layer} -> ${batchNormText(s.spell)}${act}`, withLast(t, units), act ? 'none' : 'channel');
}

const MERGES = ['add', 'subtract', 'multiply', 'average', 'maximum', 'minimum'] as const;

/** An elementwise merge of tensors of one shape; a projection `a -> dense(n)` stands in for a missing partner (a skip connection). */
export function mergeStep(b: ModelBuilder, s: StepChoice): void {
  const a = b.pick(isFloat, s.pick);
  if (!a) return;
  const op = choose(MERGES, s.variant);
  const want = op === 'subtract' ? 2 : 2 + (s.size % 2);
  const candidates = b.pool.filter((t) => t !== a && isFloat(t) && b.mergeable(t, a));
  const partners = candidates.map((_, k) => candidates[(s.partner + k) % candidates.length]!).slice(0, want - 1);
  const projections = want - 1 - partners.length;
  if ((projections > 0 && b.tooNarrow(last(a))) || !b.spend(projections * (last(a) + 1) * last(a), projections)) return;
  const operands: Array<{ text: string; shape: Shape; shift: Tensor['shift'] }> = [a, ...partners].map((t) => ({ text: b.use(t), shape: t, shift: t.shift }));
  for (let k = 0; k < projections; k++) {
    const act = activation(s.act + k + 1);
    operands.push({ text: `${b.use(a)} -> ${denseText(last(a), act, s.spell)}`, shape: a, shift: shiftAfter(act, a.shift) });
  }
  const shape = operands.slice(1).reduce((joined, o) => joinShapes(joined, o.shape), copyShape(a));
  const texts = operands.map((o) => o.text).join(', ');
  const shift = op === 'add' || op === 'subtract' || op === 'average' ? anyShift(operands) : 'none';
  b.define(s.spell % 2 === 0 ? `${op}(${texts})` : `(${texts}) -> ${op}`, shape, shift);
}

/** concat along any axis; along the last one a projection of the first tensor can be the partner. */
export function concatStep(b: ModelBuilder, s: StepChoice): void {
  const a = b.pick(isFloat, s.pick);
  if (!a) return;
  const rank = a.dims.length;
  const axis = s.variant % rank;
  const limit = axis === rank - 1 ? LIMITS.vector : 8;
  let partners = b.pool.filter((t) => t !== a && isFloat(t) && b.mergeable(t, a, axis)).slice(0, 1 + (s.size % 2));
  const total = (ts: Tensor[]): number => ts.reduce((n, t) => n + t.sizes[axis]!, 0);
  while (partners.length > 0 && total([a, ...partners]) > limit) partners = partners.slice(0, -1);
  const lastAxis = choose(['', ', axis=-1', `, axis=${rank - 1}`], s.spell);
  if (partners.length > 0) {
    const all = [a, ...partners];
    const shape = partners.reduce((joined, t) => joinShapes(joined, t), copyShape(a));
    shape.dims[axis] = all.some((t) => t.dims[axis] === null) ? null : total(all);
    shape.sizes[axis] = total(all);
    const axisText = axis === rank - 1 ? lastAxis : choose([`, axis=${axis}`, `, axis=${axis - rank}`], s.spell);
    b.define(`concat(${all.map((t) => b.use(t)).join(', ')}${axisText})`, shape, anyShift(all));
    return;
  }
  const units = b.width(s.size, 3);
  if (last(a) + units > LIMITS.vector || !b.spend((last(a) + 1) * units, 1)) return;
  const name = b.use(a);
  b.use(a);
  const act = activation(s.act);
  const shift = anyShift([a, { shift: shiftAfter(act, a.shift) }]);
  b.define(`concat(${name}, ${name} -> ${denseText(units, act, s.spell)}${lastAxis})`, withLast(a, last(a) + units), shift);
}

/**
 * A `layer` declared once and applied twice: to two tensors of one shape, or twice in a row
 * when it keeps the shape, or to a tensor and to a transformed copy of it.
 */
export function sharedStep(b: ModelBuilder, s: StepChoice): void {
  const a = b.pick(isFloat, s.pick);
  if (!a) return;
  const c = last(a);
  const partner = b.pick((t) => isFloat(t) && b.mergeable(t, a), s.partner, a);
  const chain = !partner && s.variant % 2 === 0;
  const units = chain || isImage(a) ? c : b.width(s.size, 6);
  if (b.tooNarrow(units)) return;
  const conv = isImage(a) && s.variant % 3 !== 2;
  const k = 1 + (s.size % 3);
  const act = activation(s.act);
  const layer = conv ? `conv2d(${units}, ${k}, padding=same, activation=${act})` : denseText(units, act, s.spell);
  if (!b.spend(conv ? (k * k * c + 1) * units : (c + 1) * units, 1)) return;
  const name = b.fresh('shared');
  b.body.push(`layer ${name} = ${layer}`);
  const shift = shiftAfter(act, 'channel');
  if (chain) {
    b.define(`${b.use(a)} -> ${name} -> ${name}`, withLast(a, units), shift);
    return;
  }
  b.define(`${b.use(a)} -> ${name}`, withLast(a, units), shift);
  if (partner) b.define(`${b.use(partner)} -> ${name}`, withLast(partner, units), shift);
  else b.define(`${b.use(a)} -> ${activation(s.act + 2 + (s.act % 9))} -> ${name}`, withLast(a, units), shift);
}
