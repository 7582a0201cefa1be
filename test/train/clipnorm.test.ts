import { beforeAll, describe, expect, test } from 'vitest';
import { loadGeneratedModule } from '../../src/cli/load-generated.js';
import { compile } from '../../src/compile.js';
import { fit } from '../../src/train/loop/fit.js';
import { cpu, tf } from './support.js';

beforeAll(cpu);

/** One linear layer, plain SGD with a learning rate of 1: a step moves each weight tensor by its (clipped) gradient. */
const source = (clipnorm: number) =>
  `model C {\n  input x: [3]\n  output y = x -> dense(2)\n  train { loss = mse optimizer = sgd(learning_rate=1, clipnorm=${clipnorm}) epochs = 1 batch_size = 4 seed = 1 }\n}\n`;

async function setup(clipnorm: number) {
  const result = await compile(source(clipnorm), { format: 'js' });
  const ir = result.ir!.models[0]!;
  const generated = await loadGeneratedModule(result.code!);
  return { ir, generated };
}

// Targets far from the initial predictions: the raw gradients are large.
const x = [[1, 2, 3], [2, 0, 1], [0, 1, 0], [3, 3, 3]];
const y = [[50, -40], [30, 20], [-25, 10], [60, 60]];

/** The L2 norm of how much each weight tensor moved. */
function steps(before: tf.Tensor[], after: tf.Tensor[]): number[] {
  return before.map((b, i) => tf.norm(tf.sub(after[i]!, b)).dataSync()[0]!);
}

describe('clipnorm', () => {
  test('the generated module clips each gradient tensor to the norm (Keras semantics)', async () => {
    for (const clipnorm of [0, 0.5]) {
      const { generated } = await setup(clipnorm);
      const model = generated.buildModel({ seed: 1 });
      const before = model.getWeights().map((w) => w.clone());
      await generated.train(model, { inputs: { x: tf.tensor2d(x) }, outputs: { y: tf.tensor2d(y) } }, { epochs: 1, batchSize: 4, verbose: 0 });
      const moved = steps(before, model.getWeights());
      if (clipnorm === 0) expect(Math.min(...moved)).toBeGreaterThan(5);
      else moved.forEach((m) => expect(m).toBeCloseTo(0.5, 4));
    }
  });

  test('nnc train clips through the same optimizer', async () => {
    const { ir, generated } = await setup(0.5);
    const model = generated.compileModel(generated.buildModel({ seed: 1 }));
    const before = model.getWeights().map((w) => w.clone());
    const data = {
      size: 4,
      inputs: [{ shape: [3], dtype: 'float32' as const, data: Float32Array.from(x.flat()) }],
      targets: [{ shape: [2], dtype: 'float32' as const, data: Float32Array.from(y.flat()) }],
    };
    await fit(tf, model, ir, { train: data, validation: null }, { epochs: 1, batchSize: 4, shuffle: false, seed: 1, earlyStopping: null });
    steps(before, model.getWeights()).forEach((m) => expect(m).toBeCloseTo(0.5, 4));
  });
});
