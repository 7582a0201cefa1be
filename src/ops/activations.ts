import type { ActivationSpec, TensorType } from '../ir/ir.js';
import { formatType, type OpDef, type ParamSpec, type ShapeContext } from '../registry/op.js';
import type { ActivationDef } from '../registry/tables.js';

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

const plain = (name: string, doc: string, autoInit: ActivationDef['autoInit']): ActivationDef => ({
  name,
  params: [],
  doc,
  autoInit,
  tfjsName: () => name,
  tfjsLayer: (_spec, layerName) => `tf.layers.activation({ activation: '${name}', name: ${layerName} })`,
});

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
  },
  {
    name: 'leaky_relu',
    params: [alphaParam(0.3, 'Slope below 0. The default 0.3 is Keras\'s and tfjs\'s `LeakyReLU` default (PyTorch uses 0.01).')],
    doc: 'Leaky relu: `x` above 0, `alpha · x` below (alpha defaults to 0.3, as in Keras).',
    autoInit: 'he',
    tfjsName: () => undefined,
    tfjsLayer: (spec, layerName) => `tf.layers.leakyReLU({ alpha: ${num(spec, 'alpha', 0.3)}, name: ${layerName} })`,
  },
];

const examples: Record<string, string> = { elu: 'elu(0.5)', leaky_relu: 'leaky_relu(0.2)' };

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
  };
}

const activationOps: OpDef[] = activationDefs.map(activationOp);
export default activationOps;
