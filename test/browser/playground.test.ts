import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, test } from 'vitest';
import { check } from '../../src/compile.js';
import { gradcheck } from '../../src/gradcheck.js';
import { formatShape } from '../../src/registry/op.js';
import { renderSummaryTable } from '../../src/format/summary-table.js';
import { format } from '../../src/print/format.js';
import { createLanguageService } from '../../src/service/index.js';
import { hasSystemDependency } from '../support/system-deps.js';
import { editorText, screenshot, watchedPage, wordCentre, type Watched } from './support/page.js';
import { installedNnc, launchChromium, startPlayground, type RunningPlayground } from './support/playground.js';

/**
 * The playground as a user meets it: `nnc playground mlp.nn` from an installed nnc (the bundled
 * CLI serving the Vite build), driven in Debian's Chromium. What the page shows is compared with
 * what nnc itself says about the same text (check, the formatter, the language service).
 */
const root = join(import.meta.dirname, '../..');
const mlp = readFileSync(join(root, 'examples/mlp.nn'), 'utf8');

describe.skipIf(!hasSystemDependency('chromium'))('nnc playground in Chromium', () => {
  let browser: Browser;
  let served: RunningPlayground;
  let work: string;
  let context: BrowserContext;
  let watched: Watched;
  let page: Page;

  beforeAll(async () => {
    const { runner, dir } = await installedNnc('playground-browser');
    work = join(dir, 'work');
    mkdirSync(work, { recursive: true });
    copyFileSync(join(root, 'examples/mlp.nn'), join(work, 'mlp.nn'));
    [served, browser] = await Promise.all([startPlayground(runner, ['mlp.nn'], work), launchChromium()]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    if (served) expect(await served.stop()).toBe(0);
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    watched = await watchedPage(context, new URL(served.url).origin);
    page = watched.page;
    await page.goto(served.url);
    await page.locator('body[data-analyzed-version]').waitFor();
  });
  afterEach(async () => {
    // Every test: nothing went wrong in the page, and nothing left this machine's server.
    expect(watched.errors).toEqual([]);
    expect(watched.foreign).toEqual([]);
    expect(watched.requests.length).toBeGreaterThan(0);
    await context.close();
  });

  test('opens the file, checked, with the summary table of nnc check', async () => {
    expect(await editorText(page)).toBe(mlp);
    await expect.poll(() => page.locator('#problem-count').textContent()).toBe('no problems');
    const expected = renderSummaryTable(check(mlp).summary[0]!);
    await page.getByRole('tab', { name: 'Summary' }).click();
    await expect.poll(() => page.locator('#panel-summary pre').textContent()).toBe(expected);
    // One inlay shape per definition and stage, as the language server shows them.
    const service = createLanguageService();
    service.open('mlp.nn', mlp, 1);
    expect(await page.locator('.nn-inlay').allTextContents()).toEqual(service.inlayHints('mlp.nn').map((h) => h.label));
    await screenshot(page, 'opened', { docs: true });
  });

  test('a mistake typed in the editor is underlined at its line and column, listed, and fixed by its quick fix', async () => {
    const line = page.locator('#editor .cm-line', { hasText: 'features -> dense(16, relu)' });
    await line.click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('extra = concat(hiden, features)');
    await page.keyboard.press('Escape');
    const text = await editorText(page);
    const expected = check(text).diagnostics.find((d) => d.code === 'E2001')!;
    expect(expected.message).toBe('cannot find `hiden` in this scope');

    const problem = page.locator('#problems .problem[data-code="E2001"]');
    await problem.waitFor();
    expect(await problem.getAttribute('data-line')).toBe(String(expected.span.start.line));
    expect(await problem.getAttribute('data-column')).toBe(String(expected.span.start.column));
    expect(await problem.textContent()).toContain(expected.message);
    const underline = page.locator('#editor .cm-lintRange-error');
    await underline.waitFor();
    expect(await underline.textContent()).toBe('hiden');
    // The underline is on the line the checker names (lines are 1-based, as in the problems list).
    const underlinedLine = await underline.evaluate((el) => [...document.querySelectorAll('#editor .cm-line')].indexOf(el.closest('.cm-line')!) + 1);
    expect(underlinedLine).toBe(expected.span.start.line);
    await screenshot(page, 'mistake', { docs: true });

    // Hovering the underline shows the message and its help, with the quick fix.
    const box = (await underline.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const tooltip = page.locator('.cm-tooltip-lint');
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toContain(expected.message);
    expect(await tooltip.textContent()).toContain(`help: ${expected.help}`);
    await screenshot(page, 'quick-fix', { docs: true });
    await tooltip.getByRole('button', { name: 'Change to `hidden`' }).click();
    await expect.poll(() => editorText(page)).toBe(text.replace('hiden', 'hidden'));
    await expect.poll(() => page.locator('#problems .problem[data-code="E2001"]').count()).toBe(0);
  });

  test('clicking a problem selects its span in the editor', async () => {
    await page.locator('#editor .cm-line', { hasText: 'output species' }).click();
    await page.keyboard.press('End');
    await page.keyboard.type(' -> dense(2, relux)');
    const problem = page.locator('#problems .problem.error').first();
    await problem.waitFor();
    await problem.click();
    const selected = await page.evaluate(() => getSelection()?.toString());
    const text = await editorText(page);
    const d = check(text).diagnostics.find((x) => x.severity === 'error')!;
    expect(selected).toBe(text.slice(d.span.start.offset, d.span.end.offset));
  });

  test('hovering a name shows its shape', async () => {
    const service = createLanguageService();
    service.open('mlp.nn', mlp, 1);
    const lineIndex = mlp.split('\n').findIndex((l) => l.includes('hidden = features'));
    const expected = service.hover('mlp.nn', { line: lineIndex, character: mlp.split('\n')[lineIndex]!.indexOf('hidden') })!;
    const signature = /```nn\n([^`]*)\n```/.exec(expected.contents)![1]!;
    expect(signature).toContain('[?, 16]');

    const point = await wordCentre(page, 'features -> dense(16, relu)', 'hidden');
    await page.mouse.move(point.x, point.y);
    const hover = page.locator('.cm-tooltip-hover .nn-hover');
    await hover.waitFor();
    expect(await hover.locator('pre').first().textContent()).toBe(signature);
    await screenshot(page, 'hover', { docs: true });
  });

  test('completion offers the ops after ->', async () => {
    await page.locator('#editor .cm-line', { hasText: 'output species' }).click();
    await page.keyboard.press('End');
    await page.mouse.move(5, 710);
    await page.keyboard.type(' -> dro');
    const options = page.locator('.cm-tooltip-autocomplete li');
    await options.first().waitFor();
    expect(await options.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('dropout')]));
    await screenshot(page, 'completion', { docs: true });
  });

  test('Format rewrites the text as nnc fmt does', async () => {
    const messy = 'model M {\n      input x: [4]\n output y = x->dense(2,relu)\n}\n';
    await page.locator('#editor .cm-content').click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText(messy);
    await page.getByRole('button', { name: 'Format' }).click();
    const formatted = format(messy);
    if (!formatted.ok) throw new Error('the messy model must parse');
    await expect.poll(() => editorText(page)).toBe(formatted.text);
  });

  test('the file is written only by Save, with the editor\'s text', async () => {
    await page.locator('#editor .cm-line', { hasText: 'epochs' }).click();
    await page.keyboard.press('End');
    await page.keyboard.type('0');
    await page.waitForFunction(() => document.body.dataset.analyzedVersion !== '1');
    expect(readFileSync(join(work, 'mlp.nn'), 'utf8')).toBe(mlp);
    const text = await editorText(page);
    await page.getByRole('button', { name: 'Save to mlp.nn' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('saved mlp.nn');
    expect(readFileSync(join(work, 'mlp.nn'), 'utf8')).toBe(text);
    expect(served.stdout()).toContain('saved mlp.nn\n');
    copyFileSync(join(root, 'examples/mlp.nn'), join(work, 'mlp.nn'));
  });

  test('the graph has a node per input, layer use and output, the shapes of nnc check on its edges, and is linked to the source', async () => {
    const model = check(mlp).ir!.models[0]!;
    const nodes = page.locator('#graph .node');
    await nodes.first().waitFor();
    expect(await nodes.count()).toBe(model.nodes.length + model.outputs.length);
    const shapeOf = new Map(model.nodes.map((n) => [n.id, formatShape([null, ...n.type.shape])]));
    const expectedEdges = [
      ...model.nodes.flatMap((n) => (n.kind === 'apply' ? n.inputs.map((i) => `${i} -> ${n.id}: ${shapeOf.get(i)}`) : [])),
      ...model.outputs.map((o) => `${o.node} -> output:${o.name}: ${shapeOf.get(o.node)}`),
    ];
    const edges = await page.locator('#graph .edge').evaluateAll((list) => list.map((e) => `${e.getAttribute('data-from')} -> ${e.getAttribute('data-to')}: ${e.querySelector('.shape')!.textContent}`));
    expect(edges.sort()).toEqual(expectedEdges.sort());

    // Clicking a node selects its layer's source; moving the cursor marks the node.
    await page.locator('#graph .node[data-id="species"]').click();
    expect(await page.evaluate(() => getSelection()?.toString())).toBe('dense(3, softmax)');
    const dropout = await wordCentre(page, 'features -> dense(16, relu)', 'dropout');
    await page.mouse.click(dropout.x, dropout.y);
    await expect.poll(() => page.locator('#graph .node.current').getAttribute('data-id')).toBe('hidden/dropout_1');
    // The keyboard reaches the nodes, and Enter on one selects its source.
    await page.locator('#graph .node[data-id="features"]').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => getSelection()?.toString())).toBe('dense(16, relu)');
    await screenshot(page, 'graph', { docs: true });
  });

  test('the graph of a model with blocks, repeat and a shared layer', async () => {
    await page.getByLabel('load an example').selectOption('residual.nn');
    await page.locator('#graph .group').first().waitFor();
    const model = check(readFileSync(join(root, 'examples/residual.nn'), 'utf8')).ir!.models[0]!;
    expect(await page.locator('#graph .node').count()).toBe(model.nodes.length + model.outputs.length);
    expect(await page.locator('#graph .group').count()).toBe(new Set(model.layers.flatMap((l) => l.scope)).size);
    await page.getByLabel('load an example').selectOption('siamese.nn');
    await expect.poll(() => page.locator('#graph .node.shared').count()).toBe(2);
    await screenshot(page, 'graph-shared', { docs: true });
  });

  test('gradient checking from the page grades every tensor as nnc gradcheck does', async () => {
    await page.getByRole('tab', { name: 'Gradcheck' }).click();
    await page.getByRole('button', { name: 'Run gradient check' }).click();
    const expected = gradcheck(mlp, { filename: 'playground.nn' }).report!;
    await expect.poll(() => page.locator('#gradcheck-status').textContent(), { timeout: 60_000 }).toBe(`✔ every tensor passed (${expected.tensors.length})`);
    const table = (await page.locator('#panel-gradcheck pre').textContent())!;
    expect(table).toContain(`Gradient check of MLP (${expected.mode}`);
    for (const tensor of expected.tensors) expect(table).toMatch(new RegExp(`^${tensor.name.replace(/[/]/g, '\\/')} .* ${tensor.grade}`, 'm'));
    await screenshot(page, 'gradcheck', { docs: true });
  });

  test('on a phone-sized screen the page fits its width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    await screenshot(page, 'phone', { fullPage: true });
  });
});
