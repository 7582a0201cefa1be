import type { Attrs, Dim, Shape, TensorType } from '../ir/ir.js';
import type { Tensor64 } from '../reference/tensor.js';
import { formatShape, formatType, product, type OpDef, type OpReference, type TfjsEmitContext } from '../registry/op.js';

/**
 * The types of the layer's inputs at emit time. tfjs keeps a `-1` of a reshape target in its
 * symbolic shape (a following dense then builds a kernel of size -1), and its Flatten refuses
 * vectors, so these lowerings need the input shape. The code generator passes it as `inputs`.
 */
export function emitInputs(ctx: TfjsEmitContext): readonly TensorType[] | undefined {
  return ctx.inputs;
}

/** The target with `-1` resolved, or `null` there when the input size is not fully known. */
export function resolveTarget(input: Shape, target: readonly number[]): Shape {
  const free = target.indexOf(-1);
  if (free < 0) return [...target];
  const known = product(target.filter((d) => d !== -1));
  const size = input.every((d) => d !== null) ? product(input as number[]) : null;
  return target.map((d, i): Dim => (i === free ? (size === null ? null : size / known) : d));
}

/**
 * The reference of an op that only relabels the row-major layout: the data is copied (so that
 * results never alias inputs) and given the shape `perSample` computes from a sample's shape.
 */
export function relayout(perSample: (sample: readonly number[], attrs: Attrs) => number[]): OpReference {
  const reshaped = (t: Tensor64, shape: number[]): Tensor64 => ({ shape, data: t.data.slice() });
  return {
    forward: ({ inputs, attrs }) => reshaped(inputs[0]!, [inputs[0]!.shape[0]!, ...perSample(inputs[0]!.shape.slice(1), attrs)]),
    backward: ({ inputs, gradOutput }) => ({ inputs: [reshaped(gradOutput, [...inputs[0]!.shape])], weights: [] }),
  };
}

const reshape: OpDef = {
  name: 'reshape',
  category: 'reshaping',
  arity: { min: 1, max: 1 },
  params: [
    {
      name: 'shape',
      type: { kind: 'ints', inferable: true },
      doc: 'The new shape per sample; one `-1` stands for whatever size makes the element count match.',
      check: (value) =>
        Array.isArray(value) && value.filter((d) => d === -1).length > 1
          ? `at most one dimension can be \`-1\`, found ${formatShape(value as number[])}`
          : undefined,
    },
  ],
  doc: {
    summary: 'Rearranges the elements of each sample into a new shape (row-major order).',
    shape: '[...] -> shape; the element count is unchanged',
    example: 'image = pixels -> reshape([28, 28, 1])',
  },
  inferType(inputs, attrs, ctx) {
    const input = inputs[0]!;
    const target = attrs.shape as number[];
    const free = target.includes(-1);
    const known = product(target.filter((d) => d !== -1));
    const inputKnown = product(input.shape.filter((d): d is number => d !== null));
    const complete = input.shape.every((d) => d !== null);
    const fail = (detail: string): undefined => {
      ctx.report('reshapeSize', { from: formatType(input), to: formatShape(target), detail });
      return undefined;
    };
    const elements = (n: number) => `${n} element${n === 1 ? '' : 's'}`;
    if (complete && !free && known !== inputKnown) {
      return fail(`${formatShape(input.shape)} has ${elements(inputKnown)}, ${formatShape(target)} has ${elements(known)}`);
    }
    if (complete && free && inputKnown % known !== 0) {
      return fail(`${formatShape(input.shape)} has ${elements(inputKnown)}, which is not a multiple of ${known} (the product of the other dimensions)`);
    }
    // With unknown input dimensions the size is a multiple of the known ones: the target must be too.
    if (!complete && !free && known % inputKnown !== 0) {
      return fail(`${formatShape(input.shape)} has a multiple of ${elements(inputKnown)}, which ${elements(known)} can never be`);
    }
    return { shape: resolveTarget(input.shape, target), dtype: input.dtype };
  },
  emitTfjs(layer, ctx) {
    const target = layer.attrs.shape as number[];
    const input = emitInputs(ctx)?.[0];
    const shape = input ? resolveTarget(input.shape, target).map((d) => d ?? -1) : target;
    return [`tf.layers.reshape({ targetShape: [${shape.join(', ')}], name: ${ctx.name} })`];
  },
  // 0 copies the batch size; an unknown size is -1 (the checker allows one).
  onnx: {
    doc: '`Reshape` of the channels-last tensor to `[0, ...shape]` (0 keeps the batch size)',
    lower(ctx) {
      const x = ctx.input(0, 'last');
      const target = ctx.int64s([0, ...ctx.outputDims.map((d) => (typeof d === 'number' ? d : -1))], 'shape');
      return ctx.node('Reshape', [x.name, target], {}, { dtype: x.dtype });
    },
  },
  torch: {
    forward(layer, [x], ctx) {
      const target = resolveTarget(ctx.inputs[0]!.shape, layer.attrs.shape as number[]);
      // With every size known the batch is the one -1; otherwise it is read off the tensor.
      if (target.every((d) => d !== null)) return `${x}.reshape(-1, ${target.join(', ')})`;
      return `${x}.reshape(${x}.shape[0], ${target.map((d) => d ?? -1).join(', ')})`;
    },
  },
  reference: relayout((sample, attrs) => resolveTarget([...sample], attrs.shape as number[]) as number[]),
};

export default reshape;
