import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { codeBlocks, splitLines } from './support/markdown.js';
import { memoryIO } from './support/memory-io.js';

/** The sessions in docs/gradient-checking.md are what `nnc gradcheck` really prints. */
const root = join(import.meta.dirname, '../..');
const markdown = readFileSync(join(root, 'docs/gradient-checking.md'), 'utf8');
const examples = new Map(
  readdirSync(join(root, 'examples'))
    .filter((n) => n.endsWith('.nn'))
    .map((n) => [`examples/${n}`, readFileSync(join(root, 'examples', n), 'utf8')]),
);

describe('docs/gradient-checking.md', () => {
  const sessions = codeBlocks(markdown).filter((b) => b.lang === 'console');
  test('has sessions', () => expect(sessions.length).toBeGreaterThanOrEqual(2));
  for (const block of sessions) {
    test(`the session at line ${block.open} is what nnc prints`, async () => {
      const [command] = splitLines(block.text);
      const memory = memoryIO(examples);
      await main(command!.slice('$ nnc '.length).split(' '), memory.io);
      expect(block.text).toBe(`${command}\n${memory.stderr()}${memory.stdout()}`);
    });
  }
});
