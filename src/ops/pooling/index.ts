import type { Attrs, IRLayer } from '../../ir/ir.js';
import { normalCdf, normalPdf } from '../../reference/kernels/erf.js';
import { window2d, windowSpan, type Window2d } from '../../reference/kernels/window.js';
import type { Tensor64 } from '../../reference/tensor.js';
import type { OpOnnx } from '../../registry/onnx.js';
import type { OpDef, OpReference, OpSignal, ParamSpec, SignalContext } from '../../registry/op.js';
import { imageInput, pair, windowShape } from '../conv2d.js';
import { globalOnnx, windowedOnnx } from './onnx.js';
import { poolingTorch } from './torch.js';

/** Pooling over channels-last images: windowed (max, average) and global. */

function poolWindow(x: Tensor64, attrs: Attrs): Window2d {
  const window = pair(attrs.pool!);
  const strides = attrs.strides === null || attrs.strides === undefined ? window : pair(attrs.strides);
  return window2d(x.shape, window, strides, attrs.padding as string);
}

/** A global pool is one window the size of the image. */
function wholeImage(x: Tensor64): Window2d {
  return window2d(x.shape, [x.shape[1]!, x.shape[2]!], [1, 1], 'valid');
}

/**
 * For every output element (NHWC order), the flat input index of its window's maximum: the
 * first in row-major window order on ties, as tfjs's CPU kernel picks it (strict >), and
 * padding never wins (tfjs starts from -Infinity and skips it).
 */
function argmaxes(x: Float64Array, g: Window2d): Int32Array {
  const c = g.channels;
  const result = new Int32Array(g.batch * g.outH * g.outW * c).fill(-1);
  const max = new Float64Array(c);
  let o = 0;
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++, o += c) {
        const [y0, y1, x0, x1] = windowSpan(g, oy, ox);
        max.fill(-Infinity);
        for (let y = y0; y < y1; y++) {
          for (let xx = x0; xx < x1; xx++) {
            const i = ((b * g.inH + y) * g.inW + xx) * c;
            for (let ch = 0; ch < c; ch++) {
              if (x[i + ch]! > max[ch]! || result[o + ch]! < 0) {
                max[ch] = x[i + ch]!;
                result[o + ch] = i + ch;
              }
            }
          }
        }
      }
    }
  }
  return result;
}

/**
 * Maximum pooling; the argmaxes are the kinks recorded. tfjs's windowed max pool sends the gradient
 * to each window's first argmax; its global max pool is a max reduction, whose gradient goes to
 * every element equal to the maximum (`ties: 'all'`): the reference does the same in each case.
 */
function maxReference(geometry: (x: Tensor64, attrs: Attrs) => Window2d, outShape: (g: Window2d) => number[], ties: 'first' | 'all'): OpReference {
  return {
    forward({ inputs, attrs }, ctx) {
      const x = inputs[0]!;
      const g = geometry(x, attrs);
      const arg = argmaxes(x.data, g);
      ctx.branches(arg);
      const data = new Float64Array(arg.length);
      for (let o = 0; o < arg.length; o++) data[o] = x.data[arg[o]!]!;
      return { shape: outShape(g), data };
    },
    backward({ inputs, attrs, gradOutput }) {
      const x = inputs[0]!;
      const g = geometry(x, attrs);
      const arg = argmaxes(x.data, g);
      const dx = new Float64Array(x.data.length);
      if (ties === 'first') {
        for (let o = 0; o < arg.length; o++) dx[arg[o]!]! += gradOutput.data[o]!;
      } else {
        // Global pool: output (b, ch) covers every pixel of image b in channel ch.
        const c = g.channels;
        const pixels = g.inH * g.inW;
        for (let o = 0; o < arg.length; o++) {
          const [b, ch] = [Math.floor(o / c), o % c];
          const max = x.data[arg[o]!]!;
          for (let p = 0; p < pixels; p++) {
            const i = (b * pixels + p) * c + ch;
            if (x.data[i] === max) dx[i]! += gradOutput.data[o]!;
          }
        }
      }
      return { inputs: [{ shape: [...x.shape], data: dx }], weights: [] };
    },
  };
}

/**
 * Average pooling's loop, both ways: forward adds x[i] / count into out[o] for every input i of
 * output o's window; backward, its transpose, adds g[o] / count into dx[i]. Like TensorFlow,
 * `same` padding divides by the number of real elements in the window, not by its size.
 */
function averageLoop(g: Window2d, from: Float64Array, to: Float64Array, backward: boolean): void {
  const c = g.channels;
  let o = 0;
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++, o += c) {
        const [y0, y1, x0, x1] = windowSpan(g, oy, ox);
        const weight = 1 / ((y1 - y0) * (x1 - x0));
        for (let y = y0; y < y1; y++) {
          for (let xx = x0; xx < x1; xx++) {
            const i = ((b * g.inH + y) * g.inW + xx) * c;
            for (let ch = 0; ch < c; ch++) {
              if (backward) to[i + ch]! += from[o + ch]! * weight;
              else to[o + ch]! += from[i + ch]! * weight;
            }
          }
        }
      }
    }
  }
}

function averageReference(geometry: (x: Tensor64, attrs: Attrs) => Window2d, outShape: (g: Window2d) => number[]): OpReference {
  return {
    forward({ inputs, attrs }) {
      const x = inputs[0]!;
      const g = geometry(x, attrs);
      const data = new Float64Array(g.batch * g.outH * g.outW * g.channels);
      averageLoop(g, x.data, data, false);
      return { shape: outShape(g), data };
    },
    backward({ inputs, attrs, gradOutput }) {
      const x = inputs[0]!;
      const dx = new Float64Array(x.data.length);
      averageLoop(geometry(x, attrs), gradOutput.data, dx, true);
      return { inputs: [{ shape: [...x.shape], data: dx }], weights: [] };
    },
  };
}

const imageShape = (g: Window2d): number[] => [g.batch, g.outH, g.outW, g.channels];
const vectorShape = (g: Window2d): number[] => [g.batch, g.channels];

const windowParams: readonly ParamSpec[] = [
  { name: 'pool', type: { kind: 'pair' }, default: [2, 2], doc: 'Window size: `2` or `[2, 3]` (height, width).' },
  { name: 'strides', type: { kind: 'pair' }, default: null, doc: 'Step between windows; defaults to the window size (no overlap).' },
  { name: 'padding', type: { kind: 'enum', values: ['valid', 'same'] }, default: 'valid', doc: '`valid` keeps only full windows; `same` pads so that the output is ceil(input / stride).' },
];

/**
 * E[M²] for the maximum M of n independent standard normals: ∫ x² · n φ(x) Φ(x)^(n-1) dx, by
 * Simpson's rule on [-8, 12] (the maximum of even a million normals stays below 6).
 */
export function expectedMaxSquare(n: number): number {
  if (n <= 1) return 1;
  const steps = 2000;
  const h = 20 / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const x = -8 + i * h;
    const f = x * x * n * normalPdf(x) * normalCdf(x) ** (n - 1);
    sum += (i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2) * f;
  }
  return (sum * h) / 3;
}

/**
 * Signal rules of pooling, for independent entries (documented approximations; neighbouring
 * pixels are usually correlated, which a static analysis cannot know). With windows of n entries
 * placed every s positions, each input sits in about n/s windows: a max passes one entry of n
 * forward (E[M²] times the input's) and gives each input the gradient with chance 1/n per window;
 * an average divides the forward variance by n and gives each input 1/n of each window's gradient.
 */
function poolingSignal(kind: 'max' | 'avg', size: (layer: IRLayer, ctx: SignalContext) => { n: number; s: number }): OpSignal {
  return {
    forward(inputs, layer, ctx) {
      const { n } = size(layer, ctx);
      if (kind === 'max') return inputs[0]! * expectedMaxSquare(n);
      // A window holds one channel at n positions: the average keeps the channel's offset (the
      // units' mean) and divides the rest of the second moment by n.
      const offset = ctx.offsets[0]!;
      return offset + (inputs[0]! - offset) / n;
    },
    backward(g, _inputs, layer, ctx) {
      const { n, s } = size(layer, ctx);
      return [kind === 'max' ? g / s : g / (s * n)];
    },
  };
}

const windowSize = (layer: IRLayer): { n: number; s: number } => {
  const window = pair(layer.attrs.pool!);
  const strides = layer.attrs.strides === null || layer.attrs.strides === undefined ? window : pair(layer.attrs.strides);
  return { n: window[0]! * window[1]!, s: strides[0]! * strides[1]! };
};

/** A global pool is one window over the whole image (unknown sizes count as 1). */
const imageSize = (_layer: IRLayer, ctx: SignalContext): { n: number; s: number } => {
  const [h, w] = ctx.inputs[0]!.shape;
  const n = (h ?? 1) * (w ?? 1);
  return { n, s: n };
};

/** Whether `same` padding adds any: TF pads max((ceil(n/s) - 1)·s + k - n, 0) along each axis. */
function reachesPadding(shape: readonly (number | null)[], window: readonly number[], strides: readonly number[]): boolean {
  return [0, 1].some((axis) => {
    const n = shape[axis];
    if (n === null || n === undefined) return true;
    return (Math.ceil(n / strides[axis]!) - 1) * strides[axis]! + window[axis]! - n > 0;
  });
}

function windowed(name: string, what: string, tfjs: string, reference: OpReference, onnx: OpOnnx): OpDef {
  return {
    name,
    category: 'pooling',
    arity: { min: 1, max: 1 },
    params: windowParams,
    doc: {
      summary: `${what} over each window, channel by channel.`,
      shape: "[h, w, c] -> [h', w', c]; valid: ceil((n - pool + 1) / s), same: ceil(n / s)",
      example: `smaller = features -> ${name}(2)`,
    },
    inferType(inputs, attrs, ctx) {
      const input = imageInput(inputs, ctx, false);
      if (!input) return undefined;
      const window = pair(attrs.pool!);
      const strides = attrs.strides === null || attrs.strides === undefined ? window : pair(attrs.strides);
      if (name === 'avg_pool2d' && attrs.padding === 'same' && reachesPadding(input.shape, window, strides)) {
        ctx.report('backendGradient', {
          op: ctx.op,
          detail: 'windows reach into the padding, where TensorFlow.js averages the pixels inside in the forward pass but divides their gradient by the whole window size',
        }, { help: 'use `padding=valid`, or an input size that the windows tile exactly' });
      }
      return windowShape(input, window, strides, attrs.padding as string, input.shape[2]!, ctx);
    },
    emitTfjs(layer, ctx) {
      const window = pair(layer.attrs.pool!);
      const strides = layer.attrs.strides === null || layer.attrs.strides === undefined ? window : pair(layer.attrs.strides);
      return [
        `tf.layers.${tfjs}({ poolSize: [${window.join(', ')}], strides: [${strides.join(', ')}], padding: '${layer.attrs.padding}', name: ${ctx.name} })`,
      ];
    },
    onnx,
    torch: poolingTorch[name]!,
    reference,
    signal: poolingSignal(name.startsWith('max') ? 'max' : 'avg', windowSize),
  };
}

function global(name: string, what: string, tfjs: string, reference: OpReference, onnx: OpOnnx): OpDef {
  return {
    name,
    category: 'pooling',
    arity: { min: 1, max: 1 },
    params: [],
    doc: {
      summary: `${what} over the whole image, channel by channel.`,
      shape: '[h, w, c] -> [c]',
      example: `pooled = features -> ${name}`,
    },
    inferType(inputs, _attrs, ctx) {
      const input = imageInput(inputs, ctx, false);
      return input && { shape: [input.shape[2]!], dtype: 'float32' };
    },
    emitTfjs: (_layer, ctx) => [`tf.layers.${tfjs}({ name: ${ctx.name} })`],
    onnx,
    torch: poolingTorch[name]!,
    reference,
    signal: poolingSignal(name.includes('max') ? 'max' : 'avg', imageSize),
  };
}

const pooling: OpDef[] = [
  windowed('max_pool2d', 'Maximum', 'maxPooling2d', maxReference(poolWindow, imageShape, 'first'), windowedOnnx('MaxPool')),
  windowed('avg_pool2d', 'Average', 'averagePooling2d', averageReference(poolWindow, imageShape), windowedOnnx('AveragePool')),
  global('global_max_pool2d', 'Maximum', 'globalMaxPooling2d', maxReference(wholeImage, vectorShape, 'all'), globalOnnx('ReduceMax')),
  global('global_avg_pool2d', 'Average', 'globalAveragePooling2d', averageReference(wholeImage, vectorShape), globalOnnx('ReduceMean')),
];

export default pooling;
