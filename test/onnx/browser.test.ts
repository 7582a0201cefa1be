import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { check } from '../../src/compile.js';
import { ReferenceModel } from '../../src/reference/engine.js';
import { relativeDifference } from '../../src/reference/gradcheck.js';
import { randomBatch } from '../../src/reference/random-batch.js';
import { launchChromium } from '../support/chromium.js';
import { hasSystemDependency } from '../support/system-deps.js';

/**
 * The exporter in a real browser: a page bundled by Vite from nnc's core (the generated ONNX
 * codecs included) and onnxruntime-web compiles a .nn source to ONNX and runs it, in Chromium,
 * with no Node API in sight; its outputs are the float64 engine's. The page is served from the
 * bundle through Playwright's request routing, so no server or network is involved.
 */

const root = join(import.meta.dirname, '../..');
const out = join(root, 'test/.tmp/onnx-browser');
const ORIGIN = 'http://nnc.invalid';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

describe.skipIf(!hasSystemDependency('chromium'))('in Chromium', () => {
  let browser: import('playwright-core').Browser;
  beforeAll(async () => {
    const { build } = await import('vite');
    await build({
      root: join(import.meta.dirname, 'browser'),
      base: './',
      logLevel: 'error',
      build: { outDir: out, emptyOutDir: true, target: 'es2022', minify: false },
    });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  test('a page compiles a model to ONNX and runs it in onnxruntime-web', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route(`${ORIGIN}/**`, async (route) => {
      const file = join(out, new URL(route.request().url()).pathname);
      if (!existsSync(file)) return route.fulfill({ status: 404 });
      return route.fulfill({ status: 200, contentType: TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
    });
    await page.goto(`${ORIGIN}/index.html`);
    await page.waitForFunction(() => typeof window.exportAndRun === 'function');

    const source = readFileSync(join(root, 'examples/wide_deep.nn'), 'utf8');
    const model = check(source).ir!.models[0]!;
    const batch = randomBatch(model, 3, 4);
    const inputs = Object.fromEntries([...batch.inputs].map(([name, t]) => [name, { data: Array.from(t.data), dims: t.shape }]));
    const outputs = await page.evaluate(([s, i]) => window.exportAndRun(s, i), [source, inputs] as const);

    // compileOnnx's weights are the reference engine's for the train block's seed, else 0.
    const expected = new ReferenceModel(model, 0).forward(batch.inputs, { training: false }).outputs;
    for (const output of model.outputs) expect(relativeDifference(outputs[output.name]!, expected.get(output.name)!.data)).toBeLessThanOrEqual(1e-5);
    expect(errors).toEqual([]);
    await page.close();
  });
});
