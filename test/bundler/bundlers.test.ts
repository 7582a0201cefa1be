import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildWith, bundlers, copyApp, runBundle } from './support/bundlers.js';

/**
 * The same tiny app (test/bundler/fixtures/app: `main.js` importing a file of two models, once as
 * namespaces and once with `?model=Wide`) built by each bundler with the nnc plugin, the bundle run
 * in Node: the models it builds have the parameter counts `nnc check` prints (23 and 163).
 */
const expected = {
  Tiny: { name: 'Tiny', params: 23, y: [3, 2] },
  Wide: { name: 'Wide', params: 163, inputs: ['a', 'b'], sameModule: true },
};

describe.each(bundlers)('%s', (bundler) => {
  test('bundles an app importing a two-model .nn file; the bundle builds both models', { timeout: 180_000 }, async () => {
    const dir = copyApp(`ok-${bundler}`);
    const built = await buildWith(bundler, dir);
    expect(built.output).not.toMatch(/error/i);
    expect(built.ok).toBe(true);
    const run = runBundle(built.bundle);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.report).toEqual(expected);
    expect(run.status).toBe(0);
    // The declarations of the .nn file, written at build start.
    expect(readFileSync(join(dir, 'models.d.nn.ts'), 'utf8')).toContain('export declare namespace Wide {');
  });

  test('a .nn file with an error fails the build with its code, file, line and code frame', { timeout: 180_000 }, async () => {
    const dir = copyApp(`broken-${bundler}`);
    const file = join(dir, 'models.nn');
    writeFileSync(file, readFileSync(file, 'utf8').replace('output y = x ->', 'output y = xx ->'));
    const built = await buildWith(bundler, dir);
    expect(built.ok).toBe(false);
    expect(built.output).toContain('error[E2001]: cannot find `xx` in this scope');
    expect(built.output).toContain('models.nn:4:14');
    expect(built.output).toContain('4 |   output y = xx -> dense(3, relu) -> dense(2)');
  });
});
