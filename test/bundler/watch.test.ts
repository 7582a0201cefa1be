import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { nncPlugin } from '../../src/bundler/plugin.js';
import { copyApp, runBundle } from './support/bundlers.js';

/**
 * Watch mode: the plugin declares each .nn file (including `?model=` imports of it) as a
 * dependency of its modules, so an edit rebuilds. Tiny's first layer goes from 3 to 5 units:
 * 23 parameters become 37.
 */
const widen = (dir: string) => {
  const file = join(dir, 'models.nn');
  writeFileSync(file, readFileSync(file, 'utf8').replace('output y = x -> dense(3, relu)', 'output y = x -> dense(5, relu)'));
};
const tinyParams = (bundle: string) => (runBundle(bundle).report as { Tiny: { params: number } } | undefined)?.Tiny.params;

describe('watch mode', () => {
  test('Rollup rebuilds when the .nn file changes', { timeout: 120_000 }, async () => {
    const dir = copyApp('watch-rollup');
    const bundle = join(dir, 'dist/main.mjs');
    const { watch } = await import('rollup');
    const watcher = watch({ input: join(dir, 'main.js'), external: [/^@tensorflow\//], plugins: [nncPlugin.rollup({ root: dir })], output: { file: bundle, format: 'es' }, watch: { buildDelay: 50 } });
    const built = () =>
      new Promise<string>((done) => {
        const on = (event: import('rollup').RollupWatcherEvent) => {
          if (event.code === 'BUNDLE_END') void event.result.close();
          if (event.code === 'END' || event.code === 'ERROR') {
            watcher.off('event', on);
            done(event.code === 'ERROR' ? event.error.message : 'built');
          }
        };
        watcher.on('event', on);
      });
    try {
      expect(await built()).toBe('built');
      expect(tinyParams(bundle)).toBe(23);
      const next = built();
      widen(dir);
      expect(await next).toBe('built');
      expect(tinyParams(bundle)).toBe(37);
    } finally {
      await watcher.close();
    }
  });

  test('webpack rebuilds when the .nn file changes', { timeout: 120_000 }, async () => {
    const dir = copyApp('watch-webpack');
    const { default: webpack } = await import('webpack');
    const compiler = webpack({
      mode: 'development',
      target: 'node',
      context: dir,
      entry: join(dir, 'main.js'),
      output: { path: join(dir, 'dist'), filename: 'main.cjs' },
      externals: [({ request }, callback) => (request && /^@tensorflow\//.test(request) ? callback(undefined, `commonjs ${request}`) : callback())],
      infrastructureLogging: { level: 'none' },
      plugins: [nncPlugin.webpack({ root: dir })],
    });
    const results: string[] = [];
    const waiting: Array<() => void> = [];
    const watching = compiler.watch({ aggregateTimeout: 50 }, (error, stats) => {
      results.push(error ? String(error) : stats!.hasErrors() ? stats!.toString('errors-only') : 'built');
      waiting.shift()?.();
    });
    const built = (count: number) => new Promise<void>((done) => (results.length >= count ? done() : waiting.push(done)));
    try {
      await built(1);
      expect(results).toEqual(['built']);
      expect(tinyParams(join(dir, 'dist/main.cjs'))).toBe(23);
      widen(dir);
      await built(2);
      expect(results).toEqual(['built', 'built']);
      expect(tinyParams(join(dir, 'dist/main.cjs'))).toBe(37);
    } finally {
      await new Promise<void>((done) => (watching ? watching.close(() => done()) : done()));
    }
  });
});
