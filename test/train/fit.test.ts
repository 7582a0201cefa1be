import { beforeAll, describe, expect, test } from 'vitest';
import { selectBackend } from '../../src/cli/backend.js';
import type { Dataset } from '../../src/train/data/dataset.js';
import { explainDivergence } from '../../src/train/loop/divergence.js';
import { evaluate, fit, TrainSetupError, type FitConfig } from '../../src/train/loop/fit.js';
import { compiledParts } from '../../src/train/loop/compiled.js';
import { compiled, cpu, numbers, tf } from './support.js';

beforeAll(cpu);

/** `n` samples of `inputs` numbers and one target: `f(x)`, or noise when f is undefined. */
function regression(n: number, inputs: number, seed: number, f?: (x: number[]) => number): Dataset {
  const next = numbers(seed);
  const x = new Float32Array(n * inputs);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: inputs }, () => next() * 2 - 1);
    x.set(row, i * inputs);
    y[i] = f ? f(row) : next() * 2 - 1;
  }
  return { size: n, inputs: [{ shape: [inputs], dtype: 'float32', data: x }], targets: [{ shape: [1], dtype: 'float32', data: y }] };
}

const config = (ir: { train: { epochs: number; batchSize: number; seed: number | null; earlyStopping: FitConfig['earlyStopping'] } | null }, seed = 1): FitConfig => ({
  epochs: ir.train!.epochs,
  batchSize: ir.train!.batchSize,
  shuffle: true,
  seed,
  earlyStopping: ir.train!.earlyStopping,
});

describe('training loop', () => {
  test('learns a simple function and records every batch and epoch', async () => {
    const { ir, build } = await compiled('model R {\n  input x: [2]\n  output y = x -> dense(16, tanh) -> dense(1)\n  train { loss = mse optimizer = adam(learning_rate=0.03) metrics = [mae] epochs = 30 batch_size = 16 }\n}');
    const data = regression(96, 2, 3, ([a, b]) => a! - 0.5 * b!);
    const result = await fit(tf, build(1), ir, { train: data, validation: null }, config(ir));
    expect(result.status).toBe('completed');
    expect(result.history.epochs).toHaveLength(30);
    expect(result.history.batches).toHaveLength(30 * 6);
    expect(result.history.batches[5]).toMatchObject({ epoch: 1, batch: 6, batches: 6 });
    const first = result.history.epochs[0]!.logs;
    const last = result.history.epochs.at(-1)!.logs;
    expect(Object.keys(last)).toEqual(['loss', 'mae']);
    expect(last.loss!).toBeLessThan(first.loss! / 10);
    // The epoch's loss is the size-weighted mean of its batches' losses.
    const batches = result.history.batches.filter((b) => b.epoch === 30);
    expect(last.loss!).toBeCloseTo(batches.reduce((s, b) => s + b.loss, 0) / batches.length, 6);
  });

  test('the same seed gives the same run, dropout included; another seed another', async () => {
    const { ir, build } = await compiled('model D {\n  input x: [3]\n  output y = x -> dense(8, relu) -> dropout(0.5) -> dense(1)\n  train { loss = mse epochs = 3 batch_size = 4 }\n}');
    const data = regression(20, 3, 9, ([a]) => a!);
    const run = async (seed: number) => {
      const model = build(seed);
      const result = await fit(tf, model, ir, { train: data, validation: null }, config(ir, seed));
      return { losses: result.history.batches.map((b) => b.loss), weights: model.getWeights().map((w) => Array.from(w.dataSync())) };
    };
    const a = await run(5);
    const b = await run(5);
    expect(b).toEqual(a);
    expect((await run(6)).losses).not.toEqual(a.losses);
  });

  test('early stopping stops after `patience` epochs without improvement and restores the best weights', async () => {
    const source =
      'model E {\n  input x: [4]\n  output y = x -> dense(64, relu) -> dense(1)\n' +
      '  train { loss = mse optimizer = adam(learning_rate=0.05) epochs = 200 batch_size = 8 early_stopping = { monitor: val_loss, patience: 3 } }\n}';
    const { ir, build } = await compiled(source);
    // Targets are noise: the model memorises the training rows and validation soon gets worse.
    const train = regression(32, 4, 1);
    const validation = regression(16, 4, 2);
    const model = build(1);
    const result = await fit(tf, model, ir, { train, validation }, config(ir));
    expect(result.status).toBe('stopped-early');
    const epochs = result.history.epochs;
    const best = epochs.reduce((a, b) => (b.logs.val_loss! < a.logs.val_loss! ? b : a));
    expect(result.bestEpoch).toBe(best.epoch);
    expect(epochs.at(-1)!.epoch - best.epoch).toBe(3);
    expect(epochs.length).toBeLessThan(200);
    expect(result.restored).toBe(true);
    const now = await evaluate(tf, model, ir, compiledParts(model, ir), validation, 8);
    expect(now.loss).toBeCloseTo(best.logs.val_loss!, 5);
  });

  test('monitoring a validation value without validation data is a setup error', async () => {
    const { ir, build } = await compiled('model E {\n  input x: [1]\n  output y = x -> dense(1)\n  train { loss = mse early_stopping = { monitor: val_loss } }\n}');
    await expect(fit(tf, build(1), ir, { train: regression(4, 1, 1), validation: null }, config(ir))).rejects.toThrow(TrainSetupError);
  });

  test('loss weights are applied: weight 0 leaves an output untrained, and the total is the weighted sum', async () => {
    const source = (a: number, b: number) =>
      `model Two {\n  input x: [3]\n  h = x -> dense(8, tanh)\n  output a = h -> dense(1)\n  output b = h -> dense(1)\n` +
      `  train { loss = { a: mse, b: mse } loss_weights = { a: ${a}, b: ${b} } optimizer = adam(learning_rate=0.05) metrics = [mae] epochs = 3 batch_size = 8 }\n}`;
    const base = regression(32, 3, 4, ([p, q]) => p! + q!);
    const data: Dataset = { ...base, targets: [base.targets[0]!, { ...base.targets[0]!, data: base.targets[0]!.data.map((v) => -v) }] };
    const run = async (a: number, b: number) => {
      const { ir, build } = await compiled(source(a, b));
      const model = build(1);
      const before = model.getLayer('b').getWeights().map((w) => Array.from(w.dataSync()));
      const result = await fit(tf, model, ir, { train: data, validation: null }, config(ir));
      const after = model.getLayer('b').getWeights().map((w) => Array.from(w.dataSync()));
      return { before, after, logs: result.history.epochs.at(-1)!.logs, prediction: Array.from((model.predict(tf.ones([1, 3])) as tf.Tensor[])[0]!.dataSync()) };
    };
    const unweighted = await run(1, 0);
    expect(unweighted.after).toEqual(unweighted.before);
    // An output of weight 0 has no loss in the logs; no metric is averaged over the outputs.
    expect(Object.keys(unweighted.logs)).toEqual(['loss', 'a_loss', 'a_mae', 'b_mae']);
    expect(unweighted.logs.loss).toBeCloseTo(unweighted.logs.a_loss!, 5);
    const weighted = await run(1, 3);
    expect(weighted.after).not.toEqual(weighted.before);
    expect(weighted.logs.loss).toBeCloseTo(weighted.logs.a_loss! + 3 * weighted.logs.b_loss!, 4);
    // The shared layer learns from b too, so even output a comes out different.
    expect(weighted.prediction).not.toEqual(unweighted.prediction);
  });

  test('a NaN stops training at once, before the step reaches the weights, and says why', async () => {
    const source =
      'model DeepLinear {\n  input x: [2]\n  output y = x -> repeat(50, dense(2, linear, bias=false, init=identity(1.5)))\n' +
      '  train { loss = mse optimizer = sgd(learning_rate=0.5) epochs = 5 batch_size = 4 }\n}';
    const { ir, build } = await compiled(source);
    const base = regression(16, 2, 8, ([a]) => a!);
    const data: Dataset = { ...base, targets: [{ shape: [2], dtype: 'float32', data: new Float32Array(32).fill(0.5) }] };
    const model = build(1);
    const result = await fit(tf, model, ir, { train: data, validation: null }, config(ir));
    expect(result.status).toBe('diverged');
    const d = result.divergence!;
    expect(d).toMatchObject({ epoch: 1, batches: 4, totalWeights: 50 });
    expect(d.batch).toBeLessThanOrEqual(2);
    expect(!Number.isFinite(d.loss) || d.gradients.length > 0).toBe(true);
    expect(result.history.batches).toHaveLength(d.batch - 1);
    expect(model.getWeights().every((w) => w.dataSync().every(Number.isFinite))).toBe(true);
    const text = explainDivergence(d, ir);
    expect(text.headline).toMatch(/^training diverged at epoch 1, batch \d of 4: /);
    expect(text.notes.join('\n')).toContain('the gradients exploded');
    const help = text.help.join('\n');
    expect(help).toContain('`init=identity(1.5)` multiplies the signal by 1.5 in each of 50 layers');
    expect(help).toContain('`sgd(learning_rate=0.05)` instead of 0.5');
    expect(help).toContain('`optimizer = sgd(learning_rate=0.5, clipnorm=1)`');
  });
});

describe('backends', () => {
  const source = 'model B {\n  input x: [2]\n  output y = x -> dense(8, tanh) -> dense(1)\n  train { loss = mse optimizer = adam(learning_rate=0.05) epochs = 5 batch_size = 8 }\n}';
  for (const backend of ['wasm', 'cpu'] as const) {
    test(`${backend} trains`, async () => {
      const selected = await selectBackend(tf, backend);
      try {
        expect(selected.name).toBe(backend);
        const { ir, build } = await compiled(source);
        const result = await fit(tf, build(2), ir, { train: regression(64, 2, 5, ([a, b]) => a! * b!), validation: null }, config(ir));
        const losses = result.history.epochs.map((e) => e.logs.loss!);
        expect(losses.every(Number.isFinite)).toBe(true);
        expect(losses.at(-1)!).toBeLessThan(losses[0]!);
        expect(result.samplesPerSecond).toBeGreaterThan(0);
      } finally {
        await tf.setBackend('cpu');
      }
    });
  }
});
