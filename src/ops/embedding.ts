import type { InitSpec } from '../ir/ir.js';
import { formatType, type OpDef } from '../registry/op.js';

const embedding: OpDef = {
  name: 'embedding',
  category: 'embedding',
  arity: { min: 1, max: 1 },
  params: [
    { name: 'vocab', type: { kind: 'int', min: 1 }, doc: 'Number of distinct ids; ids run from 0 to vocab - 1.' },
    { name: 'dim', type: { kind: 'int', min: 1 }, doc: 'Length of each id\'s vector.' },
    {
      name: 'init',
      type: { kind: 'init' },
      default: { name: 'uniform', params: { min: -0.05, max: 0.05 } },
      doc: 'Initializer of the table; Keras\'s default U(-0.05, 0.05).',
    },
  ],
  doc: {
    summary: 'Looks up a learned vector for each integer id. The table counts as a [vocab, dim] matrix for fans (fan-in vocab, fan-out dim), as in Keras.',
    shape: 'int32[...] -> [..., dim]',
    example: 'vectors = words -> embedding(10000, 64)',
  },
  inferType(inputs, attrs, ctx) {
    const input = inputs[0]!;
    if (input.dtype !== 'int32') {
      ctx.report('dtypeMismatch', { op: ctx.op, expected: 'int32', found: input.dtype }, {
        help: `\`embedding\` looks up integer ids: declare the input as integers, e.g. \`input ids: int32${formatType({ ...input, dtype: 'float32' })}\``,
      });
      return undefined;
    }
    return { shape: [...input.shape, attrs.dim as number], dtype: 'float32' };
  },
  weights(_inputs, attrs) {
    const vocab = attrs.vocab as number;
    const dim = attrs.dim as number;
    return [{ name: 'embeddings', shape: [vocab, dim], init: attrs.init as InitSpec, fanIn: vocab, fanOut: dim, trainable: true }];
  },
  emitTfjs(layer, ctx) {
    const [table] = layer.weights;
    return [
      `tf.layers.embedding({ inputDim: ${layer.attrs.vocab}, outputDim: ${layer.attrs.dim}, embeddingsInitializer: ${ctx.initializer(table!)}, name: ${ctx.name} })`,
    ];
  },
};

export default embedding;
