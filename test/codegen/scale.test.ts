import { beforeAll, expect, test } from 'vitest';
import { check, compile } from '../../src/compile.js';
import { loadGeneratedModule } from '../../src/cli/load-generated.js';
import { modelLayers } from '../../src/codegen/tfjs/model-layers.js';
import { cpu, tf } from './support/load.js';

/**
 * tfjs's functional API recurses once per layer in sequence and overflowed Node's stack at about
 * 5,000 layers: the generated `buildModel()` of a 10,000-layer chain threw RangeError. Large
 * models are now built in parts (src/ir/partition.ts); this runs one of 20,000 layers through the
 * path a user takes: compile, import, build, predict, a training step.
 */

beforeAll(cpu);

test('a chain of 20,000 layers compiles, builds, predicts and trains a step', async () => {
  // 2,000 steps of 10 layers: a dense layer and nine without weights, so that tfjs's per-weight
  // costs (its optimizer's and its tape's) stay small beside the depth being tested.
  const source = `
block Step(units) {
  input x
  output y = x -> dense(units, tanh) -> layer_norm -> repeat(7, tanh) -> dropout(0.01)
}
model Chain {
  input x: [4]
  output y = x -> repeat(2000, Step(4)) -> dense(1)
  train { loss = mse  optimizer = sgd(learning_rate=0.01)  batch_size = 8  seed = 1 }
}
`;
  const result = await compile(source, { format: 'js', filename: 'chain.nn' });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const ir = result.ir!.models[0]!;
  expect(ir.nodes.length - 1).toBe(20_001);
  const generated = await loadGeneratedModule(result.code!);
  const model = generated.buildModel();
  expect(modelLayers(model)).toHaveLength(20_002);
  expect(model.layers.length).toBeLessThan(100);
  expect(model.countParams()).toBe(ir.layers.reduce((n, l) => n + l.paramCount, 0));

  const x = tf.randomNormal([8, 4], 0, 1, 'float32', 2);
  const before = (model.predict(x) as tf.Tensor).dataSync();
  expect(before).toHaveLength(8);
  expect(before.every(Number.isFinite)).toBe(true);
  const history = await generated.train(model, { inputs: { x }, outputs: { y: tf.ones([8, 1]) } }, { epochs: 1, verbose: 0 });
  expect(Number.isFinite(history.history.loss![0] as number)).toBe(true);
  const after = (model.predict(x) as tf.Tensor).dataSync();
  expect(Array.from(after)).not.toEqual(Array.from(before));
});

test('2,000 applications of one shared layer in a row build; one more is E3013, reported by check', async () => {
  const source = (n: number) => `model Tied {\n  input x: [4]\n  layer step = dense(4, tanh)\n  output y = x -> repeat(${n}, step)\n}\n`;
  expect(check(source(2001)).diagnostics.map((d) => d.code)).toEqual(['E3013']);
  const result = await compile(source(2000), { format: 'js' });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const model = (await loadGeneratedModule(result.code!)).buildModel({ seed: 1 });
  expect((model.predict(tf.ones([2, 4])) as tf.Tensor).shape).toEqual([2, 4]);
});
