import { beforeAll, describe, expect, test } from 'vitest';
import { collisions, mlp, sharedEncoder, sparseClassifier } from './support/cases.js';
import { cpu, generateAndImport, tf } from './support/load.js';

/** `train` and `compileModel` of the generated module, run for a step or two on tiny data. */

beforeAll(cpu);

const mlpData = (n = 8) => ({
  inputs: { x: tf.randomNormal([n, 4], 0, 1, 'float32', 1) },
  outputs: { probs: tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => i % 3), 'int32'), 3).toFloat() },
});

describe('train', () => {
  test('fits with the train settings, overridable per call', async () => {
    const generated = await generateAndImport(mlp());
    expect(generated.trainingConfig).toMatchObject({ epochs: 5, batchSize: 16, validationSplit: 0.2, seed: 7 });
    const history = await generated.train(generated.buildModel(), mlpData(), { epochs: 2, verbose: 0 });
    expect(history.epoch).toEqual([0, 1]);
    // validation_split = 0.2 holds out data, so tfjs reports a validation loss.
    expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    const losses = history.history.loss as number[];
    expect(losses.every(Number.isFinite)).toBe(true);
  });

  test('uses the epochs of the train block by default, and validation data when given', async () => {
    const generated = await generateAndImport(mlp());
    const history = await generated.train(generated.buildModel(), mlpData(), { verbose: 0, validationData: mlpData(4) });
    expect(history.epoch).toHaveLength(5);
    expect(history.history.val_loss).toHaveLength(5);
  });

  test('several outputs log their own unweighted losses and their own metrics, under the names of trainingConfig.logs', async () => {
    const generated = await generateAndImport(sharedEncoder());
    const n = 4;
    const history = await generated.train(generated.buildModel({ seed: 3 }), {
      inputs: { left: tf.ones([n, 3]), right: tf.zeros([n, 3]) },
      outputs: { score: tf.ones([n, 1]), cls: tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3).toFloat(), gap: tf.zeros([n, 4]), emb: tf.zeros([n, 4]) },
    }, { epochs: 1, verbose: 0 });
    const keys = Object.keys(history.history);
    expect(keys).toEqual(['loss', 'score_loss', 'cls_loss', 'gap_loss', 'emb_loss', 'score_accuracy', 'cls_accuracy', 'gap_mae']);
    expect(keys).toEqual(generated.trainingConfig!.logs);
    // `loss` is the weighted sum of the unweighted per-output losses (weights 1, 1, 2 and 0.5).
    const at = (k: string) => history.history[k]![0] as number;
    expect(at('loss')).toBeCloseTo(at('score_loss') + at('cls_loss') + 2 * at('gap_loss') + 0.5 * at('emb_loss'), 4);
  });

  test('a sparse loss takes class ids, with or without a trailing 1; its log is the unweighted loss', async () => {
    const generated = await generateAndImport(sparseClassifier());
    const n = 4;
    const inputs = { x: tf.randomNormal([n, 4], 0, 1, 'float32', 2), steps: tf.ones([n, 6, 2]) };
    const ids = tf.tensor1d([0, 4, 2, 1]);
    for (const digit of [ids, ids.reshape([n, 1])]) {
      const model = generated.buildModel();
      const probs = (model.predict([inputs.x, inputs.steps]) as tf.Tensor[])[0]!;
      const crossEntropy = tf.mean(tf.metrics.categoricalCrossentropy(tf.oneHot(ids.toInt(), 5), probs)).dataSync()[0]!;
      const outputs = { digit, tags: tf.zeros([n, 6], 'int32'), level: tf.zeros([n, 1]) };
      // One batch, so the epoch's loss is the loss of the initial weights: the cross-entropy, weight 0.5 or not.
      const history = await generated.train(model, { inputs, outputs }, { epochs: 1, batchSize: n, verbose: 0 });
      expect(history.history.digit_loss![0]).toBeCloseTo(crossEntropy, 5);
    }
  });

  test('a missing or misnamed tensor is a clear error', async () => {
    const generated = await generateAndImport(mlp());
    const model = generated.buildModel();
    const { outputs } = mlpData();
    await expect(generated.train(model, { inputs: { X: tf.ones([8, 4]) }, outputs })).rejects.toThrow(
      'train: data.inputs has no tensor named "x" (model Mlp takes "x")',
    );
    await expect(generated.train(model, { inputs: { x: [1, 2] as unknown as tf.Tensor }, outputs })).rejects.toThrow('no tensor named "x"');
    await expect(generated.train(model, { inputs: mlpData().inputs } as never)).rejects.toThrow(
      'train: data.outputs must be an object mapping each name to a tensor',
    );
  });

  test('a model without a train block builds but cannot be compiled or trained', async () => {
    const generated = await generateAndImport(collisions());
    expect(generated.trainingConfig).toBeNull();
    const model = generated.buildModel();
    const message = 'model Collisions has no `train { }` block, so it cannot be compiled or trained';
    expect(() => generated.compileModel(model)).toThrow(message);
    await expect(generated.train(model, { inputs: {}, outputs: {} })).rejects.toThrow(message);
  });
});
