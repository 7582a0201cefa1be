import type { ActivationSpec, Attrs, TensorType } from '../../ir/ir.js';
import { normalCdf, normalPdf } from '../../reference/kernels/erf.js';
import type { ReferenceContext } from '../../reference/context.js';
import type { Tensor64 } from '../../reference/tensor.js';
import { formatType, type ActivationMoments, type OpDef, type ParamSpec, type ShapeContext, type SignalContext } from '../../registry/op.js';
import type { ActivationDef } from '../../registry/tables.js';
import { activationOnnx } from './onnx.js';
import { torchActivations } from './torch.js';

/**
 * The activation functions. Each is both a table entry (for `dense(30, relu)`) and an op
 * (for `-> relu`); the op applies it elementwise and keeps the shape.
 */

/** A parameter of an activation, with its declared default when the user left it out. */
function num(spec: ActivationSpec, name: string, fallback: number): number {
  const value = spec.params[name];
  return typeof value === 'number' ? value : fallback;
}

/** Axes in the language skip the batch dimension; tfjs counts it as axis 0. */
export function tfjsAxis(axis: number): number {
  return axis < 0 ? axis : axis + 1;
}

/** Reports integer inputs, which carry ids rather than values. */
export function requireFloat(input: TensorType, ctx: ShapeContext): boolean {
  if (input.dtype === 'float32') return true;
  ctx.report('dtypeMismatch', { op: ctx.op, expected: 'float32', found: input.dtype }, {
    help: 'integer inputs carry ids: feed them through `embedding(vocab, dim)` first',
  });
  return false;
}

/**
 * Whether an activation can be applied to tensors of this type: tfjs's softmax normalises
 * over the last axis only. Used by the activation ops and by layers with an `activation` argument.
 */
export function checkActivation(spec: ActivationSpec, type: TensorType, ctx: ShapeContext): boolean {
  if (spec.name !== 'softmax') return true;
  const rank = type.shape.length;
  const axis = num(spec, 'axis', -1);
  if (rank === 0 || (axis !== -1 && axis !== rank - 1)) {
    const last = rank === 0 ? 'there is no axis to normalise over' : `for shape ${formatType(type)} that is \`-1\` or \`${rank - 1}\``;
    ctx.report('invalidArgumentValue', {
      op: 'softmax',
      name: 'axis',
      reason: `TensorFlow.js normalises over the last axis only; ${last}`,
    });
    return false;
  }
  return true;
}

type Reference = ActivationDef['reference'];

/** An elementwise function: y from x, and dy/dx from x and y. */
interface Pointwise {
  f(x: number): number;
  df(x: number, y: number): number;
}

/**
 * The float64 semantics of an elementwise activation. A `kinked` one (its derivative jumps
 * at 0) records which side of 0 every element fell on; at 0 itself the derivative is tfjs's.
 */
function pointwise(make: (spec: ActivationSpec) => Pointwise, kinked = false): Reference {
  return {
    forward(x, spec, ctx) {
      const { f } = make(spec);
      const input = x.data;
      const data = new Float64Array(input.length);
      for (let i = 0; i < input.length; i++) data[i] = f(input[i]!);
      if (kinked) ctx.branches(positive(input));
      return { shape: [...x.shape], data };
    },
    backward(x, y, gradY, spec) {
      const { df } = make(spec);
      const [input, output, g] = [x.data, y.data, gradY.data];
      const data = new Float64Array(input.length);
      for (let i = 0; i < input.length; i++) data[i] = g[i]! * df(input[i]!, output[i]!);
      return { shape: [...x.shape], data };
    },
  };
}

function positive(x: Float64Array): Uint8Array {
  const side = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) side[i] = x[i]! > 0 ? 1 : 0;
  return side;
}

/** relu, the most used activation, in plain loops: the shared pointwise loop calls through closures. */
const reluReference: Reference = {
  forward(x, _spec, ctx) {
    const input = x.data;
    const data = new Float64Array(input.length);
    for (let i = 0; i < input.length; i++) data[i] = input[i]! > 0 ? input[i]! : 0;
    ctx.branches(positive(input));
    return { shape: [...x.shape], data };
  },
  // Reads only the sign of its first argument, so the output serves as well as the input.
  backward(x, _y, gradY) {
    const data = new Float64Array(x.data.length);
    for (let i = 0; i < data.length; i++) data[i] = x.data[i]! > 0 ? gradY.data[i]! : 0;
    return { shape: [...x.shape], data };
  },
};

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** tfjs's constants (backend_util.SELU_SCALE, SELU_SCALEALPHA). */
const SELU_SCALE = 1.0507009873554805;
const SELU_SCALE_ALPHA = 1.7580993408473769;

/**
 * Float64 references of the activations without parameters. tfjs's choices at 0: relu'(0) = 0,
 * selu'(0) = scale · alpha (its gradient tests x > 0). softplus is the exact log(1 + eˣ):
 * tfjs's float32 kernel switches to x or eˣ beyond |x| ≈ 13.9, within float32 rounding of it.
 */
const references: Record<string, Reference> = {
  linear: pointwise(() => ({ f: (x) => x, df: () => 1 })),
  relu: reluReference,
  tanh: pointwise(() => ({ f: Math.tanh, df: (_x, y) => 1 - y * y })),
  sigmoid: pointwise(() => ({ f: sigmoid, df: (_x, y) => y * (1 - y) })),
  selu: pointwise(
    () => ({
      f: (x) => (x >= 0 ? SELU_SCALE * x : SELU_SCALE_ALPHA * Math.expm1(x)),
      df: (x) => (x > 0 ? SELU_SCALE : SELU_SCALE_ALPHA * Math.exp(x)),
    }),
    true,
  ),
  softplus: pointwise(() => ({ f: (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))), df: sigmoid })),
  gelu: pointwise(() => ({ f: (x) => x * normalCdf(x), df: (x) => normalCdf(x) + x * normalPdf(x) })),
  swish: pointwise(() => ({
    f: (x) => x * sigmoid(x),
    df: (x) => {
      const s = sigmoid(x);
      return s + x * s * (1 - s);
    },
  })),
};

/** Softmax over the last axis (the only one tfjs normalises over; the checker enforces it). */
const softmaxReference: Reference = {
  forward(x) {
    const n = x.shape[x.shape.length - 1]!;
    const data = new Float64Array(x.data.length);
    for (let row = 0; row < data.length; row += n) {
      let max = -Infinity;
      for (let j = row; j < row + n; j++) max = Math.max(max, x.data[j]!);
      let total = 0;
      for (let j = row; j < row + n; j++) total += data[j] = Math.exp(x.data[j]! - max);
      for (let j = row; j < row + n; j++) data[j]! /= total;
    }
    return { shape: [...x.shape], data };
  },
  backward(x, y, gradY) {
    const n = x.shape[x.shape.length - 1]!;
    const data = new Float64Array(x.data.length);
    for (let row = 0; row < data.length; row += n) {
      let dot = 0;
      for (let j = row; j < row + n; j++) dot += gradY.data[j]! * y.data[j]!;
      for (let j = row; j < row + n; j++) data[j] = y.data[j]! * (gradY.data[j]! - dot);
    }
    return { shape: [...x.shape], data };
  },
};

/**
 * elu(alpha): alpha · (eˣ - 1) below 0. tfjs's derivative at 0 is alpha: its elu gradient is 1
 * there (it tests y ≥ 0) and, for alpha ≠ 1, the leakyRelu it is wrapped in contributes alpha.
 */
const eluReference = pointwise(
  (spec) => {
    const alpha = num(spec, 'alpha', 1);
    return { f: (x) => (x > 0 ? x : alpha * Math.expm1(x)), df: (x) => (x > 0 ? 1 : alpha * Math.exp(x)) };
  },
  true,
);

/** leaky_relu(alpha): tfjs's gradient tests x > 0, so the slope at 0 is alpha. */
const leakyReluReference = pointwise(
  (spec) => {
    const alpha = num(spec, 'alpha', 0.3);
    return { f: (x) => (x > 0 ? x : alpha * x), df: (x) => (x > 0 ? 1 : alpha) };
  },
  true,
);

const plain = (name: string, doc: string, autoInit: ActivationDef['autoInit']): ActivationDef => ({
  name,
  params: [],
  doc,
  autoInit,
  tfjsName: () => name,
  tfjsLayer: (_spec, layerName) => `tf.layers.activation({ activation: '${name}', name: ${layerName} })`,
  onnx: activationOnnx[name]!,
  ...torchOf(name),
  reference: references[name]!,
});

/** The torch lowering and its documented differences, by name. */
function torchOf(name: string): Pick<ActivationDef, 'torch' | 'torchDifferences'> {
  const lowering = torchActivations[name];
  if (!lowering) throw new Error(`internal: activation \`${name}\` has no torch lowering`);
  return { torch: lowering.apply, ...(lowering.differences ? { torchDifferences: lowering.differences } : {}) };
}

const alphaParam = (value: number, doc: string): ParamSpec => ({ name: 'alpha', type: { kind: 'number' }, default: value, doc });

/**
 * elu with alpha ≠ 1: tfjs's ELU layer refuses other alphas and its `elu` has none. elu keeps
 * the sign of its input, so leakyRelu(elu(x), alpha) is exactly alpha·(eˣ - 1) below 0 and x above.
 * As one layer expression that needs a small custom layer; `call` reads `arguments` so that the
 * text is valid both as JavaScript and as strict TypeScript.
 */
function eluLayer(alpha: number, layerName: string): string {
  return (
    `new (class extends tf.layers.Layer { static className = 'EluAlpha'; ` +
    `call() { const x = arguments[0]; return tf.tidy(() => tf.leakyRelu(tf.elu(Array.isArray(x) ? x[0] : x), ${alpha})); } ` +
    `})({ name: ${layerName} })`
  );
}

export const activationDefs: ActivationDef[] = [
  plain('linear', 'The identity: `x`.', 'xavier'),
  plain('relu', 'Rectified linear unit: `max(x, 0)`.', 'he'),
  plain('tanh', 'Hyperbolic tangent, in (-1, 1).', 'xavier'),
  plain('sigmoid', 'Logistic function `1 / (1 + e⁻ˣ)`, in (0, 1); pairs with `binary_crossentropy`.', 'xavier'),
  plain('selu', 'Scaled ELU (λ ≈ 1.0507, α ≈ 1.6733): self-normalising with `lecun` initialization.', 'lecun'),
  plain('softplus', 'Smooth relu: `log(1 + eˣ)`.', 'xavier'),
  plain('gelu', "Gaussian error linear unit, exact form `x · Φ(x)` with the erf (tfjs's `gelu`; `gelu_new` is the tanh approximation).", 'he'),
  plain('swish', 'Swish (SiLU): `x · sigmoid(x)`.', 'he'),
  {
    name: 'softmax',
    params: [
      { name: 'axis', type: { kind: 'int' }, default: -1, doc: 'Axis to normalise over, counted without the batch dimension; must be the last.' },
    ],
    doc: 'Normalised exponentials: non-negative and summing to 1 along `axis`; pairs with `categorical_crossentropy`.',
    autoInit: 'xavier',
    tfjsName: (spec) => (num(spec, 'axis', -1) === -1 ? 'softmax' : undefined),
    tfjsLayer: (spec, layerName) => `tf.layers.softmax({ axis: ${tfjsAxis(num(spec, 'axis', -1))}, name: ${layerName} })`,
    onnx: activationOnnx.softmax!,
    ...torchOf('softmax'),
    reference: softmaxReference,
  },
  {
    name: 'elu',
    params: [alphaParam(1, 'Value approached for large negative inputs is `-alpha`.')],
    doc: 'Exponential linear unit: `x` above 0, `alpha · (eˣ - 1)` below.',
    autoInit: 'he',
    tfjsName: (spec) => (num(spec, 'alpha', 1) === 1 ? 'elu' : undefined),
    tfjsLayer: (spec, layerName) => {
      const alpha = num(spec, 'alpha', 1);
      return alpha === 1 ? `tf.layers.elu({ name: ${layerName} })` : eluLayer(alpha, layerName);
    },
    onnx: activationOnnx.elu!,
    ...torchOf('elu'),
    reference: eluReference,
  },
  {
    name: 'leaky_relu',
    params: [alphaParam(0.3, 'Slope below 0. The default 0.3 is Keras\'s and tfjs\'s `LeakyReLU` default (PyTorch uses 0.01).')],
    doc: 'Leaky relu: `x` above 0, `alpha · x` below (alpha defaults to 0.3, as in Keras).',
    autoInit: 'he',
    tfjsName: () => undefined,
    tfjsLayer: (spec, layerName) => `tf.layers.leakyReLU({ alpha: ${num(spec, 'alpha', 0.3)}, name: ${layerName} })`,
    onnx: activationOnnx.leaky_relu!,
    ...torchOf('leaky_relu'),
    reference: leakyReluReference,
  },
];

function activationDef(spec: ActivationSpec): ActivationDef {
  const def = activationDefs.find((d) => d.name === spec.name);
  if (!def) throw new Error(`internal: unknown activation \`${spec.name}\``);
  return def;
}

/** Applies a layer's activation to its pre-activation `z`; linear returns `z` itself. */
export function applyActivation(spec: ActivationSpec, z: Tensor64, ctx: ReferenceContext): Tensor64 {
  return spec.name === 'linear' ? z : activationDef(spec).reference.forward(z, spec, ctx);
}

/** Activations whose derivative is a function of their output alone: no need to recompute the input. */
const OUTPUT_ONLY: ReadonlySet<string> = new Set(['relu', 'tanh', 'sigmoid', 'softmax']);

/**
 * dLoss/dz for a layer's pre-activation z, given its output y and dLoss/dy. `z` is recomputed
 * (by the layer, through the callback) only for activations that need it; linear returns `gradY` itself.
 */
export function activationGradient(spec: ActivationSpec, z: () => Tensor64, y: Tensor64, gradY: Tensor64): Tensor64 {
  if (spec.name === 'linear') return gradY;
  // relu's derivative reads x > 0, which is y > 0; the others here read only y.
  return activationDef(spec).reference.backward(OUTPUT_ONLY.has(spec.name) ? y : z(), y, gradY, spec);
}

const examples: Record<string, string> = { elu: 'elu(0.5)', leaky_relu: 'leaky_relu(0.2)' };

const specOf = (def: ActivationDef, attrs: Attrs): ActivationSpec => ({ name: def.name, params: attrs as Record<string, number> });
const lastAxis = (type: TensorType): number => type.shape[type.shape.length - 1] ?? 1;

function activationOp(def: ActivationDef): OpDef {
  const example = `h = x -> dense(64) -> ${examples[def.name] ?? def.name}`;
  return {
    name: def.name,
    category: 'activation',
    arity: { min: 1, max: 1 },
    params: def.params,
    doc: { summary: def.doc, shape: '[...] -> [...] (unchanged); float32 only', example },
    activation: (attrs) => ({ name: def.name, params: attrs as Record<string, number> }),
    inferType(inputs, attrs, ctx) {
      const input = inputs[0]!;
      if (!requireFloat(input, ctx)) return undefined;
      if (!checkActivation({ name: def.name, params: attrs as Record<string, number> }, input, ctx)) return undefined;
      return { shape: [...input.shape], dtype: 'float32' };
    },
    emitTfjs(layer, ctx) {
      const alpha = layer.attrs.alpha;
      if (def.name === 'elu' && typeof alpha === 'number' && alpha !== 1) {
        // Two built-in layers say the same as eluLayer's custom class, more plainly.
        return [`tf.layers.elu({ name: ${ctx.subName('elu')} })`, `tf.layers.leakyReLU({ alpha: ${alpha}, name: ${ctx.name} })`];
      }
      const activation = ctx.activation({ name: def.name, params: layer.attrs as Record<string, number> }, ctx.name);
      if ('layer' in activation) return [activation.layer];
      return [`tf.layers.activation({ activation: ${activation.inline}, name: ${ctx.name} })`];
    },
    onnx: {
      doc: def.onnx.doc,
      dims: 'same',
      lower: (ctx) => ctx.activation(specOf(def, ctx.layer.attrs), ctx.input(0, 'any')),
    },
    torch: {
      forward: (layer, [x], ctx) => ctx.activation(specOf(def, layer.attrs), x!),
      ...(def.torchDifferences ? { differences: def.torchDifferences } : {}),
    },
    reference: {
      forward: ({ inputs, attrs }, ctx) => def.reference.forward(inputs[0]!, { name: def.name, params: attrs as Record<string, number> }, ctx),
      backward: ({ inputs, attrs, output, gradOutput }) => ({
        inputs: [def.reference.backward(inputs[0]!, output, gradOutput, { name: def.name, params: attrs as Record<string, number> })],
        weights: [],
      }),
    },
    signal: {
      forward: (inputs, layer, ctx) => (ctx.activated[0] ? inputs[0]! : standalone(def, inputs, layer.attrs, ctx).forward),
      backward: (g, inputs, layer, ctx) => [ctx.activated[0] ? g : g * standalone(def, inputs, layer.attrs, ctx).backward],
      mean: (inputs, layer, ctx) => (ctx.activated[0] ? ctx.means[0]! : standalone(def, inputs, layer.attrs, ctx).mean),
      offset: (inputs, layer, ctx) => {
        const [q, m, offset] = [inputs[0]!, ctx.means[0]!, ctx.offsets[0]!];
        if (ctx.activated[0]) return offset;
        return ctx.activationOffset(specOf(def, layer.attrs), m, Math.max(offset - m * m, 0), Math.max(q - offset, 0), lastAxis(ctx.inputs[0]!));
      },
    },
  };
}

/**
 * The signal rule of an activation on its own (`-> relu`), applied to a signal x with mean μ and
 * second moment q. The input is taken as z ~ N(μ, q − μ²): its own mean and variance, not
 * N(0, q). That matters where x is a sum whose parts are not zero-mean, as in the residual block
 * `y = add(x, h) -> relu` with x the previous block's relu output (μ_x = 0.56·√q_x for
 * relu(N(0, ·))) and h a zero-mean branch: s = x + h has mean μ_x and variance
 * (q_x − μ_x²) + q_h, and for r = μ/σ
 *
 *     E[relu(s)²] = (μ² + σ²)·Φ(r) + μ·σ·φ(r),   E[relu'(s)²] = Φ(r),   E[relu(s)] = μ·Φ(r) + σ·φ(r).
 *
 * With q_h = q_x (a he branch closed by a xavier layer) the block multiplies E[a²] by 1.60,
 * tending to 1.72 with depth, and the gradient's second moment by 1.42 (Φ(r) ≈ 0.71 at the relu,
 * then the skip and the branch each pass it whole), where treating s as already rectified (relu
 * passing it unchanged) predicted 2 and 2, and N(0, q) would predict 1 and 1. x + h is not
 * Gaussian (x is a rectified one): a scalar Monte Carlo of the exact mean-field recursion gives
 * 1.68 for the first block and 1.74 later, so this understates the variance by 5% in the first
 * block and 1-1.5% per block after. Applied directly to another activation's output (relu after
 * relu), a relu-like function is the identity there and the signal passes unchanged.
 */
function standalone(def: ActivationDef, inputs: readonly number[], attrs: Attrs, ctx: SignalContext): ActivationMoments {
  const mean = ctx.means[0] ?? 0;
  return ctx.activation(specOf(def, attrs), Math.max(inputs[0]! - mean * mean, 0), lastAxis(ctx.inputs[0]!), mean);
}

const activationOps: OpDef[] = activationDefs.map(activationOp);
export default activationOps;
