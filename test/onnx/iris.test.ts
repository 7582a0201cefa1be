import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, expect, test } from 'vitest';
import { nnc, ort } from './support.js';

/**
 * The whole route a user takes: `nnc train` on the iris table, `nnc export` of the run, and the
 * exported model in onnxruntime classifying all 150 flowers exactly as the trained TensorFlow.js
 * model loaded from the same run folder does.
 */

const dir = mkdtempSync(join(tmpdir(), 'nnc-onnx-iris-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The features as iris.nn binds them (`sepal_*`, then `petal_*`) and the species names. */
function irisTable(): { features: number[][]; species: string[] } {
  const [header, ...rows] = readFileSync('examples/data/iris.csv', 'utf8').trim().split('\n').map((l) => l.split(','));
  const columns = [...header!.filter((c) => c.startsWith('sepal_')), ...header!.filter((c) => c.startsWith('petal_'))].map((c) => header!.indexOf(c));
  return { features: rows.map((r) => columns.map((i) => Number(r[i]))), species: rows.map((r) => r[header!.indexOf('species')]!) };
}

const argmax = (row: ArrayLike<number>): number => Array.from(row).reduce((best, v, i, all) => (v > all[best]! ? i : best), 0);

test('a trained iris run exported to ONNX classifies the iris table like the tfjs model', async () => {
  const run = join(dir, 'iris');
  const trained = await nnc('train', 'examples/iris.nn', '--data', 'examples/data/iris.csv', '--epochs', '40', '--backend', 'cpu', '--out', run, '--quiet');
  expect(trained.code, trained.err).toBe(0);
  const exported = await nnc('export', run, '-o', join(run, 'iris.onnx'));
  expect(exported.code, exported.err).toBe(0);

  const { features, species } = irisTable();
  const json = JSON.parse(readFileSync(join(run, 'model.json'), 'utf8'));
  const bytes = readFileSync(join(run, 'weights.bin'));
  await tf.setBackend('cpu');
  const tfModel = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }),
  );
  const expected = tf.tidy(() => (tfModel.predict(tf.tensor2d(features)) as tf.Tensor).arraySync() as number[][]);

  const session = await ort.InferenceSession.create(readFileSync(join(run, 'iris.onnx')));
  const result = await session.run({ features: new ort.Tensor('float32', Float32Array.from(features.flat()), [features.length, 4]) });
  const probabilities = result.species!.data as Float32Array;
  const actual = features.map((_, i) => Array.from(probabilities.subarray(i * 3, i * 3 + 3)));
  await session.release();

  expect(actual.map(argmax)).toEqual(expected.map(argmax));
  for (let i = 0; i < actual.length; i++) for (let k = 0; k < 3; k++) expect(Math.abs(actual[i]![k]! - expected[i]![k]!)).toBeLessThan(1e-5);
  // Trained, not merely consistent: the classes.json names in the metadata label most flowers right.
  const classes = JSON.parse(readFileSync(join(run, 'classes.json'), 'utf8')).species as string[];
  const correct = actual.filter((p, i) => classes[argmax(p)] === species[i]).length;
  expect(correct / species.length).toBeGreaterThan(0.8);
  tfModel.dispose();
});
