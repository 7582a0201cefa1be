import { formatType, product, type OpDef } from '../registry/op.js';
import { emitInputs, relayout } from './reshape.js';

const flatten: OpDef = {
  name: 'flatten',
  category: 'reshaping',
  arity: { min: 1, max: 1 },
  params: [],
  doc: {
    summary: 'Lays out all dimensions of each sample as one vector (row-major).',
    shape: '[a, b, ...] -> [a · b · ...]; every dimension must be known',
    example: 'features = image -> conv2d(8, 3) -> flatten',
  },
  inferType(inputs, _attrs, ctx) {
    const input = inputs[0]!;
    if (input.shape.some((d) => d === null)) {
      ctx.report('unknownDimension', { op: ctx.op, shape: formatType(input), detail: 'every dimension known' });
      return undefined;
    }
    return { shape: [product(input.shape as number[])], dtype: input.dtype };
  },
  emitTfjs(_layer, ctx) {
    // tfjs's Flatten insists on at least two dimensions per sample; a reshape does the same for fewer.
    const input = emitInputs(ctx)?.[0];
    if (input && input.shape.length < 2) {
      return [`tf.layers.reshape({ targetShape: [${product(input.shape as number[])}], name: ${ctx.name} })`];
    }
    return [`tf.layers.flatten({ name: ${ctx.name} })`];
  },
  // Row-major over the IR's channels-last order, so a channels-first image is transposed back first.
  onnx: {
    doc: '`Flatten(axis=1)` of the channels-last tensor',
    lower(ctx) {
      const x = ctx.input(0, 'last');
      return ctx.node('Flatten', [x.name], { axis: { int: 1 } }, { dtype: x.dtype });
    },
  },
  torch: { forward: (_layer, [x]) => `${x}.flatten(1)` },
  reference: relayout((sample) => [product(sample)]),
};

export default flatten;
