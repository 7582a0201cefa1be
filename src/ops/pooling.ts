import type { OpDef, ParamSpec } from '../registry/op.js';
import { imageInput, pair, windowShape } from './conv2d.js';

/** Pooling over channels-last images: windowed (max, average) and global. */

const windowParams: readonly ParamSpec[] = [
  { name: 'pool', type: { kind: 'pair' }, default: [2, 2], doc: 'Window size: `2` or `[2, 3]` (height, width).' },
  { name: 'strides', type: { kind: 'pair' }, default: null, doc: 'Step between windows; defaults to the window size (no overlap).' },
  { name: 'padding', type: { kind: 'enum', values: ['valid', 'same'] }, default: 'valid', doc: '`valid` keeps only full windows; `same` pads so that the output is ceil(input / stride).' },
];

function windowed(name: string, what: string, tfjs: string): OpDef {
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
      return windowShape(input, window, strides, attrs.padding as string, input.shape[2]!, ctx);
    },
    emitTfjs(layer, ctx) {
      const window = pair(layer.attrs.pool!);
      const strides = layer.attrs.strides === null || layer.attrs.strides === undefined ? window : pair(layer.attrs.strides);
      return [
        `tf.layers.${tfjs}({ poolSize: [${window.join(', ')}], strides: [${strides.join(', ')}], padding: '${layer.attrs.padding}', name: ${ctx.name} })`,
      ];
    },
  };
}

function global(name: string, what: string, tfjs: string): OpDef {
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
  };
}

const pooling: OpDef[] = [
  windowed('max_pool2d', 'Maximum', 'maxPooling2d'),
  windowed('avg_pool2d', 'Average', 'averagePooling2d'),
  global('global_max_pool2d', 'Maximum', 'globalMaxPooling2d'),
  global('global_avg_pool2d', 'Average', 'globalAveragePooling2d'),
];

export default pooling;
