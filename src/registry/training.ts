import type { ReferenceContext } from '../reference/context.js';
import type { Tensor64 } from '../reference/tensor.js';
import type { ParamSpec } from './op.js';
import type { LossDef, MetricDef, OptimizerDef } from './tables.js';
import { torchLosses, torchMetrics, torchOptimizers } from './training-torch.js';

/**
 * Losses, optimizers and metrics. Loss and metric expressions are per-sample functions
 * `(yTrue, yPred) => Tensor` (mean over the last axis, as Keras defines them): tfjs-core's
 * `tf.losses.*` reduce to a scalar, so the per-sample versions come from `tf.metrics.*`
 * or are composed here where tfjs exports none.
 */

/**
 * The float64 side of the losses. tfjs's loss functions reduce the last axis of a prediction
 * [batch, ..., n] and training then averages whatever is left; so a sample's loss is the mean,
 * over its positions, of one row's loss, and Σ_samples / batch is tfjs's loss value. A row
 * loss gives its value and, into `grad`, d(value)/d(prediction row); kinks go to `side`.
 */
interface RowLoss {
  value(t: Float64Array, p: Float64Array, side: Uint8Array): number;
  gradient(t: Float64Array, p: Float64Array, grad: Float64Array): void;
}

/**
 * tfjs-layers clips probabilities to [epsilon(), 1 - epsilon()] with epsilon() = 1e-7, and its
 * clip kernel writes float32: the bounds that really apply are these two roundings. At p = 1
 * that is what makes -log(1 - c) 15.94 rather than 16.12.
 */
const CLIP_LOW = Math.fround(1e-7);
const CLIP_HIGH = Math.fround(1 - 1e-7);

/** The row length of a prediction: its last axis, or 1 when it is one number per sample. */
const rowLength = (prediction: Tensor64): number => (prediction.shape.length > 1 ? prediction.shape[prediction.shape.length - 1]! : 1);

/** Maps a sparse target (one class id per row) to one-hot rows; tfjs's oneHot leaves ids outside [0, n) all zero. */
function oneHot(target: Tensor64, prediction: Tensor64): Tensor64 {
  const n = rowLength(prediction);
  const data = new Float64Array(prediction.data.length);
  target.data.forEach((label, row) => {
    const id = Math.floor(label);
    if (id >= 0 && id < n) data[row * n + id] = 1;
  });
  return { shape: [...prediction.shape], data };
}

function rowwise(row: RowLoss, sparse = false): LossDef['reference'] {
  const dense = (target: Tensor64, prediction: Tensor64): Tensor64 => (sparse ? oneHot(target, prediction) : target);
  return {
    perSample(target: Tensor64, prediction: Tensor64, ctx: ReferenceContext): Float64Array {
      const t = dense(target, prediction).data;
      const p = prediction.data;
      const n = rowLength(prediction);
      const batch = prediction.shape[0]!;
      const perSample = p.length / n / batch;
      const side = new Uint8Array(p.length);
      const losses = new Float64Array(batch);
      for (let r = 0; r < p.length / n; r++) {
        const span = [r * n, (r + 1) * n] as const;
        losses[Math.floor(r / perSample)]! += row.value(t.subarray(...span), p.subarray(...span), side.subarray(...span)) / perSample;
      }
      ctx.branches(side);
      return losses;
    },
    gradient(target: Tensor64, prediction: Tensor64): Tensor64 {
      const t = dense(target, prediction).data;
      const p = prediction.data;
      const n = rowLength(prediction);
      const perSample = p.length / n / prediction.shape[0]!;
      const grad = new Float64Array(p.length);
      for (let r = 0; r < p.length / n; r++) {
        const span = [r * n, (r + 1) * n] as const;
        row.gradient(t.subarray(...span), p.subarray(...span), grad.subarray(...span));
      }
      return { shape: [...prediction.shape], data: grad.map((g) => g / perSample) };
    },
  };
}

/** Σ over a row of f(t_i, p_i, i) / n: the losses that are means over the last axis. */
function meanOver(t: Float64Array, p: Float64Array, f: (t: number, p: number, i: number) => number): number {
  let total = 0;
  for (let i = 0; i < p.length; i++) total += f(t[i]!, p[i]!, i);
  return total / p.length;
}

/** tfjs's |x|' is step(x, -1): -1 at 0. */
const signOf = (x: number): number => (x > 0 ? 1 : -1);

const mse: RowLoss = {
  value: (t, p) => meanOver(t, p, (ti, pi) => (pi - ti) ** 2),
  gradient: (t, p, grad) => grad.forEach((_, i) => (grad[i] = (2 * (p[i]! - t[i]!)) / p.length)),
};

const mae: RowLoss = {
  value: (t, p, side) => meanOver(t, p, (ti, pi, i) => ((side[i] = pi > ti ? 1 : 0), Math.abs(pi - ti))),
  gradient: (t, p, grad) => grad.forEach((_, i) => (grad[i] = signOf(p[i]! - t[i]!) / p.length)),
};

/** Huber with delta 1 as tf.losses.huberLoss builds it: 0.5 · min(e, 1)² + (e - min(e, 1)), e = |p - t|. */
const huber: RowLoss = {
  value: (t, p, side) =>
    meanOver(t, p, (ti, pi, i) => {
      const e = Math.abs(pi - ti);
      const q = Math.min(e, 1);
      side[i] = e <= 1 ? 1 : 0;
      return 0.5 * q * q + (e - q);
    }),
  // minimum's gradient goes to e where e ≤ delta: d/de = e there, delta beyond.
  gradient: (t, p, grad) =>
    grad.forEach((_, i) => {
      const d = p[i]! - t[i]!;
      grad[i] = (Math.abs(d) <= 1 ? d : signOf(d)) / p.length;
    }),
};

/** Which side of the clip range p falls on; tfjs's clipByValue gradient passes on the closed interval. */
const clipSide = (p: number): number => (p < CLIP_LOW ? 0 : p > CLIP_HIGH ? 2 : 1);
const clip = (p: number): number => Math.min(Math.max(p, CLIP_LOW), CLIP_HIGH);

/**
 * tfjs: clip, take the logit z = log(c / (1 - c)), then sigmoid cross-entropy with logits,
 * max(z, 0) - z·t + log(1 + e^-|z|), averaged over the row. dLoss/dc = (c - t) / (c (1 - c)).
 */
const binaryCrossentropy: RowLoss = {
  value: (t, p, side) =>
    meanOver(t, p, (ti, pi, i) => {
      side[i] = clipSide(pi);
      const c = clip(pi);
      const z = Math.log(c / (1 - c));
      return Math.max(z, 0) - z * ti + Math.log1p(Math.exp(-Math.abs(z)));
    }),
  gradient: (t, p, grad) =>
    grad.forEach((_, i) => {
      const c = clip(p[i]!);
      grad[i] = clipSide(p[i]!) === 1 ? (c - t[i]!) / (c * (1 - c)) / p.length : 0;
    }),
};

/**
 * tfjs: q = p / Σp (the row rescaled to sum 1), clipped to [epsilon, 1 - epsilon], then
 * -Σ t · log(q). A sum over the row, not a mean. Through the rescaling,
 * dLoss/dp_i = (g_i - Σ_j g_j q_j) / Σp with g_j = -t_j / c_j inside the clip range, else 0.
 */
const categoricalCrossentropy: RowLoss = {
  value(t, p, side) {
    const total = p.reduce((a, b) => a + b, 0);
    let loss = 0;
    p.forEach((pi, i) => {
      side[i] = clipSide(pi / total);
      loss -= t[i]! * Math.log(clip(pi / total));
    });
    return loss;
  },
  gradient(t, p, grad) {
    const total = p.reduce((a, b) => a + b, 0);
    let dot = 0;
    p.forEach((pi, i) => {
      const q = pi / total;
      grad[i] = clipSide(q) === 1 ? -t[i]! / q : 0;
      dot += grad[i]! * q;
    });
    grad.forEach((g, i) => (grad[i] = (g - dot) / total));
  },
};

export const lossDefs: LossDef[] = [
  {
    name: 'mse',
    aliases: ['mean_squared_error'],
    doc: 'Mean squared error over the last axis; the usual regression loss.',
    tfjs: 'tf.metrics.meanSquaredError',
    torch: torchLosses.mse,
    reference: rowwise(mse),
  },
  {
    name: 'mae',
    aliases: ['mean_absolute_error'],
    doc: 'Mean absolute error over the last axis; less sensitive to outliers than `mse`.',
    tfjs: 'tf.metrics.meanAbsoluteError',
    torch: torchLosses.mae,
    reference: rowwise(mae),
  },
  {
    name: 'huber',
    doc: 'Huber loss with delta 1 (Keras\'s default), averaged over the last axis: quadratic near 0, linear beyond.',
    tfjs: '(yTrue, yPred) => tf.mean(tf.losses.huberLoss(yTrue, yPred, undefined, 1, tf.Reduction.NONE), -1)',
    torch: torchLosses.huber,
    reference: rowwise(huber),
  },
  {
    name: 'binary_crossentropy',
    doc: 'Cross-entropy of independent yes/no targets in [0, 1]; the output must be probabilities.',
    tfjs: 'tf.metrics.binaryCrossentropy',
    expects: {
      activations: ['sigmoid'],
      detail: 'binary cross-entropy expects probabilities from `sigmoid`',
    },
    torch: torchLosses.binary_crossentropy,
    reference: rowwise(binaryCrossentropy),
  },
  {
    name: 'categorical_crossentropy',
    doc: 'Cross-entropy of one-hot targets; the output must be a probability distribution.',
    tfjs: 'tf.metrics.categoricalCrossentropy',
    expects: {
      activations: ['softmax'],
      detail: 'categorical cross-entropy expects a probability distribution from `softmax`',
    },
    torch: torchLosses.categorical_crossentropy,
    reference: rowwise(categoricalCrossentropy),
  },
  {
    name: 'sparse_categorical_crossentropy',
    doc: 'Categorical cross-entropy with integer class ids as targets (one fewer dimension than the output).',
    // tfjs-layers has this function but does not export it; this is its definition, per sample.
    tfjs:
      "(yTrue, yPred) => tf.metrics.categoricalCrossentropy(tf.reshape(tf.oneHot(tf.cast(tf.floor(tf.reshape(yTrue, [-1])), 'int32'), yPred.shape[yPred.shape.length - 1]), yPred.shape), yPred)",
    expects: {
      activations: ['softmax'],
      detail: 'sparse categorical cross-entropy expects a probability distribution from `softmax`',
    },
    sparse: true,
    // Its targets arrive one-hot, as the tfjs target trains it: the dense form is the same function on them.
    torch: torchLosses.categorical_crossentropy,
    reference: rowwise(categoricalCrossentropy, true),
  },
];

const unitInterval = (value: unknown): string | undefined =>
  typeof value === 'number' && (value < 0 || value >= 1) ? `must be in [0, 1), found ${value}` : undefined;
const positive = (value: unknown): string | undefined =>
  typeof value === 'number' && value <= 0 ? `must be greater than 0, found ${value}` : undefined;

const learningRate = (value: number): ParamSpec => ({
  name: 'learning_rate',
  type: { kind: 'number' },
  default: value,
  check: positive,
  doc: 'Step size.',
});
const epsilon: ParamSpec = { name: 'epsilon', type: { kind: 'number' }, default: 1e-7, check: positive, doc: 'Added to denominators for numerical stability.' };
const momentum: ParamSpec = { name: 'momentum', type: { kind: 'number' }, default: 0, check: unitInterval, doc: 'Momentum factor; 0 disables it.' };
const nonNegative = (value: unknown): string | undefined =>
  typeof value === 'number' && value < 0 ? `must be 0 (off) or greater, found ${value}` : undefined;
/**
 * Keras's `clipnorm`: before each step, every gradient tensor whose L2 norm exceeds it is
 * rescaled to that norm (each tensor on its own, not the global norm). tfjs's optimizers have
 * no such option; the generated `compileModel` and `nnc train` apply it around the optimizer.
 */
const clipnorm: ParamSpec = {
  name: 'clipnorm',
  type: { kind: 'number' },
  default: 0,
  check: nonNegative,
  doc: 'Clips each gradient tensor to this L2 norm before the step (Keras semantics); 0 turns clipping off.',
};

/** An optimizer whose lowering sees every parameter, defaults filled in. */
function optimizer(name: keyof typeof torchOptimizers, own: ParamSpec[], doc: string, emit: (p: Record<string, number>) => string): OptimizerDef {
  const params = [...own, clipnorm];
  const defaults = Object.fromEntries(params.map((p) => [p.name, p.default as number]));
  return {
    name,
    params,
    doc,
    emitTfjs: (given) => emit({ ...defaults, ...given }),
    emitTorch: (given, parameters) => torchOptimizers[name]({ ...defaults, ...given }, parameters),
  };
}

export const optimizerDefs: OptimizerDef[] = [
  optimizer(
    'sgd',
    [learningRate(0.01), momentum],
    'Stochastic gradient descent, with classical momentum when `momentum` > 0.',
    (p) => (p.momentum! > 0 ? `tf.train.momentum(${p.learning_rate}, ${p.momentum})` : `tf.train.sgd(${p.learning_rate})`),
  ),
  optimizer(
    'adam',
    [
      learningRate(0.001),
      { name: 'beta1', type: { kind: 'number' }, default: 0.9, check: unitInterval, doc: 'Decay of the first-moment estimate.' },
      { name: 'beta2', type: { kind: 'number' }, default: 0.999, check: unitInterval, doc: 'Decay of the second-moment estimate.' },
      epsilon,
    ],
    'Adam: per-weight step sizes from running estimates of the gradient\'s first and second moments.',
    (p) => `tf.train.adam(${p.learning_rate}, ${p.beta1}, ${p.beta2}, ${p.epsilon})`,
  ),
  optimizer(
    'rmsprop',
    [
      learningRate(0.001),
      { name: 'rho', type: { kind: 'number' }, default: 0.9, check: unitInterval, doc: 'Decay of the squared-gradient average.' },
      momentum,
      epsilon,
    ],
    'RMSprop: divides the step by a running root mean square of recent gradients.',
    (p) => `tf.train.rmsprop(${p.learning_rate}, ${p.rho}, ${p.momentum}, ${p.epsilon})`,
  ),
  optimizer(
    'adagrad',
    [learningRate(0.01)],
    'Adagrad: step sizes shrink with the sum of past squared gradients (accumulators start at 0.1, as in Keras).',
    (p) => `tf.train.adagrad(${p.learning_rate}, 0.1)`,
  ),
];

/** The canonical name of a loss given by name or alias. */
function canonicalLoss(loss: string): string {
  return lossDefs.find((l) => l.name === loss || l.aliases?.includes(loss))?.name ?? loss;
}

const CLASSIFICATION = ['binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy'] as const;
const CATEGORICAL = ['categorical_crossentropy', 'sparse_categorical_crossentropy'] as const;

/**
 * The categorical accuracies compare arg-maxes; which tfjs function does so depends on the form
 * of the targets, not on the name written: one-hot rows (a categorical loss, or a sparse one
 * whose ids are turned into one-hot rows) or class ids (a sparse loss applied as it is).
 */
const argMaxAccuracy = (loss: string): string =>
  canonicalLoss(loss) === 'sparse_categorical_crossentropy' ? 'tf.metrics.sparseCategoricalAccuracy' : 'tf.metrics.categoricalAccuracy';

export const metricDefs: MetricDef[] = [
  { name: 'mae', aliases: ['mean_absolute_error'], doc: 'Mean absolute error.', emitTfjs: () => 'tf.metrics.meanAbsoluteError', torch: () => torchMetrics.mae },
  { name: 'mse', aliases: ['mean_squared_error'], doc: 'Mean squared error.', emitTfjs: () => 'tf.metrics.meanSquaredError', torch: () => torchMetrics.mse },
  {
    name: 'accuracy',
    aliases: ['acc'],
    doc: 'Accuracy of the kind the loss implies: categorical for `categorical_crossentropy` and `sparse_categorical_crossentropy`, binary (predictions thresholded at 0.5) for `binary_crossentropy`.',
    emitTfjs: (loss) => (CATEGORICAL.includes(canonicalLoss(loss) as (typeof CATEGORICAL)[number]) ? argMaxAccuracy(loss) : 'tf.metrics.binaryAccuracy'),
    fits: { losses: CLASSIFICATION, detail: 'accuracy counts predicted classes, and an output trained as a regression predicts none' },
    torch: (loss) => (CATEGORICAL.includes(canonicalLoss(loss) as (typeof CATEGORICAL)[number]) ? torchMetrics.categoricalAccuracy : torchMetrics.binaryAccuracy),
  },
  {
    name: 'binary_accuracy',
    doc: 'Fraction of predictions on the right side of 0.5.',
    emitTfjs: () => 'tf.metrics.binaryAccuracy',
    fits: { losses: ['binary_crossentropy'], detail: 'binary accuracy thresholds each prediction at 0.5, which fits yes/no outputs trained with `binary_crossentropy`' },
    torch: () => torchMetrics.binaryAccuracy,
  },
  {
    name: 'categorical_accuracy',
    doc: 'Fraction of samples whose arg-max matches the target class.',
    emitTfjs: argMaxAccuracy,
    fits: { losses: CATEGORICAL, detail: 'categorical accuracy compares the arg-max of a distribution over classes, which fits outputs trained with a categorical cross-entropy' },
    torch: () => torchMetrics.categoricalAccuracy,
  },
  {
    name: 'sparse_categorical_accuracy',
    doc: 'Fraction of samples whose arg-max equals the class id; the same figure as `categorical_accuracy` (nnc turns class ids into one-hot rows where it can).',
    emitTfjs: argMaxAccuracy,
    fits: { losses: CATEGORICAL, detail: 'sparse categorical accuracy compares the arg-max of a distribution over classes, which fits outputs trained with a categorical cross-entropy' },
    // train.py's targets of a sparse loss are one-hot rows, where the class id is the arg-max.
    torch: () => torchMetrics.categoricalAccuracy,
  },
];
