import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bundleCli } from '../../scripts/bundle-cli.js';
import { check } from '../../src/compile.js';
import { syntheticCsv } from '../support/training-corpus.js';

/**
 * `nnc train` exactly as a user runs it: `bin/nnc.js` runs the bundled CLI (scripts/bundle-cli.ts),
 * in a process of its own, with no `--backend` flag. The bundle carries nnc's kernels while tfjs
 * stays outside it, so this is where registering them on the tfjs the CLI loads could go wrong.
 * Before nnc registered its kernels, both examples stopped here on wasm at their first step.
 */

const root = join(import.meta.dirname, '../..');
const dir = join(root, 'test/.tmp/bundle-train');
let runner: string;

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(root, 'test/.tmp/.gitignore'), '*\n');
  // A fresh bundle of this source tree: dist/ may be older than it.
  const bundle = join(dir, 'nnc.mjs');
  await bundleCli(bundle);
  runner = join(dir, 'run.mjs');
  writeFileSync(runner, `import { main } from ${JSON.stringify(pathToFileURL(bundle).href)};\nprocess.exitCode = await main(process.argv.slice(2));\n`);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['examples/cnn.nn', 'Conv2DBackpropFilter'],
  ['examples/multi_input.nn', 'UnsortedSegmentSum'],
])('%s', (example, gradientKernel) => {
  test('trains through the bundled CLI on the default backend, which is wasm here', () => {
    const source = readFileSync(join(root, example), 'utf8');
    const model = check(source).ir!.models[0]!;
    const name = model.name;
    writeFileSync(join(dir, `${name}.nn`), source);
    writeFileSync(join(dir, `${name}.csv`), syntheticCsv(model, 16, 3));
    const out = join(dir, `run-${name}`);
    const run = spawnSync(process.execPath, [runner, 'train', `${name}.nn`, '--data', `${name}.csv`, '--epochs', '1', '--batch-size', '8', '--seed', '1', '--plain', '--out', out], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(run.stderr).not.toMatch(/internal|not registered|^error/m);
    expect(run.status).toBe(0);
    const backend = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')).backend as string;
    // tfjs-node is first when it loads; on this machine it cannot be installed, and wasm is next.
    expect(['tensorflow', 'wasm']).toContain(backend);
    if (backend === 'wasm') expect(run.stdout).toMatch(new RegExp(`note: --backend auto chose wasm: .*registered by nnc: .*${gradientKernel}`));
  }, 120_000);
});
