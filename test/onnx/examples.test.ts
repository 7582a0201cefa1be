import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { check } from '../../src/compile.js';
import type { IRModel } from '../../src/ir/ir.js';
import { weightsInTfjsOrder } from '../../src/reference/crosscheck-tfjs.js';
import { ReferenceModel } from '../../src/reference/engine.js';
import { relativeDifference } from '../../src/reference/gradcheck.js';
import { randomBatch } from '../../src/reference/random-batch.js';
import { cpu, generateAndImport } from '../codegen/support/load.js';
import { exportModel, float32Weights, opTypes, runOnnx } from './support.js';

/**
 * Every example, exported at opsets 13, 17 and 21, runs in onnxruntime-web and computes what the
 * float64 reference engine computes at inference with the same (float32) weights, within the
 * float32 tolerance used for tfjs (1e-5 normwise); at the default opset it also agrees with the
 * generated TensorFlow.js model holding those weights.
 */

const TOLERANCE = 1e-5;
const examples = join(import.meta.dirname, '../../examples');
const models: Array<[string, IRModel]> = readdirSync(examples)
  .filter((f) => f.endsWith('.nn'))
  .flatMap((f) => check(readFileSync(join(examples, f), 'utf8')).ir!.models.map((m): [string, IRModel] => [`${f} ${m.name}`, m]));

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await cpu();
});

function reference(model: IRModel): ReferenceModel {
  const engine = new ReferenceModel(model, 7);
  for (const [id, ws] of float32Weights(engine.params)) engine.params.set(id, ws);
  return engine;
}

describe.each(models)('%s', (_name, model) => {
  const engine = reference(model);
  const batch = randomBatch(model, 5, 11);
  const expected = engine.forward(batch.inputs, { training: false }).outputs;

  test.each([13, 17, 21])('opset %i runs in onnxruntime and matches the float64 engine', async (opset) => {
    const { bytes } = exportModel(model, opset, engine.params);
    const outputs = await runOnnx(bytes, model, batch);
    for (const output of model.outputs) {
      expect(relativeDifference(outputs.get(output.name)!, expected.get(output.name)!.data), output.name).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  test('matches the generated tfjs model with the same weights', async () => {
    const { bytes } = exportModel(model, 17, engine.params);
    const onnx = await runOnnx(bytes, model, batch);
    const generated = await generateAndImport(model);
    const tfModel = generated.buildModel({ seed: 0 });
    tfModel.setWeights(weightsInTfjsOrder(tf, tfModel, model, engine));
    const predictions = tf.tidy(() => {
      const xs = model.inputs.map((input) => {
        const t = batch.inputs.get(input.name)!;
        return tf.tensor(Array.from(t.data), t.shape, input.type.dtype);
      });
      const out = tfModel.predict(xs.length === 1 ? xs[0]! : xs) as tf.Tensor | tf.Tensor[];
      return (Array.isArray(out) ? out : [out]).map((p) => p.dataSync() as Float32Array);
    });
    model.outputs.forEach((output, i) => {
      expect(relativeDifference(onnx.get(output.name)!, predictions[i]!), output.name).toBeLessThanOrEqual(TOLERANCE);
    });
    tfModel.dispose();
  });

  test('every tensor has its shape, every node its name and source location', () => {
    const { proto } = exportModel(model, 17, engine.params);
    const graph = proto.graph!;
    const shaped = new Set([...graph.value_info!, ...graph.output!].map((v) => v.name));
    for (const node of graph.node!) {
      for (const out of node.output!) expect(shaped.has(out), `${out} has a value_info`).toBe(true);
      expect(node.name).toBeTruthy();
      expect(node.doc_string).toMatch(/^model\.nn:\d+:\d+/);
    }
    for (const port of [...graph.input!, ...graph.output!]) {
      expect(port.type!.tensor_type!.shape!.dim![0]).toEqual({ dim_param: 'batch' });
    }
    expect(graph.input!.map((i) => i.name)).toEqual(model.inputs.map((i) => i.name));
    expect(graph.output!.map((o) => o.name)).toEqual(model.outputs.map((o) => o.name));
    expect(opTypes(proto)).not.toContain('Dropout');
  });
});

test('the CNN is channels-first inside with one transpose, at the input', () => {
  const model = models.find(([name]) => name.startsWith('cnn.nn'))![1];
  const { proto } = exportModel(model, 17, reference(model).params);
  const transposes = proto.graph!.node!.filter((n) => n.op_type === 'Transpose');
  expect(transposes.map((n) => n.input)).toEqual([['image']]);
  expect(opTypes(proto)).toEqual([
    'Transpose', 'Conv', 'Relu', 'BatchNormalization', 'MaxPool', 'Conv', 'Relu', 'MaxPool', 'Conv', 'Relu', 'ReduceMax', 'Gemm', 'Softmax',
  ]);
  // TF's `same` for a 3×3 window at stride 1 is one pixel on every side.
  const conv = proto.graph!.node!.find((n) => n.op_type === 'Conv')!;
  expect(conv.attribute!.find((a) => a.name === 'pads')!.ints).toEqual([1, 1, 1, 1]);
});

test('a shared layer is one set of initializers, used by both applications', () => {
  const model = models.find(([name]) => name.startsWith('siamese.nn'))![1];
  const { proto } = exportModel(model, 17, reference(model).params);
  const kernels = proto.graph!.initializer!.filter((t) => t.name!.startsWith('encoder/'));
  expect(kernels.map((t) => t.name)).toEqual(['encoder/kernel', 'encoder/bias']);
  const users = proto.graph!.node!.filter((n) => n.input!.includes('encoder/kernel'));
  expect(users.map((n) => n.input![0])).toEqual(['left', 'right']);
});
