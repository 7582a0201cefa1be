import fc from 'fast-check';
import { beforeAll, test } from 'vitest';
import { crossCheckTfjs } from '../../src/reference/crosscheck-tfjs.js';
import { ReferenceModel } from '../../src/reference/engine.js';
import { randomBatch } from '../../src/reference/random-batch.js';
import { validModel } from './arbitraries/models.js';
import { cpuBackend, generated, tf } from './support/generated.js';
import { BATCH } from './support/gradients.js';
import { assertProperty, checkedModel, propertyRuns, timeoutFor } from './support/run-property.js';

/**
 * Property (2): the generated TensorFlow.js code, run on the CPU backend in float32 with the
 * reference engine's weights, computes the same outputs and the same gradient of every
 * trainable tensor as the float64 reference, to 1e-4 normwise.
 */

const BOUND = 1e-4;
const runs = propertyRuns(250);

beforeAll(async () => {
  await cpuBackend();
});

test(
  `generated tfjs code matches the float64 reference to ${BOUND} (${runs} random models)`,
  async () => {
    await assertProperty(
      fc.record({ model: validModel({ avoidKnownTfjsIssues: true }), seed: fc.nat({ max: 9999 }) }),
      async ({ model: generatedModel, seed }) => {
        checkedModel(generatedModel.source);
        const { model, module } = await generated(generatedModel.source);
        const reference = new ReferenceModel(model, seed);
        const batch = randomBatch(model, BATCH, seed);
        const report = crossCheckTfjs(tf, module, model, reference, batch);
        const trainable = model.layers.reduce((n, l) => n + l.weights.filter((w) => w.trainable).length, 0);
        if (report.rows.length !== model.outputs.length + trainable) {
          throw new Error(`the cross-check compared ${report.rows.length} tensors, expected ${model.outputs.length} outputs and ${trainable} gradients`);
        }
        const bad = report.rows.filter((r) => !(r.difference <= BOUND));
        if (bad.length > 0) {
          const lines = bad.map((r) => `${r.name} (line ${r.line}): ${r.difference.toExponential(2)}`);
          throw new Error(`tfjs and the reference disagree (loss ${report.loss.tfjs} vs ${report.loss.reference}):\n${lines.join('\n')}`);
        }
      },
      { name: 'tfjs-crosscheck', runs, describe: ({ seed }) => `reproduce: nnc gradcheck model.nn --against tfjs --seed ${seed} --batch ${BATCH}` },
    );
  },
  timeoutFor(runs, 200),
);
