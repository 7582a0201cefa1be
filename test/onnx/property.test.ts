import fc from 'fast-check';
import { test } from 'vitest';
import { ReferenceModel } from '../../src/reference/engine.js';
import { relativeDifference } from '../../src/reference/gradcheck.js';
import { randomBatch } from '../../src/reference/random-batch.js';
import { validModel } from '../property/arbitraries/models.js';
import { assertProperty, checkedModel, propertyRuns, timeoutFor } from '../property/support/run-property.js';
import { exportModel, float32Weights, runOnnx } from './support.js';

/**
 * Random valid models (the property tests' arbitrary: the whole op catalogue, blocks, repeat,
 * shared layers, several inputs and outputs, unknown dimensions), exported at a random supported
 * opset, compute in onnxruntime what the float64 engine computes at inference, to 1e-5 normwise.
 */

const BOUND = 1e-5;
const runs = propertyRuns(40);

test(
  `exported ONNX models match the float64 reference to ${BOUND} (${runs} random models)`,
  async () => {
    await assertProperty(
      fc.record({ model: validModel(), seed: fc.nat({ max: 9999 }), opset: fc.integer({ min: 13, max: 21 }) }),
      async ({ model: generated, seed, opset }) => {
        const model = checkedModel(generated.source);
        const reference = new ReferenceModel(model, seed);
        for (const [id, ws] of float32Weights(reference.params)) reference.params.set(id, ws);
        const batch = randomBatch(model, 3, seed);
        const expected = reference.forward(batch.inputs, { training: false }).outputs;
        const outputs = await runOnnx(exportModel(model, opset, reference.params).bytes, model, batch);
        const bad = model.outputs
          .map((o) => ({ name: o.name, difference: relativeDifference(outputs.get(o.name)!, expected.get(o.name)!.data) }))
          .filter((r) => !(r.difference <= BOUND));
        if (bad.length > 0) throw new Error(`onnxruntime and the reference disagree at opset ${opset}:\n${bad.map((r) => `${r.name}: ${r.difference}`).join('\n')}`);
      },
      { name: 'onnx-export', runs, describe: ({ seed, opset }) => `reproduce: nnc gradcheck model.nn --against onnx --opset ${opset} --seed ${seed} --batch 3` },
    );
  },
  timeoutFor(runs, 300),
);
