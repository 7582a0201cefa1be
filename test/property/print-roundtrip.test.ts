import { test } from 'vitest';
import { validModel } from './arbitraries/models.js';
import { expectRoundTrip } from './support/round-trip.js';
import { assertProperty, checkedModel, propertyRuns, timeoutFor } from './support/run-property.js';

/**
 * Property (4): printing is a faithful round trip. parse(printProgram(parse(source))) has the
 * AST of the source (spans aside), checks to the same IR, and prints to the same text.
 */

const runs = propertyRuns(500);

test(
  `printed random models parse and check to the same AST and IR (${runs} random models)`,
  async () => {
    await assertProperty(
      validModel().map((model) => ({ model })),
      ({ model }) => {
        checkedModel(model.source);
        expectRoundTrip(model.source);
      },
      { name: 'print-roundtrip', runs },
    );
  },
  timeoutFor(runs, 20),
);
