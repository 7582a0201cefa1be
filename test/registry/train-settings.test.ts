import { expect, test } from 'vitest';
import { SETTINGS, STOPPING_KEYS } from '../../src/check/check-train.js';
import { earlyStoppingKeys, trainSettingDefs } from '../../src/registry/train-settings.js';

/** The documented training settings (completion, hover) are the ones the checker accepts, in its order. */
test('train settings and early_stopping keys are those of the checker', () => {
  expect(trainSettingDefs.map((s) => s.name)).toEqual([...SETTINGS]);
  expect(earlyStoppingKeys.map((k) => k.name)).toEqual([...STOPPING_KEYS]);
});
