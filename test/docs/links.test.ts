import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { anchors, links } from './support/markdown.js';

// Links between the docs pages, anchors included, must lead somewhere: ops get renamed,
// headings get reworded.
const docs = join(import.meta.dirname, '../../docs');
const pages = ['language.md', 'diagnostics.md', 'cli.md', 'reference.md', 'onnx.md', 'build-tools.md', 'api.md', 'playground.md'];

for (const page of pages) {
  test(`links in docs/${page} resolve`, () => {
    const markdown = readFileSync(join(docs, page), 'utf8');
    const broken: string[] = [];
    for (const link of links(markdown)) {
      const target = link.file === '' ? page : link.file;
      if (!existsSync(join(docs, target))) {
        broken.push(`line ${link.line}: ${target}`);
        continue;
      }
      if (link.anchor !== undefined && !anchors(readFileSync(join(docs, target), 'utf8')).has(link.anchor)) {
        broken.push(`line ${link.line}: ${target}#${link.anchor}`);
      }
    }
    expect(broken).toEqual([]);
  });
}
