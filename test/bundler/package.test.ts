import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { root } from './support/bundlers.js';

/**
 * The plugin as a user installs it: this project built with tsconfig.build.json beside its
 * package.json and types/, `node_modules/nnc` in a consumer pointing at it. The consumer imports
 * every entry point by name, examples/vite-app builds with its own vite.config.ts (`import nnc
 * from 'nnc/vite'`), and no path outside the `exports` map can be imported.
 */
const dir = join(root, 'test/.tmp/bundler-package');
const pkg = join(dir, 'nnc');
const consumer = join(dir, 'consumer');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; default?: string }> };

function node(code: string) {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: consumer, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function files(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('the package', () => {
  beforeAll(() => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(consumer, 'node_modules'), { recursive: true });
    writeFileSync(join(root, 'test/.tmp/.gitignore'), '*\n');
    const build = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(pkg, 'dist')], { cwd: root, encoding: 'utf8' });
    expect(build.stdout + build.stderr).toBe('');
    cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
    cpSync(join(root, 'types'), join(pkg, 'types'), { recursive: true });
    // The package's own dependencies resolve from the project's node_modules, as hoisted ones would.
    symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'), 'dir');
    symlinkSync(pkg, join(consumer, 'node_modules/nnc'), 'dir');
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('nnc/vite, nnc/rollup, nnc/esbuild, nnc/webpack and nnc/rspack export a function of the options that returns the bundler\'s plugin; nnc/unplugin the unplugin instance', () => {
    const run = node(`
      const shapes = {};
      for (const name of ['vite', 'rollup', 'esbuild', 'webpack', 'rspack']) {
        const { default: nnc } = await import('nnc/' + name);
        const plugin = nnc({ model: 'M', signalBand: [1e-3, 1e3], warningsAsErrors: true, types: false });
        shapes[name] = [typeof nnc, plugin.name ?? null, typeof plugin.setup, typeof plugin.apply];
      }
      const unplugin = await import('nnc/unplugin');
      shapes.unplugin = [unplugin.default === unplugin.nncPlugin, typeof unplugin.default.vite, typeof unplugin.default.webpack];
      process.stdout.write(JSON.stringify(shapes));
    `);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      vite: ['function', 'nnc', 'undefined', 'undefined'],
      rollup: ['function', 'nnc', 'undefined', 'undefined'],
      esbuild: ['function', 'nnc', 'function', 'undefined'],
      webpack: ['function', null, 'undefined', 'function'],
      rspack: ['function', null, 'undefined', 'function'],
      unplugin: [true, 'function', 'function'],
    });
  });

  test('examples/vite-app builds with its own vite.config.ts, which imports the plugin from nnc/vite', { timeout: 180_000 }, () => {
    const app = join(consumer, 'vite-app');
    cpSync(join(root, 'examples/vite-app'), app, { recursive: true });
    const build = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], { cwd: app, encoding: 'utf8' });
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
    const assets = readdirSync(join(app, 'dist/assets')).filter((f) => f.endsWith('.js'));
    // Minified: the model's names survive as the strings the module holds.
    const code = assets.map((f) => readFileSync(join(app, 'dist/assets', f), 'utf8')).join('\n');
    expect(/[`"']Classifier[`"']/.test(code)).toBe(true);
    expect(/[`"']hidden\/dense_1[`"']/.test(code)).toBe(true);
  });

  test('nothing outside the exports map is importable', () => {
    const inside = files(pkg).filter((f) => !f.includes('/node_modules/')).map((f) => `nnc/${relative(pkg, f)}`);
    expect(inside).toContain('nnc/dist/src/compile.js');
    expect(inside).toContain('nnc/dist/src/bundler/plugin.js');
    const candidates = [...inside.filter((f) => /\.(js|json)$/.test(f)), 'nnc/src/compile.ts', 'nnc/dist/src/bundler/plugin', 'nnc/bundler', 'nnc/types/nn-modules.d.ts'];
    const run = node(`
      const results = {};
      for (const path of ${JSON.stringify(candidates)}) {
        try { await import(path); results[path] = 'imported'; } catch (e) { results[path] = e.code; }
      }
      process.stdout.write(JSON.stringify(results));
    `);
    const results = JSON.parse(run.stdout) as Record<string, string>;
    const importable = Object.entries(results).filter(([, code]) => code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED');
    expect(importable).toEqual([]);
    // ...and every entry of the map is: the JavaScript ones import, nnc/nn-modules is types only.
    const entries = Object.keys(manifest.exports).filter((key) => manifest.exports[key]!.default !== undefined).map((key) => (key === '.' ? 'nnc' : `nnc/${key.slice(2)}`));
    const imported = node(`
      const results = {};
      for (const path of ${JSON.stringify(entries)}) {
        try { await import(path); results[path] = 'imported'; } catch (e) { results[path] = String(e); }
      }
      process.stdout.write(JSON.stringify(results));
    `);
    expect(JSON.parse(imported.stdout)).toEqual(Object.fromEntries(entries.map((e) => [e, 'imported'])));
  });

  test('a TypeScript config imports nnc/vite with its option types under NodeNext; a wrong option type fails', () => {
    writeFileSync(
      join(consumer, 'config.ts'),
      `import nnc, { type NncPluginOptions } from 'nnc/vite';
import type { Plugin } from 'vite';
const options: NncPluginOptions = { model: 'Classifier', signalBand: [1e-3, 1e3], warningsAsErrors: true, types: true, root: '.' };
export const plugin: Plugin = nnc(options);
// @ts-expect-error signalBand is a pair of numbers
export const wrong = nnc({ signalBand: 'wide' });
`,
    );
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', types: [], skipLibCheck: true, noEmit: true }, files: ['config.ts'] }));
    symlinkSync(join(root, 'node_modules/vite'), join(consumer, 'node_modules/vite'), 'dir');
    const run = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', consumer, '--pretty', 'false'], { encoding: 'utf8' });
    expect(run.stdout).toBe('');
    expect(run.status).toBe(0);
  });
});
