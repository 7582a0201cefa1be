import { affineSignal } from '../analysis/affine-signal.js';
import type { ActivationSpec, Attrs, InitSpec, TensorType } from '../ir/ir.js';
import { matmul, transpose } from '../reference/kernels/matmul.js';
import type { Tensor64 } from '../reference/tensor.js';
import { activationGradient, applyActivation, checkActivation } from './activations/index.js';
import { formatType, type OpDef } from '../registry/op.js';

/** x · W + b over the last axis: the leading axes (batch included) are rows of one matrix. */
function preActivation(x: Tensor64, weights: readonly Tensor64[], attrs: Attrs): Tensor64 {
  const [kernel, bias] = weights;
  const units = attrs.units as number;
  const n = x.shape[x.shape.length - 1]!;
  const rows = x.data.length / n;
  const data = matmul(x.data, kernel!.data, rows, n, units);
  if (bias) {
    for (let r = 0; r < data.length; r += units) {
      for (let j = 0; j < units; j++) data[r + j]! += bias.data[j]!;
    }
  }
  return { shape: [...x.shape.slice(0, -1), units], data };
}

const dense: OpDef = {
  name: 'dense',
  category: 'core',
  arity: { min: 1, max: 1 },
  params: [
    { name: 'units', type: { kind: 'int', min: 1 }, doc: 'Number of output units.' },
    { name: 'activation', type: { kind: 'activation' }, default: 'linear', doc: 'Activation applied to the output.' },
    { name: 'bias', type: { kind: 'bool' }, default: true, doc: 'Whether to add a bias vector.' },
    { name: 'init', type: { kind: 'init' }, default: 'auto', doc: 'Kernel initializer; `auto` picks by activation.' },
    { name: 'bias_init', type: { kind: 'init' }, default: 'zeros', onlyWith: { param: 'bias', value: true }, doc: 'Bias initializer.' },
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
  // A per-sample vector is a [batch, n] matrix, Gemm's case; higher ranks need MatMul's broadcasting.
  onnx: {
    doc: '`Gemm` on `[batch, n]`, else `MatMul` then `Add`; then the activation',
    dims: 'leading',
    lower(ctx) {
      const x = ctx.input(0);
      const kernel = ctx.weight(0);
      const bias = ctx.layer.weights.length > 1 ? ctx.weight(1) : undefined;
      let z;
      if (x.dims.length === 1) z = ctx.node('Gemm', bias ? [x.name, kernel, bias] : [x.name, kernel]);
      else {
        z = ctx.node('MatMul', [x.name, kernel]);
        if (bias) z = ctx.node('Add', [z.name, bias]);
      }
      return ctx.activation(ctx.layer.attrs.activation as ActivationSpec, z);
    },
  },
  torch: {
    module: (layer) => {
      const [inputs, units] = layer.weights[0]!.shape as [number, number];
      return `nn.Linear(${inputs}, ${units}${layer.weights.length > 1 ? '' : ', bias=False'})`;
    },
    weights: (layer) => [{ attr: 'weight', layout: 'transpose' }, ...(layer.weights.length > 1 ? [{ attr: 'bias', layout: 'same' } as const] : [])],
    forward: (layer, [x], ctx) => ctx.activation(layer.attrs.activation as ActivationSpec, `${ctx.module}(${x})`),
  },
  signal: affineSignal,
  reference: {
    forward: ({ inputs, weights, attrs }, ctx) => applyActivation(attrs.activation as ActivationSpec, preActivation(inputs[0]!, weights, attrs), ctx),
    backward({ inputs, weights, attrs, output, gradOutput }) {
      const x = inputs[0]!;
      const [kernel, bias] = weights;
      const units = attrs.units as number;
      const n = x.shape[x.shape.length - 1]!;
      const rows = x.data.length / n;
      const g = activationGradient(attrs.activation as ActivationSpec, () => preActivation(x, weights, attrs), output, gradOutput).data;
      const dx = matmul(g, transpose(kernel!.data, n, units), rows, units, n);
      const dKernel = matmul(transpose(x.data, rows, n), g, n, rows, units);
      const grads = [{ shape: [n, units], data: dKernel }];
      if (bias) {
        const dBias = new Float64Array(units);
        for (let r = 0; r < g.length; r += units) {
          for (let j = 0; j < units; j++) dBias[j]! += g[r + j]!;
        }
        grads.push({ shape: [units], data: dBias });
      }
      return { inputs: [{ shape: [...x.shape], data: dx }], weights: grads };
    },
  },
};

export default dense;
