import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { format } from '../../src/print/format.js';
import { approving } from '../support/fixtures.js';
import { codeBlocks, replaceBlocks } from './support/markdown.js';

/**
 * Every example and every ```nn block of the docs is in the formatter's layout (`nnc fmt`
 * keeps the repository formatted; CI runs this). Blocks with syntax errors, which the
 * formatter refuses, are left as they are. NNC_APPROVE=1 formats them in place; the outputs
 * the docs show for them then need re-approving too.
 */
const root = join(import.meta.dirname, '..', '..');

describe('the repository is formatted', () => {
  const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.nn')).sort();
  test.each(examples)('examples/%s', (file) => {
    const path = join(root, 'examples', file);
    const text = readFileSync(path, 'utf8');
    const result = format(text);
    if (!result.ok) throw new Error(`examples/${file} does not parse: ${result.diagnostics[0]!.message}`);
    if (approving) writeFileSync(path, result.text);
    else expect(text, `examples/${file} is not formatted: run \`nnc fmt examples\``).toBe(result.text);
  });

  const docs = [...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`), 'README.md'].sort();
  test.each(docs)('the ```nn blocks of %s', (doc) => {
    const path = join(root, doc);
    const markdown = readFileSync(path, 'utf8');
    const rewrites = codeBlocks(markdown).flatMap((block) => {
      if (block.lang !== 'nn') return [];
      const result = format(block.text);
      return result.ok && result.changed ? [{ block, text: result.text }] : [];
    });
    if (approving) {
      if (rewrites.length > 0) writeFileSync(path, replaceBlocks(markdown, rewrites));
    } else {
      expect(rewrites.map((r) => `${doc}:${r.block.open}`), 'unformatted ```nn blocks (NNC_APPROVE=1 formats them)').toEqual([]);
    }
  });
});
