import type { IRWeight, TensorType } from '../ir/ir.js';
import { formatType, type OpDef, type ParamSpec, type ShapeContext } from '../registry/op.js';
import { requireFloat } from './activations.js';

/**
 * Normalization over the last axis (features, or channels of an image). The per-feature
 * vectors are not fan-based: their fan-in and fan-out are both the feature count, Keras's
 * convention for 1-D weights.
 */

const epsilon: ParamSpec = {
  name: 'epsilon',
  type: { kind: 'number' },
  default: 1e-3,
  check: (value) => (typeof value === 'number' && value <= 0 ? `must be greater than 0, found ${value}` : undefined),
  doc: 'Added to the variance before the square root.',
};

function features(inputs: readonly TensorType[], ctx: ShapeContext): TensorType | undefined {
  const input = inputs[0]!;
  if (!requireFloat(input, ctx)) return undefined;
  if (input.shape.length === 0) {
    ctx.report('wrongRank', { op: ctx.op, expected: 'at least one dimension', shape: formatType(input) });
    return undefined;
  }
  if (input.shape[input.shape.length - 1] === null) {
    ctx.report('unknownDimension', { op: ctx.op, shape: formatType(input), detail: 'a known last dimension' });
    return undefined;
  }
  return { shape: [...input.shape], dtype: 'float32' };
}

function vector(name: string, size: number, init: string, trainable: boolean): IRWeight {
  return { name, shape: [size], init: { name: init, params: {} }, fanIn: size, fanOut: size, trainable };
}

const lastDim = (inputs: readonly TensorType[]) => inputs[0]!.shape[inputs[0]!.shape.length - 1] as number;

const batchNorm: OpDef = {
  name: 'batch_norm',
  category: 'normalization',
  arity: { min: 1, max: 1 },
  params: [
    {
      name: 'momentum',
      type: { kind: 'number' },
      default: 0.99,
      check: (value) => (typeof value === 'number' && (value < 0 || value >= 1) ? `must be in [0, 1), found ${value}` : undefined),
      doc: 'Decay of the moving mean and variance used at inference.',
    },
    epsilon,
  ],
  doc: {
    summary: 'Normalises each feature by the batch mean and variance while training (moving averages at inference), then scales by `gamma` and shifts by `beta`.',
    shape: '[..., c] -> [..., c]; c must be known',
    example: 'h = x -> dense(64) -> batch_norm -> relu',
  },
  inferType: (inputs, _attrs, ctx) => features(inputs, ctx),
  // tfjs's order: gamma, beta, moving_mean, moving_variance.
  weights: (inputs) => {
    const c = lastDim(inputs);
    return [vector('gamma', c, 'ones', true), vector('beta', c, 'zeros', true), vector('moving_mean', c, 'zeros', false), vector('moving_variance', c, 'ones', false)];
  },
  emitTfjs(layer, ctx) {
    const [gamma, beta, mean, variance] = layer.weights;
    const config = [
      'axis: -1',
      `momentum: ${layer.attrs.momentum}`,
      `epsilon: ${layer.attrs.epsilon}`,
      `gammaInitializer: ${ctx.initializer(gamma!)}`,
      `betaInitializer: ${ctx.initializer(beta!)}`,
      `movingMeanInitializer: ${ctx.initializer(mean!)}`,
      `movingVarianceInitializer: ${ctx.initializer(variance!)}`,
      `name: ${ctx.name}`,
    ];
    return [`tf.layers.batchNormalization({ ${config.join(', ')} })`];
  },
};

const layerNorm: OpDef = {
  name: 'layer_norm',
  category: 'normalization',
  arity: { min: 1, max: 1 },
  params: [epsilon],
  doc: {
    summary: 'Normalises each sample over its last axis, then scales by `gamma` and shifts by `beta`; independent of the batch.',
    shape: '[..., c] -> [..., c]; c must be known',
    example: 'h = x -> dense(64) -> layer_norm',
  },
  inferType: (inputs, _attrs, ctx) => features(inputs, ctx),
  // tfjs's order: gamma, beta.
  weights: (inputs) => [vector('gamma', lastDim(inputs), 'ones', true), vector('beta', lastDim(inputs), 'zeros', true)],
  emitTfjs(layer, ctx) {
    const [gamma, beta] = layer.weights;
    const config = [
      'axis: -1',
      `epsilon: ${layer.attrs.epsilon}`,
      `gammaInitializer: ${ctx.initializer(gamma!)}`,
      `betaInitializer: ${ctx.initializer(beta!)}`,
      `name: ${ctx.name}`,
    ];
    return [`tf.layers.layerNormalization({ ${config.join(', ')} })`];
  },
};

const normalization: OpDef[] = [batchNorm, layerNorm];
export default normalization;
