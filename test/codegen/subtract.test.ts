import { beforeAll, expect, test } from 'vitest';
import { subtractOnly } from './support/cases.js';
import { cpu, generateAndImport, tf } from './support/load.js';

/** tfjs has no Subtract layer: the generated module defines and registers Keras's. */

beforeAll(cpu);

const a = () => tf.tensor3d([[[1, 2, 3], [4, 5, 6]]]);
const b = () => tf.tensor3d([[[0.5, -1, 3], [10, 0, 2]]]);
const expected = [0.5, 3, 0, -6, 5, 4];

test('subtract computes a - b; a dimension unknown in one input takes the size known in the other, as nnc infers it', async () => {
  const model = (await generateAndImport(subtractOnly())).buildModel();
  expect(model.outputs[0]!.shape).toEqual([null, 2, 3]);
  const diff = model.predict([a(), b()]) as tf.Tensor;
  expect(Array.from(diff.dataSync())).toEqual(expected);
});

test('a model with subtract saves under Keras\'s class name and loads back', async () => {
  const model = (await generateAndImport(subtractOnly())).buildModel();
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const layers = (saved!.modelTopology as { config: { layers: Array<{ class_name: string; name: string }> } }).config.layers;
  expect(layers.map((l) => [l.class_name, l.name])).toContainEqual(['Subtract', 'diff']);

  const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
  expect(loaded.getLayer('diff').getClassName()).toBe('Subtract');
  expect(Array.from((loaded.predict([a(), b()]) as tf.Tensor).dataSync())).toEqual(expected);
});

test('toJSON and modelFromJSON round-trip the model', async () => {
  const model = (await generateAndImport(subtractOnly())).buildModel();
  const topology = JSON.parse(model.toJSON(undefined, true) as string) as tf.io.ModelJSON['modelTopology'];
  const restored = await tf.models.modelFromJSON({ modelTopology: topology! });
  expect(restored.outputs[0]!.shape).toEqual([null, 2, 3]);
  expect(Array.from((restored.predict([a(), b()]) as tf.Tensor).dataSync())).toEqual(expected);
});
