import { expect, test } from 'vitest';
import { emitModule } from '../../src/codegen/tfjs/emit-module.js';
import { generateTfjs } from '../../src/codegen/tfjs/generate.js';
import { deepChain } from './support/cases.js';

/**
 * Deep models must generate without recursion limits. Speed is measured by `npm run bench`,
 * never asserted here: a timed test fails on a loaded machine, not on a slow change.
 */

test('a 10,000-layer model emits one row per layer', () => {
  const { tables } = emitModule(deepChain(10_000), { format: 'ts', filename: 'chain.nn' });
  expect(tables[0]!.filter((row) => row.includes(', dense({'))).toHaveLength(10_000);
});

test('a 2,000-layer model generates and formats', async () => {
  const code = await generateTfjs(deepChain(2_000), { format: 'ts', filename: 'chain.nn' });
  expect(code).toContain("name: 'y/dense_1999'");
});
