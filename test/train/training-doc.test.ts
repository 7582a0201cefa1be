import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { anchors, links } from '../docs/support/markdown.js';
import { memoryIO } from '../docs/support/memory-io.js';

/** docs/training.md: its links lead somewhere, and it documents exactly the options of `nnc train`. */
const docs = join(import.meta.dirname, '../../docs');
const markdown = readFileSync(join(docs, 'training.md'), 'utf8');

describe('docs/training.md', () => {
  test('links resolve, anchors and the picture included', () => {
    const broken = links(markdown).filter((link) => {
      if (/^https?:/.test(link.file)) return false;
      const target = link.file === '' ? 'training.md' : link.file;
      if (!existsSync(join(docs, target))) return true;
      return link.anchor !== undefined && !anchors(readFileSync(join(docs, target), 'utf8')).has(link.anchor);
    });
    expect(broken).toEqual([]);
    expect(markdown).toContain('](training-curves.svg)');
    expect(existsSync(join(docs, 'training-curves.svg'))).toBe(true);
  });

  test('documents every option of nnc train, and no other', async () => {
    const memory = memoryIO(new Map());
    await main(['train', '--help'], memory.io);
    const real = new Set([...memory.stdout().matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]!).filter((o) => o !== '--help' && o !== '--color' && o !== '--no-color'));
    const documented = new Set([...markdown.matchAll(/`(--[\w-]+)/g)].map((m) => m[1]!));
    expect([...documented].sort()).toEqual([...real].sort());
  });
});
