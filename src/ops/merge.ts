import type { Dim, TensorType } from '../ir/ir.js';
import { formatShape, formatType, type OpDef, type ShapeContext, type TfjsEmitContext } from '../registry/op.js';
import { requireFloat, tfjsAxis } from './activations.js';

/**
 * Ops that combine several tensors: elementwise (same shapes in, same shape out) and concat.
 * An unknown dimension (`?`) matches any size; the result keeps the known one.
 */

/** "`a` is [5], `b` is [6]": every input with its shape, for shape mismatch details. */
function listInputs(inputs: readonly TensorType[], ctx: ShapeContext): string {
  return inputs.map((t, i) => `${ctx.describe(i)} is ${formatType(t)}`).join(', ');
}

function sameDim(a: Dim, b: Dim): boolean {
  return a === null || b === null || a === b;
}

function joinDim(a: Dim, b: Dim): Dim {
  return a === null ? b : a;
}

function elementwise(name: string, summary: string, tfjs: (ctx: TfjsEmitContext) => string, arity = { min: 2, max: Infinity }): OpDef {
  return {
    name,
    category: 'merge',
    arity,
    tensorArgs: true,
    params: [],
    doc: {
      summary,
      shape: '[...], [...], ... -> [...]; all inputs have the same shape',
      example: name === 'subtract' ? 'diff = subtract(a, b)' : `y = ${name}(x, h)`,
    },
    inferType(inputs, _attrs, ctx) {
      if (!inputs.every((t) => requireFloat(t, ctx))) return undefined;
      const first = inputs[0]!;
      const fits = inputs.every((t) => t.shape.length === first.shape.length && t.shape.every((d, i) => sameDim(d, first.shape[i]!)));
      if (!fits) {
        ctx.report('incompatibleShapes', { op: ctx.op, detail: `${listInputs(inputs, ctx)}; ${ctx.op} needs all inputs to have the same shape` }, elementwiseHelp(inputs));
        return undefined;
      }
      const shape = first.shape.map((_, i) => inputs.reduce<Dim>((d, t) => joinDim(d, t.shape[i]!), null));
      return { shape, dtype: 'float32' };
    },
    emitTfjs: (_layer, ctx) => [tfjs(ctx)],
  };
}

/** Vectors of different lengths are usually meant to be concatenated or projected. */
function elementwiseHelp(inputs: readonly TensorType[]): { help?: string } {
  if (!inputs.every((t) => t.shape.length === 1)) return {};
  const size = inputs[0]!.shape[0];
  if (size === null) return {};
  return { help: `use \`concat\` to join vectors of different lengths, or project them to one length first with \`-> dense(${size})\`` };
}

const concat: OpDef = {
  name: 'concat',
  category: 'merge',
  arity: { min: 2, max: Infinity },
  tensorArgs: true,
  params: [
    { name: 'axis', type: { kind: 'int' }, default: -1, doc: 'Axis to join on, counted without the batch dimension (0 is the first written dimension, -1 the last).' },
  ],
  doc: {
    summary: 'Joins tensors along one axis; all other dimensions must match.',
    shape: '[..., a], [..., b] -> [..., a + b] (for axis -1)',
    example: 'merged = concat(wide, hidden)',
  },
  inferType(inputs, attrs, ctx) {
    const first = inputs[0]!;
    const axis = attrs.axis as number;
    const odd = inputs.find((t) => t.dtype !== first.dtype);
    if (odd) {
      ctx.report('dtypeMismatch', { op: ctx.op, expected: `${first.dtype} (like its first input)`, found: odd.dtype }, {
        help: 'integer ids and float values cannot share a tensor: embed the ids first with `embedding(vocab, dim)`',
      });
      return undefined;
    }
    const rank = first.shape.length;
    const index = axis < 0 ? rank + axis : axis;
    const sameRank = inputs.every((t) => t.shape.length === rank);
    if (sameRank && (index < 0 || index >= rank)) {
      ctx.report('wrongRank', {
        op: ctx.op,
        expected: rank === 0 ? 'inputs with at least one dimension' : `an axis between ${-rank} and ${rank - 1}, found ${axis}`,
        shape: formatType(first),
      });
      return undefined;
    }
    const fits = sameRank && inputs.every((t) => t.shape.every((d, i) => i === index || sameDim(d, first.shape[i]!)));
    if (!fits) {
      ctx.report('incompatibleShapes', {
        op: ctx.op,
        detail: `${listInputs(inputs, ctx)}; concat joins on axis ${axis} and needs the other dimensions equal`,
      }, sameRank ? {} : concatHelp(inputs, ctx));
      return undefined;
    }
    const shape = first.shape.map((_, i) => {
      if (i !== index) return inputs.reduce<Dim>((d, t) => joinDim(d, t.shape[i]!), null);
      return inputs.some((t) => t.shape[i] === null) ? null : inputs.reduce((n, t) => n + (t.shape[i] as number), 0);
    });
    return { shape, dtype: first.dtype };
  },
  emitTfjs: (layer, ctx) => [`tf.layers.concatenate({ axis: ${tfjsAxis(layer.attrs.axis as number)}, name: ${ctx.name} })`],
};

/** When ranks differ, flattening the higher-rank inputs is what joins them as vectors. */
function concatHelp(inputs: readonly TensorType[], ctx: ShapeContext): { help?: string } {
  const flat = inputs.map((t, i) => ({ t, i })).filter(({ t }) => t.shape.length > 1);
  if (flat.length === 0 || !inputs.some((t) => t.shape.length === 1)) return {};
  const which = flat.map(({ i }) => ctx.describe(i)).join(' and ');
  const example = formatShape([flat[0]!.t.shape.reduce<Dim>((n, d) => (n === null || d === null ? null : n * d), 1)]);
  return { help: `flatten ${which} first (\`-> flatten\`, giving ${example}) to join ${flat.length > 1 ? 'them' : 'it'} as a vector` };
}

const merge: OpDef[] = [
  elementwise('add', 'Elementwise sum of two or more tensors (e.g. a residual connection).', (ctx) => `tf.layers.add({ name: ${ctx.name} })`),
  // tfjs has no Subtract layer; the code generator supplies one.
  elementwise('subtract', 'Elementwise difference `a - b` of exactly two tensors.', (ctx) => `new ${ctx.useRuntime('Subtract')}({ name: ${ctx.name} })`, { min: 2, max: 2 }),
  elementwise('multiply', 'Elementwise product of two or more tensors (e.g. gating).', (ctx) => `tf.layers.multiply({ name: ${ctx.name} })`),
  elementwise('average', 'Elementwise mean of two or more tensors.', (ctx) => `tf.layers.average({ name: ${ctx.name} })`),
  elementwise('maximum', 'Elementwise maximum of two or more tensors.', (ctx) => `tf.layers.maximum({ name: ${ctx.name} })`),
  elementwise('minimum', 'Elementwise minimum of two or more tensors.', (ctx) => `tf.layers.minimum({ name: ${ctx.name} })`),
  concat,
];

export default merge;
