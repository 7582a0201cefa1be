import { beforeAll, describe, expect, test } from 'vitest';
import { compile } from '../../src/compile.js';
import { cpu, importCode, tf, weightValues, type GeneratedModule } from './support/load.js';

/**
 * The generated `train()` applies the block's `early_stopping` as `nnc train` does: it stops after
 * `patience` epochs without an improvement beyond `min_delta`, and with `restore_best` puts the
 * best epoch's weights back at the end. A `min_delta` no epoch can beat makes the first epoch the
 * best one, whatever the data: the run must stop after 1 + patience epochs and end with the
 * weights of epoch 1.
 */

beforeAll(cpu);

const source = (stopping: string) => `model M {
  input x: [3]
  output y = x -> dense(4, tanh) -> dense(1)
  train {
    loss = mse
    optimizer = sgd(learning_rate=0.1)
    epochs = 20
    batch_size = 4
    validation_split = 0.25
    ${stopping}
  }
}
`;

async function generated(stopping: string): Promise<GeneratedModule> {
  const result = await compile(source(stopping), { filename: 'm.nn', format: 'js' });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return importCode(result.code!);
}

const data = () => ({
  inputs: { x: tf.randomNormal([16, 3], 0, 1, 'float32', 5) },
  outputs: { y: tf.randomNormal([16, 1], 0, 1, 'float32', 6) },
});

/** Runs train() with a callback (after nnc's) that records the weights at the end of every epoch. */
async function run(module: GeneratedModule, options: Record<string, unknown> = {}) {
  const model = module.buildModel({ seed: 1 });
  const atEpochEnd: number[][][] = [];
  const history = await module.train(model, data(), {
    verbose: 0,
    ...options,
    callbacks: { onEpochEnd: async () => void atEpochEnd.push(weightValues(model)) },
  });
  return { history, atEpochEnd, final: weightValues(model) };
}

describe('train() with early_stopping', () => {
  test('stops after patience epochs without improvement and restores the best epoch', async () => {
    const module = await generated('early_stopping = { monitor: val_loss, patience: 2, min_delta: 1000000, restore_best: true }');
    const { history, atEpochEnd, final } = await run(module);
    expect(history.epoch).toEqual([0, 1, 2]);
    expect(final).toEqual(atEpochEnd[0]);
    expect(final).not.toEqual(atEpochEnd[2]);
  });

  test('without restore_best it keeps the last weights', async () => {
    const module = await generated('early_stopping = { monitor: loss, patience: 3, min_delta: 1000000, restore_best: false }');
    const { history, atEpochEnd, final } = await run(module);
    expect(history.epoch).toEqual([0, 1, 2, 3]);
    expect(final).toEqual(atEpochEnd[3]);
  });

  test('options.earlyStopping: false runs every epoch', async () => {
    const module = await generated('early_stopping = { monitor: val_loss, patience: 2, min_delta: 1000000 }');
    const { history } = await run(module, { earlyStopping: false, epochs: 6 });
    expect(history.epoch).toHaveLength(6);
  });

  test('a monitored log that is never written is an error that says why, not a silent full run', async () => {
    const result = await compile(source('early_stopping = { monitor: val_loss, patience: 2, min_delta: 1000000 }').replace('validation_split = 0.25', 'validation_split = 0'), { filename: 'm.nn', format: 'js' });
    const module = await importCode(result.code!);
    await expect(module.train(module.buildModel({ seed: 1 }), data(), { verbose: 0 })).rejects.toThrow(
      'train: early stopping monitors val_loss, which epoch 1 did not log (there is no validation data: pass options.validationData, or set validation_split in the train block)',
    );
    // With validation data given, the same module stops early.
    const { history } = await run(module, { validationData: data() });
    expect(history.epoch).toEqual([0, 1, 2]);
  });
});
