import type { ReferenceContext } from '../reference/context.js';
import type { OpDef } from '../registry/op.js';
import { requireFloat } from './activations/index.js';

const active = (ctx: ReferenceContext, rate: number): boolean => ctx.training && ctx.dropout && rate > 0;

const dropout: OpDef = {
  name: 'dropout',
  category: 'regularization',
  // During training, inverted dropout keeps a fraction 1 - rate of the entries scaled by
  // 1/(1 - rate): the second moment, and that of the gradient, grow by 1/(1 - rate).
  signal: {
    forward: (inputs, layer) => inputs[0]! / (1 - (layer.attrs.rate as number)),
    backward: (g, _inputs, layer) => [g / (1 - (layer.attrs.rate as number))],
  },
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
  // The exported graph is the inference graph, where dropout is the identity.
  onnx: { doc: 'removed: the identity at inference', dims: 'same', lower: (ctx) => ctx.input(0, 'any') },
  torch: {
    module: (layer, ctx) => `nn.Dropout(${ctx.number(layer.attrs.rate as number)})`,
    forward: (_layer, [x], ctx) => `${ctx.module}(${x})`,
    differences: "The same distribution of masks (each entry kept with probability 1 - rate, scaled by 1 / (1 - rate)), drawn from torch's generator rather than tfjs's.",
  },
  /**
   * Inverted dropout as tf.dropout computes it: keep where floor(u + 1 - rate) = 1, i.e. u ≥ rate,
   * and scale the kept values by 1 / (1 - rate). The mask cannot be drawn again in `backward`,
   * and nothing is kept between the passes, so backward reads it off the output: an element was
   * dropped where the output is 0 but the input is not. Where the input itself is 0 the mask is
   * unknowable; it is taken as kept (the derivative there is then 1 / (1 - rate) or 0, and the
   * value identical either way). Gradient checks run with dropout off, where this is the identity.
   */
  reference: {
    forward({ inputs, attrs }, ctx) {
      const x = inputs[0]!;
      const rate = attrs.rate as number;
      if (!active(ctx, rate)) return { shape: [...x.shape], data: x.data.slice() };
      const scale = 1 / (1 - rate);
      return { shape: [...x.shape], data: x.data.map((v) => (ctx.random() >= rate ? v * scale : 0)) };
    },
    backward({ inputs, attrs, output, gradOutput }, ctx) {
      const x = inputs[0]!;
      const rate = attrs.rate as number;
      if (!active(ctx, rate)) return { inputs: [{ shape: [...x.shape], data: gradOutput.data.slice() }], weights: [] };
      const scale = 1 / (1 - rate);
      const data = gradOutput.data.map((g, i) => (output.data[i] === 0 && x.data[i] !== 0 ? 0 : g * scale));
      return { inputs: [{ shape: [...x.shape], data }], weights: [] };
    },
  },
};

export default dropout;
