import { spawnSync } from 'node:child_process';
import { rmSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { nodeIO } from '../../src/cli/node-io.js';
import { copyApp, root } from './support/bundlers.js';

/** `tsc --strict` over a folder: its errors as `file(line): TScode`. */
function tsc(dir: string): { status: number | null; errors: string[]; output: string } {
  const run = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir, '--pretty', 'false'], { encoding: 'utf8' });
  const errors = [...run.stdout.matchAll(/^(?:\S*\/)?(\w+\.ts)\((\d+),\d+\): error (TS\d+)/gm)].map((m) => `${m[1]}(${m[2]}): ${m[3]}`);
  return { status: run.status, errors, output: run.stdout };
}

describe('declarations from nnc types, under tsc --strict', () => {
  test('a consumer using the names and ranks of the declarations passes; a misspelt input, a wrong rank or an unknown output fails', { timeout: 180_000 }, async () => {
    const dir = copyApp('types-consumer', 'consumer');
    expect(await main(['types', dir], nodeIO())).toBe(0);
    const { errors, output } = tsc(dir);
    expect(errors, output).toEqual([
      'misspelt.ts(5): TS2561', // 'deeep' does not exist in type 'Inputs'. Did you mean to write 'deep'?
      'output.ts(4): TS2339', // Property 'score' does not exist on type 'Outputs'
      'rank.ts(5): TS2322', // Tensor3D is not assignable to Tensor2D
    ]);
    expect(output).toContain("'deeep' does not exist in type 'Inputs'. Did you mean to write 'deep'?");
  });

  test('without declarations the imports do not resolve; the shipped fallback nnc/nn-modules types them loosely', { timeout: 180_000 }, () => {
    const dir = copyApp('types-fallback', 'consumer');
    rmSync(join(dir, 'misspelt.ts'));
    rmSync(join(dir, 'rank.ts'));
    rmSync(join(dir, 'output.ts'));
    writeFileSync(join(dir, 'good.ts'), "import * as tf from '@tensorflow/tfjs';\nimport { buildModel, predict } from './wide_deep.nn';\n\nexport const out = predict(buildModel(), { wide: tf.zeros([1, 5]), deep: tf.zeros([1, 6]) }).price;\n");
    expect(tsc(dir).errors).toEqual(['good.ts(2): TS2307']);
    // The package as a project installs it: node_modules/nnc.
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules/nnc'));
    writeFileSync(join(dir, 'nn.d.ts'), '/// <reference types="nnc/nn-modules" />\n');
    const fallback = tsc(dir);
    expect(fallback.errors, fallback.output).toEqual([]);
    expect(fallback.status).toBe(0);
  });
});
