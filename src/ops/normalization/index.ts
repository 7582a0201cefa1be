import type { IRWeight, TensorType } from '../../ir/ir.js';
import type { Tensor64 } from '../../reference/tensor.js';
import { formatType, type OpDef, type OpSignal, type ParamSpec, type ShapeContext, type SignalContext } from '../../registry/op.js';
import { requireFloat } from '../activations/index.js';
import { batchNormOnnx, layerNormOnnx } from './onnx.js';
import { batchNormTorch, layerNormTorch } from './torch.js';

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

/**
 * x viewed as rows of its last axis (c features), standardised per group: per feature over all
 * rows (batch_norm: every axis but the last) or per row over its features (layer_norm). Both
 * use the biased variance with epsilon inside the square root, as tfjs's batchNormalization:
 * x̂ = (x - mean) / sqrt(var + epsilon); `stats` supplies fixed statistics instead (inference).
 */
interface Standardized {
  xhat: Float64Array;
  /** 1 / sqrt(var + epsilon) per group. */
  inv: Float64Array;
  perFeature: boolean;
  c: number;
}

interface Stats {
  mean: Float64Array;
  variance: Float64Array;
}

function standardize(x: Tensor64, perFeature: boolean, epsilon: number, stats?: Stats): Standardized {
  const c = x.shape[x.shape.length - 1]!;
  const rows = x.data.length / c;
  const { mean, variance } = stats ?? moments(x.data, rows, c, perFeature);
  const inv = variance.map((v) => 1 / Math.sqrt(v + epsilon));
  const xhat = new Float64Array(x.data.length);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let j = 0; j < c; j++, i++) {
      const k = perFeature ? j : r;
      xhat[i] = (x.data[i]! - mean[k]!) * inv[k]!;
    }
  }
  return { xhat, inv, perFeature, c };
}

/** Per-group mean and biased variance of x[rows × c]; groups are features or rows. */
function moments(x: Float64Array, rows: number, c: number, perFeature: boolean): Stats {
  const groups = perFeature ? c : rows;
  const count = perFeature ? rows : c;
  const mean = new Float64Array(groups);
  const variance = new Float64Array(groups);
  for (let r = 0, i = 0; r < rows; r++) for (let j = 0; j < c; j++, i++) mean[perFeature ? j : r]! += x[i]!;
  for (let k = 0; k < groups; k++) mean[k]! /= count;
  for (let r = 0, i = 0; r < rows; r++) {
    for (let j = 0; j < c; j++, i++) {
      const k = perFeature ? j : r;
      variance[k]! += (x[i]! - mean[k]!) ** 2;
    }
  }
  for (let k = 0; k < groups; k++) variance[k]! /= count;
  return { mean, variance };
}

/** gamma · x̂ + beta, with gamma and beta per feature. */
function scaleShift(x: Tensor64, { xhat, c }: Standardized, gamma: Tensor64, beta: Tensor64): Tensor64 {
  const data = new Float64Array(xhat.length);
  for (let i = 0; i < data.length; i++) data[i] = gamma.data[i % c]! * xhat[i]! + beta.data[i % c]!;
  return { shape: [...x.shape], data };
}

/**
 * Gradients of gamma · x̂ + beta. With batch statistics the mean and variance depend on x too:
 * dx = inv · (dx̂ - mean_group(dx̂) - x̂ · mean_group(dx̂ · x̂)), dx̂ = g · gamma.
 */
function scaleShiftBackward(s: Standardized, gamma: Tensor64, gradOutput: Tensor64, throughStats: boolean) {
  const { xhat, inv, perFeature, c } = s;
  const g = gradOutput.data;
  const rows = g.length / c;
  const dGamma = new Float64Array(c);
  const dBeta = new Float64Array(c);
  const dxhat = new Float64Array(g.length);
  for (let i = 0; i < g.length; i++) {
    dGamma[i % c]! += g[i]! * xhat[i]!;
    dBeta[i % c]! += g[i]!;
    dxhat[i] = g[i]! * gamma.data[i % c]!;
  }
  const meanD = new Float64Array(inv.length);
  const meanDX = new Float64Array(inv.length);
  if (throughStats) {
    const count = g.length / inv.length;
    for (let r = 0, i = 0; r < rows; r++) {
      for (let j = 0; j < c; j++, i++) {
        const k = perFeature ? j : r;
        meanD[k]! += dxhat[i]! / count;
        meanDX[k]! += (dxhat[i]! * xhat[i]!) / count;
      }
    }
  }
  const dx = new Float64Array(g.length);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let j = 0; j < c; j++, i++) {
      const k = perFeature ? j : r;
      dx[i] = inv[k]! * (dxhat[i]! - meanD[k]! - xhat[i]! * meanDX[k]!);
    }
  }
  return { dx, dGamma, dBeta };
}

/**
 * Unit variance out, times E[gamma²], plus E[beta²], around the mean E[beta]; backwards the
 * gradient is divided by the variance the op divides by. batch_norm standardizes each unit over
 * the batch, so that is E[x²] minus the units' offsets (a dense layer after a relu gives each unit
 * its own mean, which batch_norm removes); its output's units are all centered, offset by beta.
 * layer_norm standardizes each sample over its units, so that is the variance around the common
 * mean E[x], and the units' offsets survive, relative to that variance.
 */
function normalizationSignal(perUnit: boolean): OpSignal {
  const divisor = (q: number, ctx: SignalContext) => (perUnit ? q - ctx.offsets[0]! : q * ctx.centered[0]!);
  return {
    forward: (_inputs, layer, ctx) => ctx.meanSquare(layer.weights[0]!) + ctx.meanSquare(layer.weights[1]!),
    backward: (g, inputs, layer, ctx) => [(g * ctx.meanSquare(layer.weights[0]!)) / Math.max(divisor(inputs[0]!, ctx), Number.MIN_VALUE)],
    mean: (_inputs, layer, ctx) => ctx.meanOf(layer.weights[1]!),
    offset: (inputs, layer, ctx) => {
      const [gamma, beta] = [ctx.meanSquare(layer.weights[0]!), ctx.meanSquare(layer.weights[1]!)];
      if (perUnit) return beta;
      const [q, m] = [inputs[0]!, ctx.means[0]!];
      return q > m * m ? (gamma * (ctx.offsets[0]! - m * m)) / (q - m * m) + beta : beta;
    },
  };
}

const batchNorm: OpDef = {
  name: 'batch_norm',
  category: 'normalization',
  // Normalized to unit variance, then scaled by gamma and shifted by beta (ones and zeros at
  // initialization); backwards the gradient is divided by the input's standard deviation.
  signal: normalizationSignal(true),
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
  onnx: batchNormOnnx,
  torch: batchNormTorch,
  /**
   * Training: batch statistics (the moving averages' update is the engine's business: it is
   * state, not part of this function). Inference: the moving statistics. They are weights but
   * never trained, so their gradient is zero in both modes.
   */
  reference: {
    forward({ inputs, weights, attrs }, ctx) {
      const [gamma, beta, mean, variance] = weights;
      const stats = ctx.training ? undefined : { mean: mean!.data, variance: variance!.data };
      return scaleShift(inputs[0]!, standardize(inputs[0]!, true, attrs.epsilon as number, stats), gamma!, beta!);
    },
    backward({ inputs, weights, attrs, gradOutput }, ctx) {
      const x = inputs[0]!;
      const [gamma, , mean, variance] = weights;
      const stats = ctx.training ? undefined : { mean: mean!.data, variance: variance!.data };
      const s = standardize(x, true, attrs.epsilon as number, stats);
      const { dx, dGamma, dBeta } = scaleShiftBackward(s, gamma!, gradOutput, ctx.training);
      const c = gamma!.data.length;
      return {
        inputs: [{ shape: [...x.shape], data: dx }],
        weights: [dGamma, dBeta, new Float64Array(c), new Float64Array(c)].map((data) => ({ shape: [c], data })),
      };
    },
  },
};

const layerNorm: OpDef = {
  name: 'layer_norm',
  category: 'normalization',
  signal: normalizationSignal(false),
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
  onnx: layerNormOnnx,
  torch: layerNormTorch,
  reference: {
    forward({ inputs, weights, attrs }) {
      const [gamma, beta] = weights;
      return scaleShift(inputs[0]!, standardize(inputs[0]!, false, attrs.epsilon as number), gamma!, beta!);
    },
    backward({ inputs, weights, attrs, gradOutput }) {
      const x = inputs[0]!;
      const s = standardize(x, false, attrs.epsilon as number);
      const { dx, dGamma, dBeta } = scaleShiftBackward(s, weights[0]!, gradOutput, true);
      const c = dGamma.length;
      return { inputs: [{ shape: [...x.shape], data: dx }], weights: [dGamma, dBeta].map((data) => ({ shape: [c], data })) };
    },
  },
};

const normalization: OpDef[] = [batchNorm, layerNorm];
export default normalization;
