import { affineSignal } from '../analysis/affine-signal.js';
import type { ActivationSpec, Attrs, AttrValue, Dim, InitSpec, TensorType } from '../ir/ir.js';
import { matmul, matmulAdd, transpose } from '../reference/kernels/matmul.js';
import { col2imAdd, im2col, window2d, type Window2d } from '../reference/kernels/window.js';
import type { Tensor64 } from '../reference/tensor.js';
import { windowAttributes } from '../onnx/window.js';
import { formatShape, formatType, type OpDef, type PyDefinition, type ShapeContext } from '../registry/op.js';
import { activationGradient, applyActivation, checkActivation, requireFloat } from './activations/index.js';

/** A `pair` argument; defaults arrive unnormalised, so a lone number is accepted too. */
export function pair(value: AttrValue): [number, number] {
  if (typeof value === 'number') return [value, value];
  const [a, b] = value as number[];
  return [a!, b!];
}

/** Output length of a sliding window, exactly as TensorFlow computes it. */
export function windowOutput(n: Dim, window: number, stride: number, padding: string): Dim {
  if (n === null) return null;
  return padding === 'same' ? Math.ceil(n / stride) : Math.ceil((n - window + 1) / stride);
}

/**
 * Checks that the input is one channels-last image per sample, [height, width, channels],
 * and returns it; otherwise reports, with a reshape that would fit when one is obvious.
 */
export function imageInput(inputs: readonly TensorType[], ctx: ShapeContext, needChannels: boolean): TensorType | undefined {
  const input = inputs[0]!;
  if (!requireFloat(input, ctx)) return undefined;
  if (input.shape.length !== 3) {
    const help = reshapeHelp(input.shape);
    ctx.report('wrongRank', { op: ctx.op, expected: 'an image [height, width, channels] per sample', shape: formatType(input) }, help ? { help } : {});
    return undefined;
  }
  if (needChannels && input.shape[2] === null) {
    ctx.report('unknownDimension', { op: ctx.op, shape: formatType(input), detail: 'a known number of channels (the last dimension)' });
    return undefined;
  }
  return input;
}

function reshapeHelp(shape: readonly Dim[]): string | undefined {
  if (shape.length === 2 && shape.every((d) => d !== null)) {
    return `add a channel axis first: \`-> reshape(${formatShape([...shape, 1])})\``;
  }
  if (shape.length === 1 && shape[0] !== null) {
    const side = Math.round(Math.sqrt(shape[0]));
    if (side * side === shape[0]) return `if it is a square grayscale image, reshape it first: \`-> reshape(${formatShape([side, side, 1])})\``;
    return 'reshape it to [height, width, channels] first with `-> reshape([h, w, c])`';
  }
  return undefined;
}

/** [h, w] after a window; reports a collapsed output. */
export function windowShape(input: TensorType, window: [number, number], strides: [number, number], padding: string, channels: Dim, ctx: ShapeContext): TensorType | undefined {
  const h = windowOutput(input.shape[0]!, window[0], strides[0], padding);
  const w = windowOutput(input.shape[1]!, window[1], strides[1], padding);
  const shape = [h, w, channels];
  if ((h !== null && h <= 0) || (w !== null && w <= 0)) {
    ctx.report('emptyDimension', { op: ctx.op, shape: formatShape(shape) }, {
      help: `a ${window[0]}×${window[1]} window does not fit in ${formatShape(input.shape.slice(0, 2))}: use a smaller window or \`padding=same\``,
    });
    return undefined;
  }
  return { shape, dtype: 'float32' };
}

function convWindow(x: Tensor64, attrs: Attrs): Window2d {
  return window2d(x.shape, pair(attrs.kernel!), pair(attrs.strides!), attrs.padding as string);
}

/** conv(x, W) + b for one sample from its patches: [outH · outW, filters], the NHWC layout of an output sample. */
function convolvePatches(cols: Float64Array, weights: readonly Tensor64[], g: Window2d, out: Float64Array): Float64Array {
  const [kernel, bias] = weights;
  const filters = kernel!.shape[3]!;
  matmul(cols, kernel!.data, g.outH * g.outW, g.kh * g.kw * g.channels, filters, out);
  if (!bias) return out;
  for (let r = 0; r < out.length; r += filters) {
    for (let f = 0; f < filters; f++) out[r + f]! += bias.data[f]!;
  }
  return out;
}

/** TensorFlow's `same` padding of a channels-first image, for model.py; pooling uses it too. */
export const samePadding: PyDefinition = {
  name: 'same_padding',
  source: String.raw`
def same_padding(size, window, strides):
    """TensorFlow's "same" padding of (height, width) as F.pad's (left, right, top, bottom): in all
    max((ceil(n / s) - 1) s + k - n, 0), the odd one after (torch's padding="same" pads evenly)."""
    pads = []
    for n, k, s in zip(size, window, strides):
        total = max((-(-n // s) - 1) * s + k - n, 0)
        pads.append((total // 2, total - total // 2))
    (top, bottom), (left, right) = pads
    return (left, right, top, bottom)`.trim(),
};

/** nn.Conv2d on channels-last tensors, padded as TensorFlow pads. */
const conv2dModule: PyDefinition = {
  name: 'Conv2d',
  requires: [samePadding],
  source: String.raw`
class Conv2d(nn.Conv2d):
    """nn.Conv2d on channels-last images [B, H, W, C], with TensorFlow's "valid" or "same" padding.
    The weight is torch's [out, in, kh, kw]. The permutes are views: the convolution reads the
    channels-last memory as it is, which cuDNN and oneDNN take directly."""

    def __init__(self, in_channels, out_channels, kernel_size, stride, padding, bias=True):
        super().__init__(in_channels, out_channels, kernel_size, stride=stride, bias=bias)
        self.tf_padding = padding

    def forward(self, x):
        x = x.permute(0, 3, 1, 2)
        if self.tf_padding == "same":
            x = F.pad(x, same_padding(x.shape[2:], self.kernel_size, self.stride))
        return super().forward(x).permute(0, 2, 3, 1)

    def extra_repr(self):
        return f"{super().extra_repr()}, tf_padding={self.tf_padding!r}, channels last"`.trim(),
};

const conv2d: OpDef = {
  name: 'conv2d',
  category: 'convolution',
  arity: { min: 1, max: 1 },
  params: [
    { name: 'filters', type: { kind: 'int', min: 1 }, doc: 'Number of output channels.' },
    { name: 'kernel', type: { kind: 'pair' }, doc: 'Window size: `3` or `[3, 5]` (height, width).' },
    { name: 'strides', type: { kind: 'pair' }, default: [1, 1], doc: 'Step between windows: `2` or `[2, 1]`.' },
    { name: 'padding', type: { kind: 'enum', values: ['valid', 'same'] }, default: 'valid', doc: '`valid` keeps only full windows; `same` pads so that the output is ceil(input / stride).' },
    { name: 'activation', type: { kind: 'activation' }, default: 'linear', doc: 'Activation applied to the output.' },
    { name: 'init', type: { kind: 'init' }, default: 'auto', doc: 'Kernel initializer; `auto` picks by activation.' },
    { name: 'bias', type: { kind: 'bool' }, default: true, doc: 'Whether to add a bias per filter.' },
    { name: 'bias_init', type: { kind: 'init' }, default: 'zeros', onlyWith: { param: 'bias', value: true }, doc: 'Bias initializer.' },
  ],
  doc: {
    summary: '2-D convolution over channels-last images: `activation(conv(x, W) + b)`.',
    shape: '[h, w, c] -> [h\', w\', filters]; valid: ceil((n - k + 1) / s), same: ceil(n / s); c must be known',
    example: 'features = image -> conv2d(32, 3, activation=relu, padding=same)',
  },
  activation: (attrs) => attrs.activation as ActivationSpec,
  inferType(inputs, attrs, ctx) {
    const input = imageInput(inputs, ctx, true);
    if (!input) return undefined;
    const output = windowShape(input, pair(attrs.kernel!), pair(attrs.strides!), attrs.padding as string, attrs.filters as number, ctx);
    if (!output || !checkActivation(attrs.activation as ActivationSpec, output, ctx)) return undefined;
    return output;
  },
  weights(inputs, attrs) {
    const [kh, kw] = pair(attrs.kernel!);
    const channels = inputs[0]!.shape[2] as number;
    const filters = attrs.filters as number;
    const fanIn = kh * kw * channels;
    const fanOut = kh * kw * filters;
    const kernel = { name: 'kernel', shape: [kh, kw, channels, filters], init: attrs.init as InitSpec, fanIn, fanOut, trainable: true };
    if (!attrs.bias) return [kernel];
    return [kernel, { name: 'bias', shape: [filters], init: attrs.bias_init as InitSpec, fanIn, fanOut, trainable: true }];
  },
  emitTfjs(layer, ctx) {
    const [kernel, bias] = layer.weights;
    const activation = ctx.activation(layer.attrs.activation as ActivationSpec, ctx.subName('act'));
    const config = [
      `filters: ${layer.attrs.filters}`,
      `kernelSize: [${pair(layer.attrs.kernel!).join(', ')}]`,
      `strides: [${pair(layer.attrs.strides!).join(', ')}]`,
      `padding: '${layer.attrs.padding}'`,
      `useBias: ${Boolean(bias)}`,
      `kernelInitializer: ${ctx.initializer(kernel!)}`,
      ...(bias ? [`biasInitializer: ${ctx.initializer(bias)}`] : []),
      ...('inline' in activation ? [`activation: ${activation.inline}`] : []),
      `name: ${ctx.name}`,
    ];
    const layers = [`tf.layers.conv2d({ ${config.join(', ')} })`];
    if ('layer' in activation) layers.push(activation.layer);
    return layers;
  },
  onnx: {
    doc: '`Conv` channels-first, the kernel stored as `[filters, c, kh, kw]`; TF\'s `same` as explicit `pads` (odd pixel at the end; `SAME_UPPER` for `?` sizes); then the activation',
    lower(ctx) {
      const x = ctx.input(0, 'first');
      const inputs = [x.name, ctx.weight(0, 'conv'), ...(ctx.layer.weights.length > 1 ? [ctx.weight(1)] : [])];
      const attrs = windowAttributes(x.dims, pair(ctx.layer.attrs.kernel!), pair(ctx.layer.attrs.strides!), ctx.layer.attrs.padding as string);
      const z = ctx.node('Conv', inputs, attrs, { layout: 'first' });
      return ctx.activation(ctx.layer.attrs.activation as ActivationSpec, z);
    },
  },
  torch: {
    module: (layer, ctx) => {
      const [kh, kw, channels, filters] = layer.weights[0]!.shape as [number, number, number, number];
      const [sh, sw] = pair(layer.attrs.strides!);
      const bias = layer.weights.length > 1 ? '' : ', bias=False';
      return `${ctx.use(conv2dModule)}(${channels}, ${filters}, (${kh}, ${kw}), stride=(${sh}, ${sw}), padding="${layer.attrs.padding}"${bias})`;
    },
    weights: (layer) => [{ attr: 'weight', layout: 'conv2d' }, ...(layer.weights.length > 1 ? [{ attr: 'bias', layout: 'same' } as const] : [])],
    forward: (layer, [x], ctx) => ctx.activation(layer.attrs.activation as ActivationSpec, `${ctx.module}(${x})`),
  },
  // One sample at a time, so that the patch matrix stays the size of one image's windows.
  signal: affineSignal,
  // One sample at a time, so that the patch matrix stays the size of one image's windows.
  reference: {
    forward({ inputs, weights, attrs }, ctx) {
      const x = inputs[0]!;
      const g = convWindow(x, attrs);
      const filters = weights[0]!.shape[3]!;
      const size = g.outH * g.outW * filters;
      const cols = new Float64Array(g.outH * g.outW * g.kh * g.kw * g.channels);
      const data = new Float64Array(g.batch * size);
      for (let b = 0; b < g.batch; b++) {
        im2col(x.data, g, b, cols);
        convolvePatches(cols, weights, g, data.subarray(b * size, (b + 1) * size));
      }
      return applyActivation(attrs.activation as ActivationSpec, { shape: [g.batch, g.outH, g.outW, filters], data }, ctx);
    },
    backward({ inputs, weights, attrs, output, gradOutput }) {
      const x = inputs[0]!;
      const [kernel, bias] = weights;
      const g = convWindow(x, attrs);
      const filters = kernel!.shape[3]!;
      const positions = g.outH * g.outW;
      const patch = g.kh * g.kw * g.channels;
      const size = positions * filters;
      const kernelT = transpose(kernel!.data, patch, filters);
      const cols = new Float64Array(positions * patch);
      const colsT = new Float64Array(positions * patch);
      const dCols = new Float64Array(positions * patch);
      const dx = new Float64Array(x.data.length);
      const dKernel = new Float64Array(patch * filters);
      const dBias = new Float64Array(filters);
      const spec = attrs.activation as ActivationSpec;
      for (let b = 0; b < g.batch; b++) {
        const sample = (data: Float64Array): Tensor64 => ({ shape: [1, g.outH, g.outW, filters], data });
        const slice = (t: Tensor64): Tensor64 => sample(t.data.subarray(b * size, (b + 1) * size));
        im2col(x.data, g, b, cols);
        const z = () => sample(convolvePatches(cols, weights, g, new Float64Array(size)));
        const dz = activationGradient(spec, z, slice(output), slice(gradOutput)).data;
        matmulAdd(transpose(cols, positions, patch, colsT), dz, patch, positions, filters, dKernel);
        col2imAdd(matmul(dz, kernelT, positions, filters, patch, dCols), g, b, dx);
        for (let r = 0; r < size; r += filters) {
          for (let f = 0; f < filters; f++) dBias[f]! += dz[r + f]!;
        }
      }
      const grads = [{ shape: [...kernel!.shape], data: dKernel }];
      if (bias) grads.push({ shape: [filters], data: dBias });
      return { inputs: [{ shape: [...x.shape], data: dx }], weights: grads };
    },
  },
};

export default conv2d;
