import { expect, test } from 'vitest';
import { emitModule } from '../../src/codegen/tfjs/emit-module.js';
import { generateTfjs } from '../../src/codegen/tfjs/generate.js';
import { deepChain } from './support/cases.js';

/**
 * Generous bounds that only a change in complexity would break. Emitting 10,000 layers takes
 * about 0.15 s; prettier dominates the rest (about 0.25 ms per layer, see the report).
 */

test('emitting a 10,000-layer model is fast and linear', () => {
  const ir = deepChain(10_000);
  const start = performance.now();
  const code = emitModule(ir, { format: 'ts', filename: 'chain.nn' });
  expect(performance.now() - start).toBeLessThan(1500);
  expect(code.match(/tf\.layers\.dense\(/g)).toHaveLength(10_000);
});

test('generating and formatting a 2,000-layer model takes seconds, not minutes', async () => {
  const ir = deepChain(2_000);
  const start = performance.now();
  const code = await generateTfjs(ir, { format: 'ts', filename: 'chain.nn' });
  expect(performance.now() - start).toBeLessThan(8000);
  expect(code).toContain("name: 'y/dense_1999'");
});
