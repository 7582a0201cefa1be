import { beforeAll, describe, expect, test } from 'vitest';
import { lossDefs, metricDefs, optimizerDefs } from '../../src/registry/training.js';
import { registry } from '../../src/registry/registry.js';
import { cpu, evaluate, tf } from '../ops/tfjs.js';

beforeAll(async () => {
  await cpu();
});

type PerSample = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;
const fn = (expression: string) => evaluate<PerSample>(expression);

const yTrue = [[0, 1, 0], [1, 0, 0]];
const yPred = [[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]];

function perSample(loss: string, t: number[][] | number[], p: number[][]): number[] {
  return fn(registry.loss(loss)!.tfjs)(tf.tensor(t), tf.tensor2d(p)).arraySync() as number[];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const huber = (d: number) => (Math.abs(d) <= 1 ? 0.5 * d * d : Math.abs(d) - 0.5);

describe('losses are per-sample functions of (yTrue, yPred)', () => {
  const rows = yTrue.map((t, i) => ({ t, p: yPred[i]! }));
  const cases: Array<[string, (t: number[], p: number[]) => number]> = [
    ['mse', (t, p) => mean(t.map((v, j) => (v - p[j]!) ** 2))],
    ['mean_squared_error', (t, p) => mean(t.map((v, j) => (v - p[j]!) ** 2))],
    ['mae', (t, p) => mean(t.map((v, j) => Math.abs(v - p[j]!)))],
    ['huber', (t, p) => mean(t.map((v, j) => huber(v - p[j]!)))],
    ['binary_crossentropy', (t, p) => mean(t.map((v, j) => -(v * Math.log(p[j]!) + (1 - v) * Math.log(1 - p[j]!))))],
    ['categorical_crossentropy', (t, p) => -t.reduce((s, v, j) => s + v * Math.log(p[j]!), 0)],
  ];

  test.each(cases)('%s', (loss, reference) => {
    const got = perSample(loss, yTrue, yPred);
    expect(got).toHaveLength(2);
    got.forEach((v, i) => expect(v).toBeCloseTo(reference(rows[i]!.t, rows[i]!.p), 5));
  });

  test('huber is quadratic then linear', () => {
    const got = perSample('huber', [[0, 0]], [[0.5, 3]]);
    expect(got[0]).toBeCloseTo((0.125 + 2.5) / 2, 6);
  });

  test('sparse categorical cross-entropy takes class ids, flat or with a trailing 1', () => {
    const want = [-Math.log(0.7), -Math.log(0.5)];
    for (const ids of [[1, 0], [[1], [0]]] as Array<number[] | number[][]>) {
      perSample('sparse_categorical_crossentropy', ids, yPred).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    }
    expect(registry.loss('sparse_categorical_crossentropy')!.sparse).toBe(true);
  });

  test.each(lossDefs.map((l) => l.name))('%s has a finite gradient with respect to the prediction', (loss) => {
    const target = loss === 'sparse_categorical_crossentropy' ? tf.tensor1d([1, 0]) : tf.tensor2d(yTrue);
    const gradient = tf.grad((p: tf.Tensor) => fn(registry.loss(loss)!.tfjs)(target, p).sum())(tf.tensor2d(yPred));
    const values = gradient.dataSync();
    expect(values.every(Number.isFinite)).toBe(true);
    expect(values.some((v) => v !== 0)).toBe(true);
  });

  test('losses that need probabilities say which activation produces them', () => {
    const expects = Object.fromEntries(lossDefs.filter((l) => l.expects).map((l) => [l.name, l.expects!.activations]));
    expect(expects).toEqual({
      binary_crossentropy: ['sigmoid'],
      categorical_crossentropy: ['softmax'],
      sparse_categorical_crossentropy: ['softmax'],
    });
    expect(registry.loss('binary_crossentropy')!.expects!.detail).toBe('binary cross-entropy expects probabilities from `sigmoid`');
  });
});

describe('optimizers', () => {
  const build = (name: string, params: Record<string, number> = {}) => registry.optimizer(name)!.emitTfjs(params);

  test('expressions with every parameter, defaults filled in', () => {
    expect(build('adam')).toBe('tf.train.adam(0.001, 0.9, 0.999, 1e-7)');
    expect(build('adam', { learning_rate: 0.01 })).toBe('tf.train.adam(0.01, 0.9, 0.999, 1e-7)');
    expect(build('sgd')).toBe('tf.train.sgd(0.01)');
    expect(build('sgd', { learning_rate: 0.1, momentum: 0.9 })).toBe('tf.train.momentum(0.1, 0.9)');
    expect(build('rmsprop')).toBe('tf.train.rmsprop(0.001, 0.9, 0, 1e-7)');
    expect(build('adagrad')).toBe('tf.train.adagrad(0.01, 0.1)');
  });

  test('the expressions build the tfjs optimizers with those settings', () => {
    const config = (expression: string) => evaluate<tf.Optimizer>(expression).getConfig();
    expect(config(build('adam', { learning_rate: 0.02, beta1: 0.8 }))).toMatchObject({ learningRate: 0.02, beta1: 0.8, beta2: 0.999, epsilon: 1e-7 });
    expect(config(build('sgd', { momentum: 0.5 }))).toMatchObject({ learningRate: 0.01, momentum: 0.5 });
    expect(config(build('rmsprop', { rho: 0.95 }))).toMatchObject({ learningRate: 0.001, decay: 0.95, momentum: 0, epsilon: 1e-7 });
    expect(config(build('adagrad'))).toMatchObject({ learningRate: 0.01, initialAccumulatorValue: 0.1 });
  });

  test('parameter checks', () => {
    const check = (name: string, param: string, value: number) =>
      registry.optimizer(name)!.params.find((p) => p.name === param)!.check!(value);
    expect(check('adam', 'learning_rate', 0)).toBe('must be greater than 0, found 0');
    expect(check('adam', 'beta1', 1)).toBe('must be in [0, 1), found 1');
    expect(check('sgd', 'momentum', 0.9)).toBeUndefined();
    expect(optimizerDefs.map((o) => o.name)).toEqual(['sgd', 'adam', 'rmsprop', 'adagrad']);
  });
});

describe('metrics', () => {
  test('accuracy follows the loss', () => {
    const accuracy = registry.metric('accuracy')!;
    expect(accuracy.emitTfjs('categorical_crossentropy')).toBe('tf.metrics.categoricalAccuracy');
    expect(accuracy.emitTfjs('sparse_categorical_crossentropy')).toBe('tf.metrics.sparseCategoricalAccuracy');
    expect(accuracy.emitTfjs('binary_crossentropy')).toBe('tf.metrics.binaryAccuracy');
    expect(accuracy.emitTfjs('mse')).toBe('tf.metrics.binaryAccuracy');
  });

  test('every metric expression is a tfjs per-sample function', () => {
    for (const metric of metricDefs) {
      for (const loss of ['mse', 'categorical_crossentropy', 'sparse_categorical_crossentropy']) {
        const expression = metric.emitTfjs(loss);
        const f = fn(expression);
        expect(typeof f, expression).toBe('function');
        const sparse = expression.includes('sparse');
        const out = f(sparse ? tf.tensor1d([1, 0]) : tf.tensor2d(yTrue), tf.tensor2d(yPred));
        expect(out.shape, expression).toEqual([2]);
      }
    }
  });

  test('values', () => {
    const value = (name: string, loss = 'mse') => fn(registry.metric(name)!.emitTfjs(loss))(tf.tensor2d(yTrue), tf.tensor2d(yPred)).arraySync();
    expect(value('categorical_accuracy')).toEqual([1, 1]);
    expect((value('mae') as number[])[0]).toBeCloseTo(0.2, 6);
  });
});
