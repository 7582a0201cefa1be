import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { generateTfjs } from '../../src/codegen/tfjs/generate.js';
import { deepChain, goldenCases, twoHeads } from './support/cases.js';
import { typecheck } from './support/typecheck.js';

/** The TypeScript output passes `tsc --strict --noEmit` (with skipLibCheck, as users compile it). */

test('generated TypeScript type-checks under --strict', async () => {
  const models = { ...Object.fromEntries(Object.entries(goldenCases).map(([name, c]) => [name, c.model()])), 'two-heads': twoHeads(0.5), chain: deepChain(4) };
  const modules: Record<string, string> = {};
  for (const [name, model] of Object.entries(models)) modules[name] = await generateTfjs(model, { format: 'ts', filename: `${name}.nn` });
  const { diagnostics, files } = typecheck('tsc', modules);
  expect(diagnostics).toEqual([]);
  // A deliberate type error is reported, so the empty list above means the check ran.
  const broken = `${readFileSync(files[0]!, 'utf8')}\nexport const wrong: number = modelName;\n`;
  expect(typecheck('tsc-broken', { broken }).diagnostics).toEqual([expect.stringContaining("Type 'string' is not assignable to type 'number'")]);
});
