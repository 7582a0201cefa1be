/**
 * The playground in headless Chromium, started as a user starts it (`nnc playground`): the time
 * to first render, from a keystroke to the diagnostics of the new text on screen, for every
 * example and a 1,000-layer model (and typing on a 10,000-layer one, whose analysis must not
 * hold the keystrokes up), and the size of the static build against its budget.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { installedNnc, launchChromium, startPlayground } from '../test/browser/support/playground.js';
import { syntheticModel } from './generate-model.js';
import { median } from './timing.js';

/**
 * The budget of the build (uncompressed bytes; tfjs's wasm binaries, when they are added, are
 * not counted). What loads before the first analysis: the page, its styles, the editor and the
 * language service's worker. Everything: also the chunks loaded on demand (prettier for the
 * Code panel, the gradient check's worker).
 */
export const PLAYGROUND_BUDGET = { firstLoad: 1_200_000, total: 3_000_000 };

/**
 * From a keystroke to the analysis of the new text on screen, timed from here: it includes the
 * driver's round trips (a few ms), so it is an upper bound of what a user waits.
 */
async function keystrokeToDiagnostics(page: Page, keystrokes: number): Promise<number> {
  await page.locator('#editor .cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\n#');
  await page.waitForFunction(() => document.getElementById('status')!.dataset.state !== 'busy', undefined, { timeout: 120_000 });
  const samples: number[] = [];
  for (let i = 0; i < keystrokes; i++) {
    const before = Number(await page.evaluate(() => document.body.dataset.analyzedVersion));
    const start = performance.now();
    await page.keyboard.type('x');
    await page.waitForFunction((before) => Number(document.body.dataset.analyzedVersion) > before, before, { timeout: 120_000, polling: 'raf' });
    samples.push(performance.now() - start);
  }
  return median(samples);
}

function buildSizes(dir: string): { firstLoad: number; total: number; gzipFirstLoad: number; files: Array<[string, number]> } {
  const assets = join(dir, 'assets');
  const files: Array<[string, number]> = [['index.html', statSync(join(dir, 'index.html')).size], ...readdirSync(assets).map((f): [string, number] => [`assets/${f}`, statSync(join(assets, f)).size])];
  const counted = files.filter(([f]) => !f.endsWith('.wasm'));
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const main = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
  const worker = counted.map(([f]) => f).filter((f) => f.includes('service-worker'));
  const first = ['index.html', ...main, ...worker];
  const firstLoad = counted.filter(([f]) => first.includes(f)).reduce((s, [, n]) => s + n, 0);
  const gzipFirstLoad = first.reduce((s, f) => s + gzipSync(readFileSync(join(dir, f))).length, 0);
  return { firstLoad, total: counted.reduce((s, [, n]) => s + n, 0), gzipFirstLoad, files: counted };
}

export async function playgroundBench(): Promise<void> {
  console.log('\nplayground (headless Chromium, nnc playground on this machine)');
  const { runner, dir } = await installedNnc('bench-playground');
  const kb = (n: number) => `${(n / 1000).toFixed(0)} kB`;
  const sizes = buildSizes(join(dir, 'dist/playground'));
  const verdict = (n: number, budget: number) => (n <= budget ? `within the budget of ${kb(budget)}` : `OVER the budget of ${kb(budget)}`);
  console.log(`build: first load ${kb(sizes.firstLoad)} (${kb(sizes.gzipFirstLoad)} gzipped), ${verdict(sizes.firstLoad, PLAYGROUND_BUDGET.firstLoad)}; everything ${kb(sizes.total)}, ${verdict(sizes.total, PLAYGROUND_BUDGET.total)}`);
  for (const [file, size] of sizes.files.sort((a, b) => b[1] - a[1])) console.log(`  ${file.padEnd(44)} ${kb(size).padStart(8)}`);

  const browser = await launchChromium();
  try {
    const served = await startPlayground(runner, [], dir);
    const renders: number[] = [];
    for (let i = 0; i < 5; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await page.goto(served.url);
      await page.locator('body[data-analyzed-version]').waitFor();
      renders.push(await page.evaluate(() => performance.getEntriesByName('nnc:first-analysis')[0]!.startTime));
      await page.close();
    }
    console.log(`first render (navigation to the first analysis on screen, median of 5): ${median(renders).toFixed(0)} ms`);

    console.log('keystroke to diagnostics on screen (median of 10 keystrokes, 3 for 10,000 layers)');
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('crash', () => console.log('the page crashed'));
    page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
    await page.goto(served.url);
    await page.locator('body[data-analyzed-version]').waitFor();
    const names = await page.locator('#examples option').allTextContents();
    for (const name of names) {
      await page.getByLabel('load an example').selectOption(name);
      console.log(`  ${name.padEnd(20)} ${(await keystrokeToDiagnostics(page, 10)).toFixed(0).padStart(6)} ms`);
    }
    await page.close();
    await served.stop();

    for (const layers of [1_000, 10_000]) {
      const file = join(dir, `layers-${layers}.nn`);
      writeFileSync(file, syntheticModel(layers));
      const big = await startPlayground(runner, [file], dir);
      const bigPage = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await bigPage.goto(big.url);
      await bigPage.locator('body[data-analyzed-version]').waitFor({ timeout: 120_000 });
      await bigPage.getByRole('tab', { name: 'Summary' }).click();
      const t = await keystrokeToDiagnostics(bigPage, layers > 1_000 ? 3 : 10);
      console.log(`  ${`${layers.toLocaleString('en-US')} layers`.padEnd(20)} ${t.toFixed(0).padStart(6)} ms`);
      await bigPage.close();
      await big.stop();
    }
  } finally {
    await browser.close();
  }
}

if (process.argv[1] === import.meta.filename) await playgroundBench();
