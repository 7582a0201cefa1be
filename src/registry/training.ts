import type { ParamSpec } from './op.js';
import type { LossDef, MetricDef, OptimizerDef } from './tables.js';

/**
 * Losses, optimizers and metrics. Loss and metric expressions are per-sample functions
 * `(yTrue, yPred) => Tensor` (mean over the last axis, as Keras defines them): tfjs-core's
 * `tf.losses.*` reduce to a scalar, so the per-sample versions come from `tf.metrics.*`
 * or are composed here where tfjs exports none.
 */

export const lossDefs: LossDef[] = [
  {
    name: 'mse',
    aliases: ['mean_squared_error'],
    doc: 'Mean squared error over the last axis; the usual regression loss.',
    tfjs: 'tf.metrics.meanSquaredError',
  },
  {
    name: 'mae',
    aliases: ['mean_absolute_error'],
    doc: 'Mean absolute error over the last axis; less sensitive to outliers than `mse`.',
    tfjs: 'tf.metrics.meanAbsoluteError',
  },
  {
    name: 'huber',
    doc: 'Huber loss with delta 1 (Keras\'s default), averaged over the last axis: quadratic near 0, linear beyond.',
    tfjs: '(yTrue, yPred) => tf.mean(tf.losses.huberLoss(yTrue, yPred, undefined, 1, tf.Reduction.NONE), -1)',
  },
  {
    name: 'binary_crossentropy',
    doc: 'Cross-entropy of independent yes/no targets in [0, 1]; the output must be probabilities.',
    tfjs: 'tf.metrics.binaryCrossentropy',
    expects: {
      activations: ['sigmoid'],
      detail: 'binary cross-entropy expects probabilities from `sigmoid`',
    },
  },
  {
    name: 'categorical_crossentropy',
    doc: 'Cross-entropy of one-hot targets; the output must be a probability distribution.',
    tfjs: 'tf.metrics.categoricalCrossentropy',
    expects: {
      activations: ['softmax'],
      detail: 'categorical cross-entropy expects a probability distribution from `softmax`',
    },
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

/** An optimizer whose lowering sees every parameter, defaults filled in. */
function optimizer(name: string, params: ParamSpec[], doc: string, emit: (p: Record<string, number>) => string): OptimizerDef {
  const defaults = Object.fromEntries(params.map((p) => [p.name, p.default as number]));
  return { name, params, doc, emitTfjs: (given) => emit({ ...defaults, ...given }) };
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

export const metricDefs: MetricDef[] = [
  { name: 'mae', aliases: ['mean_absolute_error'], doc: 'Mean absolute error.', emitTfjs: () => 'tf.metrics.meanAbsoluteError' },
  { name: 'mse', aliases: ['mean_squared_error'], doc: 'Mean squared error.', emitTfjs: () => 'tf.metrics.meanSquaredError' },
  {
    name: 'accuracy',
    aliases: ['acc'],
    doc: 'Accuracy of the kind the loss implies: categorical for `categorical_crossentropy`, sparse for `sparse_categorical_crossentropy`, otherwise binary (predictions thresholded at 0.5).',
    emitTfjs: (loss) => {
      switch (canonicalLoss(loss)) {
        case 'categorical_crossentropy':
          return 'tf.metrics.categoricalAccuracy';
        case 'sparse_categorical_crossentropy':
          return 'tf.metrics.sparseCategoricalAccuracy';
        default:
          return 'tf.metrics.binaryAccuracy';
      }
    },
  },
  { name: 'binary_accuracy', doc: 'Fraction of predictions on the right side of 0.5.', emitTfjs: () => 'tf.metrics.binaryAccuracy' },
  { name: 'categorical_accuracy', doc: 'Fraction of samples whose arg-max matches the one-hot target.', emitTfjs: () => 'tf.metrics.categoricalAccuracy' },
  {
    name: 'sparse_categorical_accuracy',
    doc: 'Fraction of samples whose arg-max equals the integer class id.',
    emitTfjs: () => 'tf.metrics.sparseCategoricalAccuracy',
  },
];
