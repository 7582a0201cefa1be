import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { codeBlocks } from '../../docs/support/markdown.js';

const root = join(import.meta.dirname, '..', '..', '..');

/** Every `.nn` source the repository holds: examples, fixture inputs, and the ```nn blocks of the docs. */
export function allSources(): Array<{ name: string; text: string }> {
  const sources: Array<{ name: string; text: string }> = [];
  const examples = join(root, 'examples');
  for (const file of readdirSync(examples).filter((f) => f.endsWith('.nn')).sort()) sources.push({ name: `examples/${file}`, text: readFileSync(join(examples, file), 'utf8') });
  for (const dir of ['test/parse/fixtures', 'test/check/fixtures', 'test/codegen/fixtures', 'test/print/fixtures', 'test/render/cases']) {
    const path = join(root, dir);
    if (!existsSync(path)) continue;
    for (const name of readdirSync(path).sort()) {
      const file = join(path, name, 'input.nn');
      if (existsSync(file)) sources.push({ name: relative(root, file), text: readFileSync(file, 'utf8') });
    }
  }
  for (const doc of [...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`), 'README.md']) {
    for (const block of codeBlocks(readFileSync(join(root, doc), 'utf8'))) {
      if (block.lang === 'nn') sources.push({ name: `${doc}:${block.open}`, text: block.text });
    }
  }
  return sources;
}

/** The offset of the `|` marking a cursor, and the text without it. */
export function cursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  if (offset < 0) throw new Error('no `|` cursor in the text');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}
