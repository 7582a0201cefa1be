import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';

const root = join(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

// The compiler core runs in browsers (the playground) and in bundler plugins: Node-only code
// lives in src/cli and in src/bundler (the plugin's adapter: it reads .nn files and writes their
// declarations) alone. Several compiles may also run at once, so no module-level `let`.
const nodeOnly = [join('src', 'cli'), join('src', 'bundler')];
const core = files(join(root, 'src')).filter((f) => !nodeOnly.some((dir) => relative(root, f).startsWith(dir)));

/** The code of a file without its block comments (generated code quotes schemas that speak of "the training process."). */
const code = (f: string): string => readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');

test('the core imports nothing Node-only', () => {
  const offenders = core.filter((f) => /from 'node:|\bprocess\.|(?<![A-Za-z])Buffer\.|\brequire\(/.test(code(f)));
  expect(offenders.map((f) => relative(root, f))).toEqual([]);
});

test('the core has no module-level mutable bindings', () => {
  const offenders = core.filter((f) => /^(export )?(let|var) /m.test(readFileSync(f, 'utf8')));
  expect(offenders.map((f) => relative(root, f))).toEqual([]);
});

test('every op file in src/ops exports its op(s) as default and is listed in the generated index', async () => {
  const { opModules } = await import('../src/ops/index.js');
  const { opModuleFiles } = await import('../scripts/generate.js');
  expect(opModules).toHaveLength(opModuleFiles().length);
  for (const m of opModules) expect(m.default).toBeDefined();
});
