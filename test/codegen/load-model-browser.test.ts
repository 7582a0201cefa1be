import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { launchChromium } from '../support/chromium.js';
import { hasSystemDependency } from '../support/system-deps.js';
import { realIO } from '../cli/support/real-io.js';

/**
 * `loadModel(url)` of the generated module in a real browser: a run folder written by `nnc train`
 * (the default backend), served over HTTP to a page that bundles the generated TypeScript with
 * tfjs (esbuild, as an app's bundler would), loads the run by URL and predicts by name. Its
 * predictions are those of `loadModel(folder)` in Node on the same rows. Requests go through
 * Playwright's routing to an origin of the test's own, and any other host fails the test.
 */

const root = join(import.meta.dirname, '../..');
const dir = join(root, 'test/.tmp/load-model-browser');
const ORIGIN = 'http://nnc-run.invalid';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json' };
const rows = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 3.0, 4.2, 1.5]];

describe.skipIf(!hasSystemDependency('chromium'))('loadModel in Chromium', () => {
  let browser: import('playwright-core').Browser;
  beforeAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const { io, stderr } = realIO();
    const iris = join(root, 'examples/iris.nn');
    expect(await main(['train', iris, '--data', join(root, 'examples/data/iris.csv'), '--epochs', '3', '--quiet', '--out', join(dir, 'run')], io), stderr()).toBe(0);
    expect(await main(['compile', iris, '-o', join(dir, 'iris.ts')], io), stderr()).toBe(0);
    writeFileSync(join(dir, 'entry.ts'), `import * as tf from '@tensorflow/tfjs';
import { loadModel, predict } from './iris.ts';
(window as unknown as { predictRows: unknown }).predictRows = async (rows: number[][]) => {
  await tf.setBackend('cpu');
  const model = await loadModel(new URL('run/', location.href));
  const { species } = predict(model, { features: tf.tensor2d(rows) });
  return Array.from(await species.data());
};
`);
    writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>loadModel</title><script type="module" src="bundle.js"></script>\n');
    const { build } = await import('esbuild');
    await build({ entryPoints: [join(dir, 'entry.ts')], bundle: true, format: 'esm', platform: 'browser', outfile: join(dir, 'bundle.js'), logLevel: 'error' });
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
  });

  test('loads a run folder by URL and predicts what loadModel(folder) predicts in Node', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    const requested: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      requested.push(url.href);
      if (url.origin !== ORIGIN) return route.abort();
      const file = join(dir, url.pathname);
      if (!existsSync(file)) return route.fulfill({ status: 404 });
      return route.fulfill({ status: 200, contentType: TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
    });
    await page.goto(`${ORIGIN}/index.html`);
    await page.waitForFunction(() => typeof (window as unknown as { predictRows?: unknown }).predictRows === 'function');
    const inBrowser = await page.evaluate((r) => (window as unknown as { predictRows: (r: number[][]) => Promise<number[]> }).predictRows(r), rows);

    const generated = await import(/* @vite-ignore */ pathToFileURL(join(dir, 'iris.ts')).href);
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    const model = await generated.loadModel(join(dir, 'run'));
    const inNode = Array.from(await generated.predict(model, { features: tf.tensor2d(rows) }).species.data() as Float32Array);

    expect(inBrowser).toHaveLength(9);
    inBrowser.forEach((p, i) => expect(Math.abs(p - inNode[i]!)).toBeLessThan(1e-6));
    expect(requested.map((u) => new URL(u).pathname).sort()).toEqual(['/bundle.js', '/index.html', '/run/model.json', '/run/weights.bin']);
    expect(requested.every((u) => new URL(u).origin === ORIGIN)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
