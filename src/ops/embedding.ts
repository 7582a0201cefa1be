import type { InitSpec } from '../ir/ir.js';
import { formatType, type OpDef } from '../registry/op.js';

/** The table row of each id; ids arrive as float64 values and are truncated like tfjs's int32 cast. */
function rows(ids: Float64Array, vocab: number): Int32Array {
  return Int32Array.from(ids, (value) => {
    const id = Math.trunc(value);
    // tfjs's gather fails the same way: an id outside the table is a data error, not a zero row.
    if (!(id >= 0 && id < vocab)) throw new Error(`embedding: id ${value} is not in [0, ${vocab - 1}]`);
    return id;
  });
}

const embedding: OpDef = {
  name: 'embedding',
  category: 'embedding',
  // A source of signal: its output's entries are table entries. Ids receive no gradient.
  signal: {
    forward: (_inputs, layer, ctx) => ctx.meanSquare(layer.weights[0]!),
    backward: () => [0],
    mean: (_inputs, layer, ctx) => ctx.meanOf(layer.weights[0]!),
    offset: (_inputs, layer, ctx) => ctx.meanOf(layer.weights[0]!) ** 2,
  },
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
  onnx: {
    doc: '`Gather` of the table\'s rows (int32 ids)',
    dims: 'leading',
    lower: (ctx) => ctx.node('Gather', [ctx.weight(0), ctx.input(0).name], { axis: { int: 0 } }),
  },
  torch: {
    module: (layer) => `nn.Embedding(${layer.attrs.vocab}, ${layer.attrs.dim})`,
    weights: () => [{ attr: 'weight', layout: 'same' }],
    // Ids arrive as int64; `long()` truncates other numbers toward zero, as tfjs's int32 cast does.
    forward: (_layer, [ids], ctx) => `${ctx.module}(${ids}.long())`,
  },
  // The ids are not differentiable: their gradient is a zero tensor. The table's gradient adds
  // up the output gradients of every position that looked a row up.
  reference: {
    forward({ inputs, weights, attrs }) {
      const [ids, table] = [inputs[0]!, weights[0]!];
      const dim = attrs.dim as number;
      const data = new Float64Array(ids.data.length * dim);
      rows(ids.data, attrs.vocab as number).forEach((row, k) => data.set(table.data.subarray(row * dim, (row + 1) * dim), k * dim));
      return { shape: [...ids.shape, dim], data };
    },
    backward({ inputs, weights, attrs, gradOutput }) {
      const [ids, table] = [inputs[0]!, weights[0]!];
      const dim = attrs.dim as number;
      const dTable = new Float64Array(table.data.length);
      rows(ids.data, attrs.vocab as number).forEach((row, k) => {
        for (let j = 0; j < dim; j++) dTable[row * dim + j]! += gradOutput.data[k * dim + j]!;
      });
      return { inputs: [{ shape: [...ids.shape], data: new Float64Array(ids.data.length) }], weights: [{ shape: [...table.shape], data: dTable }] };
    },
  },
};

export default embedding;
