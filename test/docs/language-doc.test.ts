import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { approving } from '../support/fixtures.js';
import { formatDiagnostics } from '../support/baseline.js';
import { checkSource } from './support/check-source.js';
import { parseCommand, runExample } from './support/example-output.js';
import { codeBlocks, replaceBlocks, splitLines, type CodeBlock } from './support/markdown.js';

/**
 * Every ```nn block of docs/language.md is a complete file that checks without a single
 * diagnostic (excerpts are marked ```nn-fragment), and every ```text block that starts with
 * `$ nnc ...` shows what nnc prints for the ```nn block before it (NNC_APPROVE=1 rewrites).
 */
const path = join(import.meta.dirname, '../../docs/language.md');
const markdown = readFileSync(path, 'utf8');
const blocks = codeBlocks(markdown);
const programs = blocks.filter((b) => b.lang === 'nn');

describe('docs/language.md', () => {
  test('has complete examples', () => {
    expect(programs.length).toBeGreaterThan(5);
  });

  for (const block of programs) {
    test(`the example at line ${block.open} checks without diagnostics`, () => {
      const { diagnostics, summary } = checkSource(block.text, { filename: `language.md:${block.open}` });
      expect(formatDiagnostics(diagnostics)).toBe('(no diagnostics)\n');
      expect(summary.length).toBeGreaterThan(0);
    });
  }

  const rewrites: Array<{ block: CodeBlock; text: string }> = [];
  blocks.forEach((block, index) => {
    const [commandLine = ''] = splitLines(block.text);
    const command = block.lang === 'text' ? parseCommand(commandLine) : undefined;
    if (!command) return;
    test(`the output at line ${block.open} is current`, () => {
      const program = blocks.slice(0, index).reverse().find((b) => b.lang === 'nn');
      expect(program, 'an output block needs a ```nn block before it').toBeDefined();
      const expected = `${commandLine}\n${runExample(program!.text, command).output}\n`;
      if (approving) rewrites.push({ block, text: expected });
      else expect(block.text, `output at line ${block.open} differs; re-approve with NNC_APPROVE=1`).toBe(expected);
    });
  });

  if (approving) {
    test('write the approved outputs', () => {
      if (rewrites.length > 0) writeFileSync(path, replaceBlocks(markdown, rewrites));
    });
  }
});
