import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { approving } from '../../support/fixtures.js';

const root = join(import.meta.dirname, '../../..');
/** Every screenshot the tests take; the ones the docs show are copied to docs/images when approving (NNC_APPROVE=1). */
export const SCREENSHOTS = join(root, 'test/.tmp/screenshots');

export interface Watched {
  page: Page;
  /** Console errors and uncaught exceptions, of the page and its workers. */
  errors: string[];
  /** Requests to anything but the playground's own origin (each was refused). */
  foreign: string[];
  /** Every request the page and its workers made. */
  requests: string[];
}

/**
 * A fresh page in `context`, watched: console errors and exceptions are collected, and any
 * request for another origin is refused and recorded (the page must need nothing but its server).
 */
export async function watchedPage(context: BrowserContext, origin: string): Promise<Watched> {
  const watched: Watched = { page: undefined as unknown as Page, errors: [], foreign: [], requests: [] };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    watched.requests.push(url);
    if (new URL(url).origin === origin) return route.continue();
    watched.foreign.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') watched.errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => watched.errors.push(`exception: ${error.message}`));
  page.on('worker', (worker) => worker.on('console', (message) => message.type() === 'error' && watched.errors.push(`worker: ${message.text()}`)));
  watched.page = page;
  return watched;
}

export async function screenshot(page: Page, name: string, options: { docs?: boolean; fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? false });
  if (options.docs && approving) {
    mkdirSync(join(root, 'docs/images'), { recursive: true });
    copyFileSync(path, join(root, 'docs/images', `playground-${name}.png`));
  }
  return path;
}

/** The editor's text as the user sees it, without the inlay shapes drawn between its characters. */
export function editorText(page: Page): Promise<string> {
  return page.evaluate(() =>
    [...document.querySelectorAll('#editor .cm-line')]
      .map((line) => {
        const copy = line.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('.nn-inlay, .cm-widgetBuffer').forEach((w) => w.remove());
        return copy.textContent ?? '';
      })
      .join('\n'),
  );
}

/** Where a word is on screen: the centre of the `nth` occurrence of `word` in the editor line containing `lineText`. */
export async function wordCentre(page: Page, lineText: string, word: string, nth = 0): Promise<{ x: number; y: number }> {
  const point = await page.evaluate(
    ([lineText, word, nth]) => {
      const line = [...document.querySelectorAll('#editor .cm-line')].find((l) => (l.textContent ?? '').includes(lineText));
      if (!line) return null;
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let seen = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if ((node.parentElement as HTMLElement).closest('.nn-inlay')) continue;
        const text = node.textContent ?? '';
        for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
          const before = at === 0 ? '' : text[at - 1]!;
          const after = text[at + word.length] ?? '';
          if (/\w/.test(before) || /\w/.test(after)) continue;
          if (seen++ < nth) continue;
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + word.length);
          const rect = range.getBoundingClientRect();
          return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
        }
      }
      return null;
    },
    [lineText, word, nth] as const,
  );
  if (!point) throw new Error(`\`${word}\` is not on a line with \`${lineText}\``);
  return point;
}
