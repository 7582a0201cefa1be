import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import * as estree from 'prettier/plugins/estree';
import * as typescript from 'prettier/plugins/typescript';
import { format } from 'prettier/standalone';
import { emitModule } from '../../src/codegen/tfjs/emit-module.js';
import { formatModule, formatStyle } from '../../src/codegen/tfjs/format.js';
import { generateTfjs } from '../../src/codegen/tfjs/generate.js';
import { expectFixture } from '../support/fixtures.js';
import { deepChain, goldenCases, sharedEncoder } from './support/cases.js';

const fixtures = join(import.meta.dirname, 'fixtures');

describe('generated code matches the approved fixtures', () => {
  for (const [name, { model, filename, partition }] of Object.entries(goldenCases)) {
    test(name, async () => {
      const folder = join(fixtures, name);
      mkdirSync(folder, { recursive: true });
      expectFixture(folder, 'expected.ts', await generateTfjs(model(), { format: 'ts', filename, partition }));
      expectFixture(folder, 'expected.js', await generateTfjs(model(), { format: 'js', filename, partition }));
    });
  }
});

test('generated modules are as prettier leaves them, tables included', async () => {
  for (const { model, filename, partition } of Object.values(goldenCases)) {
    for (const language of ['ts', 'js'] as const) {
      const code = await generateTfjs(model(), { format: language, filename, partition });
      expect(await formatModule(code, language)).toBe(code);
    }
  }
});

test('babel-ts, the faster parser used for TypeScript, formats exactly as the typescript parser', async () => {
  for (const { model, filename } of Object.values(goldenCases)) {
    const { code } = emitModule(model(), { format: 'ts', filename });
    expect(await formatModule(code, 'ts')).toBe(await format(code, { ...formatStyle, parser: 'typescript', plugins: [estree, typescript] }));
  }
});

describe('determinism', () => {
  test('the same IR gives the same bytes, also when generated concurrently', async () => {
    const ir = sharedEncoder();
    const options = { format: 'ts', filename: 'shared.nn' } as const;
    const first = await generateTfjs(ir, options);
    const [second, third] = await Promise.all([generateTfjs(ir, options), generateTfjs(sharedEncoder(), options)]);
    expect(second).toBe(first);
    expect(third).toBe(first);
  });

  test('generating does not modify the IR', async () => {
    const ir = deepChain(3);
    const before = JSON.stringify(ir);
    await generateTfjs(ir, { format: 'js', filename: 'chain.nn' });
    expect(JSON.stringify(ir)).toBe(before);
  });
});
