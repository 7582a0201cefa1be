import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { bundleCli } from '../../scripts/bundle-cli.js';
import { fakeIO } from './support/fake-io.js';

/**
 * `bin/nnc.js` runs one bundled module (scripts/bundle-cli.ts). Unbundled, Node loaded
 * chevrotain's 51 modules and 641 of lodash-es, file by file, for every command: more than half
 * of a small `nnc check`. `check` now loads the bundle and Node's own modules only; prettier,
 * tfjs and vega are loaded by the commands that need them.
 */

const root = join(import.meta.dirname, '../..');
const dir = join(root, 'test/.tmp/bundle');

test('the bundled CLI checks an example as main() does, loading no package but itself', async () => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(root, 'test/.tmp/.gitignore'), '*\n');
  const bundle = join(dir, 'nnc.mjs');
  await bundleCli(bundle);
  const runner = join(dir, 'run.mjs');
  writeFileSync(runner, `import { main } from ${JSON.stringify(pathToFileURL(bundle).href)};\nprocess.exitCode = await main(process.argv.slice(2));\n`);
  // Every module Node resolves, reported on stderr by a resolve hook.
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { register } from 'node:module';\nregister('data:text/javascript,' + encodeURIComponent(${JSON.stringify(
      'export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write(`resolved ${r.url}\\n`); return r; }',
    )}));\n`,
  );
  const example = join(root, 'examples/wide_deep.nn');
  const run = spawnSync(process.execPath, ['--import', pathToFileURL(hooks).href, runner, 'check', example], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(run.status).toBe(0);
  const resolved = run.stderr.split('\n').filter((line) => line.startsWith('resolved ')).map((line) => line.slice('resolved '.length));
  expect(resolved.filter((url) => !url.startsWith('node:') && url !== pathToFileURL(runner).href && url !== pathToFileURL(bundle).href)).toEqual([]);

  const fake = fakeIO({ files: { [example]: readFileSync(example, 'utf8') }, env: { NO_COLOR: '1' } });
  expect(await main(['check', example], fake.io)).toBe(0);
  expect(run.stdout).toBe(fake.stdout());
});
