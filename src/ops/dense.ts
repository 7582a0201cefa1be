import type { ActivationSpec, InitSpec, TensorType } from '../ir/ir.js';
import { checkActivation } from './activations.js';
import { formatType, type OpDef } from '../registry/op.js';

const dense: OpDef = {
  name: 'dense',
  category: 'core',
  arity: { min: 1, max: 1 },
  params: [
    { name: 'units', type: { kind: 'int', min: 1 }, doc: 'Number of output units.' },
    { name: 'activation', type: { kind: 'activation' }, default: 'linear', doc: 'Activation applied to the output.' },
    { name: 'bias', type: { kind: 'bool' }, default: true, doc: 'Whether to add a bias vector.' },
    { name: 'init', type: { kind: 'init' }, default: 'auto', doc: 'Kernel initializer; `auto` picks by activation.' },
    { name: 'bias_init', type: { kind: 'init' }, default: 'zeros', doc: 'Bias initializer.' },
  ],
  doc: {
    summary: 'Fully connected layer: `activation(x · W + b)` on the last axis.',
    shape: '[..., n] -> [..., units]; the last input dimension must be known',
    example: 'hidden = x -> dense(64, relu)',
  },
  activation: (attrs) => attrs.activation as ActivationSpec,
  inferType(inputs, attrs, ctx) {
    const input = inputs[0]!;
    if (input.shape.length === 0) {
      ctx.report('wrongRank', { op: ctx.op, expected: 'at least one dimension', shape: formatType(input) });
      return undefined;
    }
    if (input.dtype !== 'float32') {
      ctx.report('dtypeMismatch', { op: ctx.op, expected: 'float32', found: input.dtype }, {
        help: 'integer inputs carry ids: feed them through `embedding(vocab, dim)` first',
      });
      return undefined;
    }
    if (input.shape[input.shape.length - 1] === null) {
      ctx.report('unknownDimension', { op: ctx.op, shape: formatType(input), detail: 'a known last dimension' });
      return undefined;
    }
    const output: TensorType = { shape: [...input.shape.slice(0, -1), attrs.units as number], dtype: 'float32' };
    return checkActivation(attrs.activation as ActivationSpec, output, ctx) ? output : undefined;
  },
  weights(inputs, attrs) {
    const nIn = inputs[0]!.shape[inputs[0]!.shape.length - 1] as number;
    const units = attrs.units as number;
    const kernel = { name: 'kernel', shape: [nIn, units], init: attrs.init as InitSpec, fanIn: nIn, fanOut: units, trainable: true };
    if (!attrs.bias) return [kernel];
    return [kernel, { name: 'bias', shape: [units], init: attrs.bias_init as InitSpec, fanIn: nIn, fanOut: units, trainable: true }];
  },
  emitTfjs(layer, ctx) {
    const [kernel, bias] = layer.weights;
    const activation = ctx.activation(layer.attrs.activation as ActivationSpec, ctx.subName('act'));
    const config = [
      `units: ${layer.attrs.units}`,
      `useBias: ${Boolean(bias)}`,
      `kernelInitializer: ${ctx.initializer(kernel!)}`,
      ...(bias ? [`biasInitializer: ${ctx.initializer(bias)}`] : []),
      ...('inline' in activation ? [`activation: ${activation.inline}`] : []),
      `name: ${ctx.name}`,
    ];
    const layers = [`tf.layers.dense({ ${config.join(', ')} })`];
    if ('layer' in activation) layers.push(activation.layer);
    return layers;
  },
};

export default dense;
