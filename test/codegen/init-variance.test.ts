import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { compile } from '../../src/compile.js';
import { loadGeneratedModule } from '../../src/cli/load-generated.js';

/**
 * The generated model's initial weights have exactly the variance of their formula. tfjs's own
 * heNormal draws from a normal truncated at 2σ without rescaling (variance ≈ 0.77 × 2/n_in), which
 * through 50 relu layers shrinks E[a²] by orders of magnitude; the generated code must not.
 */

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

async function build(source: string): Promise<tf.LayersModel> {
  const result = await compile(source, { format: 'js' });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return (await loadGeneratedModule(result.code!)).buildModel({ seed: 11 });
}

function variance(t: tf.Tensor): number {
  const data = t.dataSync();
  let sum = 0;
  for (const v of data) sum += v * v;
  return sum / data.length;
}

describe('initial weights of the generated model', () => {
  const cases: Array<[string, number]> = [
    ['he', 2 / 400],
    ['he_uniform', 2 / 400],
    ['lecun', 1 / 400],
    ['xavier', 2 / 700],
    ['glorot_uniform', 2 / 700],
  ];
  for (const [init, expected] of cases) {
    test(`${init}: sample variance of a 400×300 kernel within 3% of the formula`, async () => {
      const model = await build(`model V { input x: [400]  output y = x -> dense(300, relu, init=${init}) }`);
      const ratio = variance(model.getLayer('y').getWeights()[0]!) / expected;
      expect(ratio).toBeGreaterThan(0.97);
      expect(ratio).toBeLessThan(1.03);
    });
  }

  test('through 50 relu layers E[a²] stays near the input\'s, where tfjs\'s heNormal loses orders of magnitude', async () => {
    // At finite width ln E[a²] wanders (variance ≈ 5·depth/width ≈ 1 here); its expectation stays 0.
    const width = 256;
    const model = await build(`model Deep { input x: [${width}]  output y = x -> repeat(50, dense(${width}, relu, bias=false)) }`);
    const x = tf.randomNormal([128, width], 0, 1, 'float32', 3);
    const ours = variance(model.predict(x) as tf.Tensor);
    expect(ours).toBeGreaterThan(0.05);
    expect(ours).toBeLessThan(20);

    const input = tf.input({ shape: [width] });
    let h: tf.SymbolicTensor = input;
    for (let i = 0; i < 50; i++) {
      h = tf.layers.dense({ units: width, activation: 'relu', useBias: false, kernelInitializer: tf.initializers.heNormal({ seed: i }) }).apply(h) as tf.SymbolicTensor;
    }
    const truncated = variance(tf.model({ inputs: input, outputs: h }).predict(x) as tf.Tensor);
    // 0.77^50 ≈ 2e-6 in expectation.
    expect(truncated).toBeLessThan(1e-3);
    expect(ours / truncated).toBeGreaterThan(1e3);
  });
});
