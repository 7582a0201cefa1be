import type { OpDef } from '../registry/op.js';
import { requireFloat } from './activations.js';

const dropout: OpDef = {
  name: 'dropout',
  category: 'regularization',
  arity: { min: 1, max: 1 },
  params: [
    {
      name: 'rate',
      type: { kind: 'number' },
      doc: 'Fraction of inputs zeroed during training, in [0, 1).',
      check: (value) => (typeof value === 'number' && (value < 0 || value >= 1) ? `must be in [0, 1), found ${value}` : undefined),
    },
  ],
  doc: {
    summary: 'During training, zeroes each input with probability `rate` and scales the rest by 1 / (1 - rate); the identity at inference.',
    shape: '[...] -> [...] (unchanged); float32 only',
    example: 'h = x -> dense(128, relu) -> dropout(0.5)',
  },
  inferType(inputs, _attrs, ctx) {
    const input = inputs[0]!;
    return requireFloat(input, ctx) ? { shape: [...input.shape], dtype: 'float32' } : undefined;
  },
  emitTfjs: (layer, ctx) => [`tf.layers.dropout({ rate: ${layer.attrs.rate}, name: ${ctx.name} })`],
};

export default dropout;
