import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { nodeIO } from '../../src/cli/node-io.js';
import { nncPlugin } from '../../src/bundler/plugin.js';
import { launchChromium } from '../support/chromium.js';
import { hasSystemDependency } from '../support/system-deps.js';
import { root } from './support/bundlers.js';

/**
 * examples/vite-app: type-checked, built by Vite with the plugin and run in Chromium; then served
 * by Vite's dev server, where an edit of its model.nn reaches the module over HTTP and, in the
 * page, is hot-replaced (no reload) with the unchanged layers' weights kept.
 */
const app = join(root, 'examples/vite-app');
const tmp = join(root, 'test/.tmp/vite-app');
const ORIGIN = 'http://nnc.invalid';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

beforeAll(() => {
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(root, 'test/.tmp/.gitignore'), '*\n');
});

describe('examples/vite-app', () => {
  test('its committed declarations are up to date, and it type-checks under strict', { timeout: 120_000 }, async () => {
    expect(await main(['types', '--check', join(app, 'src')], nodeIO())).toBe(0);
    const run = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', app, '--pretty', 'false'], { encoding: 'utf8' });
    expect(run.stdout).toBe('');
    expect(run.status).toBe(0);
  });

  test('its vite.config.ts uses the plugin as a user imports it, from nnc/vite', () => {
    const config = readFileSync(join(app, 'vite.config.ts'), 'utf8');
    expect(config).toContain("import nnc from 'nnc/vite';");
    expect(config).toContain('plugins: [nnc()]');
  });

  test('Vite builds it with the plugin', { timeout: 180_000 }, async () => {
    const { build } = await import('vite');
    await build({ root: app, configFile: false, base: './', logLevel: 'error', plugins: [nncPlugin.vite()], build: { outDir: join(tmp, 'dist'), emptyOutDir: true, target: 'es2022', minify: false } });
    expect(existsSync(join(tmp, 'dist/index.html'))).toBe(true);
    const bundle = readFileSync(join(tmp, 'dist/assets', readFileSync(join(tmp, 'dist/index.html'), 'utf8').match(/assets\/([^"]+\.js)/)![1]!), 'utf8');
    expect(bundle).toMatch(/modelName = ["']Classifier["']/);
  });
});

describe('the Vite dev server', () => {
  const dev = join(tmp, 'dev');
  let server: import('vite').ViteDevServer;
  let url = '';
  beforeAll(async () => {
    rmSync(dev, { recursive: true, force: true });
    cpSync(app, dev, { recursive: true });
    const { createServer } = await import('vite');
    server = await createServer({
      root: dev,
      configFile: false,
      logLevel: 'silent',
      cacheDir: join(tmp, 'vite-cache'),
      plugins: [nncPlugin.vite()],
      optimizeDeps: { include: ['@tensorflow/tfjs'] },
      server: { host: '127.0.0.1', port: 0, strictPort: false },
    });
    await server.listen();
    url = server.resolvedUrls!.local[0]!;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  /** Fetches the module Vite serves for src/model.nn until `accept` takes it (after a file change the watcher is quick, but not instant). */
  async function servedModel(accept: (code: string) => boolean): Promise<string> {
    let code = '';
    for (let attempt = 0; attempt < 200 && !accept(code); attempt++) {
      if (attempt > 0) await new Promise((done) => setTimeout(done, 50));
      // `?import` is how a page's import of a non-JavaScript file reaches Vite (the bare path is the file itself).
      code = await (await fetch(new URL('src/model.nn?import', url))).text();
    }
    return code;
  }

  const model = () => join(dev, 'src/model.nn');
  const edit = (from: string, to: string) => writeFileSync(model(), readFileSync(model(), 'utf8').replace(from, to));

  test('serves the module of model.nn, and the edited module after an edit, with its declarations rewritten', { timeout: 120_000 }, async () => {
    const before = await servedModel((c) => c.includes('buildModel'));
    expect(before).toContain("dense({ units: 3, kernelInitializer: normal(0.3244428422615251, 4), activation: 'softmax', name: 'species' })");
    edit('output species = hidden -> dense(3, softmax)', 'output species = hidden -> dense(5, softmax)');
    const after = await servedModel((c) => c.includes('units: 5'));
    expect(after).toContain("name: 'species'");
    expect(after).toContain('units: 5');
    expect(readFileSync(join(dev, 'src/model.d.nn.ts'), 'utf8')).toContain('/** [batch, 5], float32 */\n  species: tf.Tensor2D;');
    edit('dense(5, softmax)', 'dense(3, softmax)');
    await servedModel((c) => c.includes('units: 3'));
  });

  test('a .nn file created under the root gets its declarations, and loses them when it is deleted', { timeout: 120_000 }, async () => {
    const file = join(dev, 'src/extra.nn');
    const declaration = join(dev, 'src/extra.d.nn.ts');
    const until = async (condition: () => boolean) => {
      for (let attempt = 0; attempt < 200 && !condition(); attempt++) await new Promise((done) => setTimeout(done, 50));
      return condition();
    };
    writeFileSync(file, readFileSync(join(root, 'examples/wide_deep.nn'), 'utf8'));
    expect(await until(() => existsSync(declaration))).toBe(true);
    expect(readFileSync(declaration, 'utf8')).toContain("export declare const modelName: 'WideDeep';");
    rmSync(file);
    expect(await until(() => !existsSync(declaration))).toBe(true);
  });

  describe.skipIf(!hasSystemDependency('chromium'))('in Chromium', () => {
    let browser: import('playwright-core').Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    test('an edit of model.nn is hot-replaced: no reload, the unchanged layer keeps its trained weights; an error shows in Vite\'s overlay', { timeout: 180_000 }, async () => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url);
      await page.waitForFunction(() => document.body.dataset.ready === '1', undefined, { timeout: 120_000 });
      const first = await page.textContent('#app');
      expect(first).toContain('Classifier: 403 parameters');
      expect(first).toContain('kept weights: (first build)');
      await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

      edit('hidden = features -> dense(16, relu) -> dense(16, relu)', 'hidden = features -> dense(16, relu) -> dense(8, relu)');
      await page.waitForFunction(() => document.body.dataset.ready === '2', undefined, { timeout: 120_000 });
      const second = await page.textContent('#app');
      expect(second).toContain('Classifier: 243 parameters');
      expect(second).toContain('hot-replaced');
      expect(second).toContain('kept weights: hidden/dense_1\n');
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
      await page.screenshot({ path: join(tmp, 'hot-replaced.png') });

      edit('dense(8, relu)', 'dense(8, relu) -> dense(4, reluu)');
      const overlay = await page.waitForSelector('vite-error-overlay', { timeout: 60_000 });
      const text = await overlay.evaluate((el) => el.shadowRoot?.textContent ?? '');
      expect(text).toContain('error[E');
      expect(text).toContain('model.nn');
      await page.screenshot({ path: join(tmp, 'overlay.png') });
      expect(errors).toEqual([]);
    });

    test('the built app runs in Chromium: the model is built and trained', { timeout: 180_000 }, async () => {
      const dist = join(tmp, 'dist');
      expect(existsSync(join(dist, 'index.html')), 'the build test runs first').toBe(true);
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.route(`${ORIGIN}/**`, async (route) => {
        const file = join(dist, new URL(route.request().url()).pathname);
        if (!existsSync(file)) return route.fulfill({ status: 404 });
        return route.fulfill({ status: 200, contentType: TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
      });
      await page.goto(`${ORIGIN}/index.html`);
      await page.waitForFunction(() => document.body.dataset.ready === '1', undefined, { timeout: 120_000 });
      const text = await page.textContent('#app');
      expect(text).toContain('Classifier: 403 parameters');
      expect(text).toMatch(/trained: loss \d+\.\d{4}/);
      await page.screenshot({ path: join(tmp, 'built.png') });
      expect(errors).toEqual([]);
    });
  });
});
