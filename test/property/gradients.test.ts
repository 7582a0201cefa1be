import fc from 'fast-check';
import { test } from 'vitest';
import { validModel } from './arbitraries/models.js';
import { BATCH, GRADIENT_BOUND, gradientFailures } from './support/gradients.js';
import { assertProperty, checkedModel, propertyRuns, timeoutFor } from './support/run-property.js';

/**
 * Property (1): on random valid models, the reference engine's hand-written float64 backward
 * passes agree with numeric differences of the loss, tensor by tensor, to 1e-7.
 */

const runs = propertyRuns(400);

test(
  `float64 analytic gradients match numeric differences to ${GRADIENT_BOUND} (${runs} random models)`,
  async () => {
    await assertProperty(
      fc.record({ model: validModel(), seed: fc.nat({ max: 9999 }) }),
      ({ model, seed }) => {
        const failures = gradientFailures(checkedModel(model.source), seed);
        if (failures.length > 0) throw new Error(`gradients disagree:\n${failures.join('\n')}`);
      },
      {
        name: 'gradients',
        runs,
        describe: ({ seed }) => `reproduce: nnc gradcheck model.nn --mode full --seed ${seed} --batch ${BATCH} --epsilon 1e-5`,
      },
    );
  },
  timeoutFor(runs, 100),
);
