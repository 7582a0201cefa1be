import type { Dim, IRLayer, TensorType } from '../../ir/ir.js';
import type { Tensor64 } from '../../reference/tensor.js';
import { formatShape, formatType, product, type OpDef, type OpReference, type OpSignal, type ShapeContext, type SignalContext, type TfjsEmitContext } from '../../registry/op.js';
import { requireFloat, tfjsAxis } from '../activations/index.js';
import type { OpOnnx } from '../../registry/onnx.js';
import { mergeOnnx } from './onnx.js';
import { torchMerges } from './torch.js';

/**
 * Ops that combine several tensors: elementwise (same shapes in, same shape out) and concat.
 * In elementwise merges an unknown dimension (`?`) matches any size and is unified with it: the
 * inputs must agree at run time, so the result has the known size. TensorFlow.js's merge layers
 * keep `null` there instead; the lowering then restores the shape with a reshape, so that the
 * layers after it (a `flatten`, a `dense` on that axis) see what the checker saw. concat needs its
 * other dimensions identical, `?` included, like tfjs's.
 */

/** "`a` is [5], `b` is [6]": every input with its shape, for shape mismatch details. */
function listInputs(inputs: readonly TensorType[], ctx: ShapeContext): string {
  return inputs.map((t, i) => `${ctx.describe(i)} is ${formatType(t)}`).join(', ');
}

function sameDim(a: Dim, b: Dim): boolean {
  return a === null || b === null || a === b;
}

function joinDim(a: Dim, b: Dim): Dim {
  return a ?? b;
}

/** What tfjs's merge layers infer: `null` wherever an input has it. */
function tfjsDim(a: Dim, b: Dim): Dim {
  return a === null || b === null ? null : a;
}

/**
 * The merge layer, then (when unification knows more than tfjs would) a reshape to the unified
 * shape. tfjs's Reshape needs every target size, so a shape with a `?` left is not restored;
 * the layers after it then see `null` where the checker saw a size (only with two `?`s at one
 * position and a known size at another).
 */
function withUnifiedShape(merge: string, ctx: TfjsEmitContext): string[] {
  const shapes = ctx.inputs.map((t) => t.shape);
  if (shapes.length === 0) return [merge];
  const unified = shapes[0]!.map((d0, i) => shapes.reduce<Dim>((d, s) => joinDim(d, s[i]!), d0));
  const tfjs = shapes[0]!.map((d0, i) => shapes.reduce<Dim>((d, s) => tfjsDim(d, s[i]!), d0));
  if (unified.some((d) => d === null) || unified.every((d, i) => d === tfjs[i])) return [merge];
  return [merge, `tf.layers.reshape({ targetShape: [${unified.join(', ')}], name: ${ctx.subName('shape')} })`];
}

const shaped = (like: Tensor64, data: Float64Array): Tensor64 => ({ shape: [...like.shape], data });

/**
 * The engine's guard: elementwise merges combine tensors of one shape. The checker guarantees it
 * for shapes it knows; sizes of `?` come with the data, and a mismatch there would read past the
 * end of the shorter operand (NaN) instead of failing.
 */
function sameShapes(inputs: readonly Tensor64[], op: string): readonly Tensor64[] {
  const first = inputs[0]!;
  const odd = inputs.find((t) => t.shape.length !== first.shape.length || t.shape.some((d, i) => d !== first.shape[i]));
  if (odd) {
    const shapes = inputs.map((t) => `[${t.shape.join(', ')}]`).join(', ');
    throw new RangeError(`\`${op}\` cannot combine operands of shapes ${shapes} elementwise (batch first): they must have one shape`);
  }
  return inputs;
}

/**
 * add, subtract and average: out = scale · Σ_k sign_k · x_k (tfjs's average sums, then
 * multiplies by 1/n). Linear, so input k's gradient is scale · sign_k · g.
 */
function linear(op: string, signs: (n: number) => number[], scale: (n: number) => number = () => 1): OpReference {
  return {
    forward({ inputs }) {
      sameShapes(inputs, op);
      const [sign, factor] = [signs(inputs.length), scale(inputs.length)];
      const data = new Float64Array(inputs[0]!.data.length);
      inputs.forEach((t, k) => {
        for (let i = 0; i < data.length; i++) data[i]! += sign[k]! * t.data[i]!;
      });
      if (factor !== 1) for (let i = 0; i < data.length; i++) data[i]! *= factor;
      return shaped(inputs[0]!, data);
    },
    backward({ inputs, gradOutput }) {
      const [sign, factor] = [signs(inputs.length), scale(inputs.length)];
      const grads = inputs.map((t, k) => {
        const data = new Float64Array(t.data.length);
        const times = sign[k]! * factor;
        for (let i = 0; i < data.length; i++) data[i] = gradOutput.data[i]! * times;
        return shaped(t, data);
      });
      return { inputs: grads, weights: [] };
    },
  };
}

/** The product of all inputs but input `skip` (none when -1), elementwise; no division, so zeros are fine. */
function productExcept(xs: readonly Tensor64[], skip: number): Float64Array {
  const data = new Float64Array(xs[0]!.data.length).fill(1);
  xs.forEach((t, k) => {
    if (k !== skip) for (let i = 0; i < data.length; i++) data[i]! *= t.data[i]!;
  });
  return data;
}

const multiplyReference: OpReference = {
  forward: ({ inputs }) => shaped(inputs[0]!, productExcept(sameShapes(inputs, 'multiply'), -1)),
  backward: ({ inputs, gradOutput }) => ({
    inputs: inputs.map((t, k) => shaped(t, productExcept(inputs, k).map((p, i) => p * gradOutput.data[i]!))),
    weights: [],
  }),
};

/**
 * maximum/minimum: tfjs folds the inputs left to right and its gradient keeps the running
 * winner on ties (greaterEqual/lessEqual), so the first extreme input wins. The winner of
 * every element is the kink recorded, and the only input its gradient reaches.
 */
function extreme(op: string, beats: (a: number, b: number) => boolean): OpReference {
  const winners = (xs: readonly Float64Array[]): Int32Array =>
    Int32Array.from(xs[0]!, (_, i) => {
      let best = 0;
      for (let k = 1; k < xs.length; k++) if (beats(xs[k]![i]!, xs[best]![i]!)) best = k;
      return best;
    });
  return {
    forward({ inputs }, ctx) {
      const xs = sameShapes(inputs, op).map((t) => t.data);
      const win = winners(xs);
      ctx.branches(win);
      return shaped(inputs[0]!, Float64Array.from(win, (k, i) => xs[k]![i]!));
    },
    backward({ inputs, gradOutput }) {
      const win = winners(inputs.map((t) => t.data));
      const grads = inputs.map((t) => shaped(t, new Float64Array(t.data.length)));
      win.forEach((k, i) => {
        grads[k]!.data[i] = gradOutput.data[i]!;
      });
      return { inputs: grads, weights: [] };
    },
  };
}

function elementwise(
  name: string,
  summary: string,
  tfjs: (ctx: TfjsEmitContext) => string,
  reference: OpReference,
  signal: OpSignal,
  arity = { min: 2, max: Infinity },
): OpDef {
  const onnx: OpOnnx | undefined = mergeOnnx[name as keyof typeof mergeOnnx];
  if (!onnx) throw new Error(`internal: merge \`${name}\` has no ONNX lowering`);
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
      const shape = first.shape.map((d0, i) => inputs.reduce<Dim>((d, t) => joinDim(d, t.shape[i]!), d0));
      return { shape, dtype: 'float32' };
    },
    // nnc's own Subtract layer (codegen runtime) unifies its shape itself.
    emitTfjs: (_layer, ctx) => (name === 'subtract' ? [tfjs(ctx)] : withUnifiedShape(tfjs(ctx), ctx)),
    onnx,
    torch: torchMerges[name]!,
    reference,
    signal,
  };
}

/**
 * Signal rules of the merges, for independent inputs x_k with means μ_k (ctx.means): a signed sum
 * y = c·Σ s_k·x_k has E[y] = c·Σ s_k·μ_k and E[y²] = c²·(Σ Var[x_k] + (Σ s_k·μ_k)²), so zero-mean
 * parts add their second moments (a residual `add` accumulates them) while two relu outputs add
 * their means too; an average is the sum with c = 1/k. A product multiplies second moments and
 * means; a maximum or minimum keeps about their mean while passing each gradient with chance 1/k.
 */
function linearSignal(signs: (n: number) => number[], scale: (n: number) => number = () => 1): OpSignal {
  const meanOf = (ctx: SignalContext, n: number) => signs(n).reduce((m, s, k) => m + s * ctx.means[k]!, 0);
  return {
    forward: (inputs, _layer, ctx) => {
      const variance = inputs.reduce((v, q, k) => v + q - ctx.means[k]! ** 2, 0);
      return scale(inputs.length) ** 2 * (variance + meanOf(ctx, inputs.length) ** 2);
    },
    backward: (g, inputs) => inputs.map(() => g * scale(inputs.length) ** 2),
    mean: (inputs, _layer, ctx) => scale(inputs.length) * meanOf(ctx, inputs.length),
    // The units' offsets combine like the values: independent spreads add, the means sum first.
    offset: (inputs, _layer, ctx) => {
      const spread = ctx.offsets.reduce((v, o, k) => v + o - ctx.means[k]! ** 2, 0);
      return scale(inputs.length) ** 2 * (spread + meanOf(ctx, inputs.length) ** 2);
    },
  };
}
const sumSignal = linearSignal((n) => new Array<number>(n).fill(1));
const differenceSignal = linearSignal(() => [1, -1]);
const averageSignal = linearSignal(
  (n) => new Array<number>(n).fill(1),
  (n) => 1 / n,
);
const productSignal: OpSignal = {
  forward: (inputs) => inputs.reduce((a, b) => a * b, 1),
  backward: (g, inputs) => inputs.map((_, i) => inputs.reduce((p, q, j) => (j === i ? p : p * q), g)),
  mean: (_inputs, _layer, ctx) => ctx.means.reduce((a, b) => a * b, 1),
  offset: (_inputs, _layer, ctx) => ctx.offsets.reduce((a, b) => a * b, 1),
};
const extremeSignal: OpSignal = {
  forward: (inputs) => inputs.reduce((a, b) => a + b, 0) / inputs.length,
  backward: (g, inputs) => inputs.map(() => g / inputs.length),
};

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
    const exact = fits && inputs.every((t) => t.shape.every((d, i) => i === index || d === first.shape[i]));
    if (!exact) {
      ctx.report('incompatibleShapes', {
        op: ctx.op,
        detail: `${listInputs(inputs, ctx)}; concat joins on axis ${axis} and needs the other dimensions equal`,
      }, !sameRank ? concatHelp(inputs, ctx) : fits ? { help: 'TensorFlow.js cannot join a `?` dimension with a known one: give the inputs the same sizes' } : {});
      return undefined;
    }
    const shape = first.shape.map((d0, i) => {
      if (i !== index) return d0;
      return inputs.some((t) => t.shape[i] === null) ? null : inputs.reduce((n, t) => n + (t.shape[i] as number), 0);
    });
    return { shape, dtype: first.dtype };
  },
  emitTfjs: (layer, ctx) => [`tf.layers.concatenate({ axis: ${concatAxis(layer.attrs.axis as number, ctx)}, name: ${ctx.name} })`],
  onnx: mergeOnnx.concat,
  torch: torchMerges.concat!,
  reference: {
    forward({ inputs, attrs }) {
      const { outer, chunks, axis } = concatLayout(inputs, attrs.axis as number);
      const shape = [...inputs[0]!.shape];
      shape[axis] = inputs.reduce((n, t) => n + t.shape[axis]!, 0);
      const data = new Float64Array(product(shape));
      let at = 0;
      for (let o = 0; o < outer; o++) {
        inputs.forEach((t, k) => {
          data.set(t.data.subarray(o * chunks[k]!, (o + 1) * chunks[k]!), at);
          at += chunks[k]!;
        });
      }
      return { shape, data };
    },
    backward({ inputs, attrs, gradOutput }) {
      const { outer, chunks } = concatLayout(inputs, attrs.axis as number);
      const grads = inputs.map((t) => shaped(t, new Float64Array(t.data.length)));
      let at = 0;
      for (let o = 0; o < outer; o++) {
        grads.forEach((grad, k) => {
          grad.data.set(gradOutput.data.subarray(at, at + chunks[k]!), o * chunks[k]!);
          at += chunks[k]!;
        });
      }
      return { inputs: grads, weights: [] };
    },
  },
  // The joined tensor's entries are the inputs' entries: a mean of their second moments, by size.
  signal: {
    forward(inputs, layer, ctx) {
      const sizes = concatSizes(layer, ctx);
      const total = sizes.reduce((a, b) => a + b, 0);
      return inputs.reduce((sum, q, i) => sum + (q * sizes[i]!) / total, 0);
    },
    backward: (g, inputs) => inputs.map(() => g),
    mean(_inputs, layer, ctx) {
      const sizes = concatSizes(layer, ctx);
      const total = sizes.reduce((a, b) => a + b, 0);
      return ctx.means.reduce((sum, m, i) => sum + (m * sizes[i]!) / total, 0);
    },
    offset(_inputs, layer, ctx) {
      const sizes = concatSizes(layer, ctx);
      const total = sizes.reduce((a, b) => a + b, 0);
      return ctx.offsets.reduce((sum, o, i) => sum + (o * sizes[i]!) / total, 0);
    },
  },
};

/** Each input's size on the joined axis (an unknown one counts as 1). */
function concatSizes(layer: IRLayer, ctx: SignalContext): number[] {
  const axis = layer.attrs.axis as number;
  return ctx.inputs.map((t) => t.shape[axis < 0 ? t.shape.length + axis : axis] ?? 1);
}

/**
 * Concatenation as `outer` rounds of one contiguous chunk per input: the axis is counted
 * without the batch dimension (tfjs's axis + 1), and a chunk spans it and the axes after it.
 */
function concatLayout(inputs: readonly Tensor64[], languageAxis: number): { outer: number; chunks: number[]; axis: number } {
  const rank = inputs[0]!.shape.length;
  const axis = languageAxis < 0 ? rank + languageAxis : languageAxis + 1;
  return { outer: product(inputs[0]!.shape.slice(0, axis)), chunks: inputs.map((t) => product(t.shape.slice(axis))), axis };
}

/**
 * The axis for tfjs's Concatenate. tfjs-layers' concatenate turns every negative axis into the
 * last one (`if (axis < 0) axis = rank`), so an axis before the last is spelt positively.
 */
function concatAxis(axis: number, ctx: TfjsEmitContext): number {
  const rank = ctx.inputs?.[0]?.shape.length;
  return axis < -1 && rank !== undefined ? tfjsAxis(rank + axis) : tfjsAxis(axis);
}

/** When ranks differ, flattening the higher-rank inputs is what joins them as vectors. */
function concatHelp(inputs: readonly TensorType[], ctx: ShapeContext): { help?: string } {
  const flat = inputs.map((t, i) => ({ t, i })).filter(({ t }) => t.shape.length > 1);
  if (flat.length === 0 || !inputs.some((t) => t.shape.length === 1)) return {};
  const which = flat.map(({ i }) => ctx.describe(i)).join(' and ');
  const example = formatShape([flat[0]!.t.shape.reduce<Dim>((n, d) => (n === null || d === null ? null : n * d), 1)]);
  return { help: `flatten ${which} first (\`-> flatten\`, giving ${example}) to join ${flat.length > 1 ? 'them' : 'it'} as a vector` };
}

const merge: OpDef[] = [
  elementwise(
    'add',
    'Elementwise sum of two or more tensors (e.g. a residual connection).',
    (ctx) => `tf.layers.add({ name: ${ctx.name} })`,
    linear('add', (n) => new Array<number>(n).fill(1)),
    sumSignal,
  ),
  // tfjs has no Subtract layer; the code generator supplies one.
  elementwise(
    'subtract',
    'Elementwise difference `a - b` of exactly two tensors.',
    (ctx) => `new ${ctx.useRuntime('Subtract')}({ name: ${ctx.name} })`,
    linear('subtract', () => [1, -1]),
    differenceSignal,
    { min: 2, max: 2 },
  ),
  elementwise(
    'multiply',
    'Elementwise product of two or more tensors (e.g. gating).',
    (ctx) => `tf.layers.multiply({ name: ${ctx.name} })`,
    multiplyReference,
    productSignal,
  ),
  elementwise(
    'average',
    'Elementwise mean of two or more tensors.',
    (ctx) => `tf.layers.average({ name: ${ctx.name} })`,
    linear(
      'average',
      (n) => new Array<number>(n).fill(1),
      (n) => 1 / n,
    ),
    averageSignal,
  ),
  elementwise('maximum', 'Elementwise maximum of two or more tensors.', (ctx) => `tf.layers.maximum({ name: ${ctx.name} })`, extreme('maximum', (a, b) => a > b), extremeSignal),
  elementwise('minimum', 'Elementwise minimum of two or more tensors.', (ctx) => `tf.layers.minimum({ name: ${ctx.name} })`, extreme('minimum', (a, b) => a < b), extremeSignal),
  concat,
];

export default merge;
