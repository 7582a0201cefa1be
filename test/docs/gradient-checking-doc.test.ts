import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { approving } from '../support/fixtures.js';
import { codeBlocks, replaceBlocks, splitLines, type CodeBlock } from './support/markdown.js';
import { memoryIO } from './support/memory-io.js';

/**
 * The sessions in docs/gradient-checking.md are what `nnc gradcheck` really prints, on the
 * examples and on the page's own ```nn blocks that start with `# FILENAME`. NNC_APPROVE=1
 * rewrites them.
 */
const root = join(import.meta.dirname, '../..');
const path = join(root, 'docs/gradient-checking.md');
const markdown = readFileSync(path, 'utf8');
const files = () => {
  const result = new Map(
    readdirSync(join(root, 'examples'))
      .filter((n) => n.endsWith('.nn'))
      .map((n) => [`examples/${n}`, readFileSync(join(root, 'examples', n), 'utf8')]),
  );
  for (const block of codeBlocks(markdown)) {
    const name = /^# (\S+\.nn)\n/.exec(block.text)?.[1];
    if (block.lang === 'nn' && name) result.set(name, block.text);
  }
  return result;
};

describe('docs/gradient-checking.md', () => {
  const sessions = codeBlocks(markdown).filter((b) => b.lang === 'console');
  test('has sessions', () => expect(sessions.length).toBeGreaterThanOrEqual(2));
  const rewrites: Array<{ block: CodeBlock; text: string }> = [];
  for (const block of sessions) {
    test(`the session at line ${block.open} is what nnc prints`, async () => {
      const [command] = splitLines(block.text);
      const memory = memoryIO(files());
      await main(command!.slice('$ nnc '.length).split(' '), memory.io);
      const expected = `${command}\n${memory.stderr()}${memory.stdout()}`;
      if (approving) rewrites.push({ block, text: expected });
      else expect(block.text, `session at line ${block.open} differs; re-approve with NNC_APPROVE=1`).toBe(expected);
    });
  }
  afterAll(() => {
    if (rewrites.length > 0) writeFileSync(path, replaceBlocks(markdown, rewrites));
  });
});
