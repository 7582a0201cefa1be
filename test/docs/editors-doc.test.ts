import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { format } from '../../src/print/format.js';
import { createLanguageService, type LanguageService } from '../../src/service/index.js';
import { approving } from '../support/fixtures.js';
import { withHints } from '../service/support/hints.js';
import { codeBlocks, replaceBlocks, splitLines, type CodeBlock } from './support/markdown.js';

/**
 * docs/editors.md shows real output. Each ```nn-before block is followed by the ```nn block
 * the formatter makes of it, and each ~~~text block that starts with a request (`hover FILE
 * LINE:COLUMN`, `inlay FILE`, `complete FILE LINE:COLUMN`, `signature FILE LINE:COLUMN`,
 * `fixes FILE`, `rename FILE LINE:COLUMN NAME`) shows the language service's answer.
 * FILE is an example, or a ```nn block of the page whose first line is `# FILE`.
 * NNC_APPROVE=1 rewrites the answers.
 */
const root = join(import.meta.dirname, '../..');
const path = join(root, 'docs/editors.md');
const markdown = readFileSync(path, 'utf8');
const blocks = codeBlocks(markdown);

function files(): Map<string, string> {
  const result = new Map<string, string>();
  for (const name of readdirSync(join(root, 'examples'))) if (name.endsWith('.nn')) result.set(`examples/${name}`, readFileSync(join(root, 'examples', name), 'utf8'));
  for (const block of blocks) {
    const name = /^# (\S+\.nn)\n/.exec(block.text)?.[1];
    if (block.lang === 'nn' && name) result.set(name, block.text);
  }
  return result;
}

const REQUEST = /^(hover|inlay|complete|signature|fixes|rename) (\S+)(?: (\d+):(\d+))?(?: (\S+))?$/;

function answer(request: string, service: LanguageService, sources: Map<string, string>): string {
  const match = REQUEST.exec(request)!;
  const [, kind, file, line, column, name] = match;
  const text = sources.get(file!);
  if (text === undefined) throw new Error(`${request}: no file ${file}`);
  service.open(file!, text, 1);
  const position = { line: Number(line) - 1, character: Number(column) - 1 };
  switch (kind) {
    case 'hover':
      return service.hover(file!, position)?.contents ?? '(nothing)';
    case 'inlay':
      return withHints(text, service.inlayHints(file!)).trimEnd();
    case 'complete':
      return service.completions(file!, position).slice(0, 12).map((c) => `${c.label.padEnd(24)} ${c.detail ?? ''}`.trimEnd()).join('\n');
    case 'signature': {
      const help = service.signatureHelp(file!, position);
      return help ? `${help.label}\nactive: ${help.parameters[help.activeParameter]?.label ?? '(none)'}` : '(nothing)';
    }
    case 'fixes':
      return service.codeActions(file!, { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } }).map((a) => `${a.diagnostic?.code ?? a.kind}: ${a.title}`).join('\n');
    case 'rename': {
      const result = service.rename(file!, position, name!);
      return result.ok ? `${result.edits.length} edits` : result.reason;
    }
  }
  throw new Error(`unknown request ${request}`);
}

describe('docs/editors.md', () => {
  test('has formatting examples and service answers', () => {
    expect(blocks.filter((b) => b.lang === 'nn-before').length).toBeGreaterThan(0);
    expect(blocks.filter((b) => b.lang === 'text' && REQUEST.test(splitLines(b.text)[0]!)).length).toBeGreaterThan(5);
  });

  blocks.forEach((block, index) => {
    if (block.lang !== 'nn-before') return;
    test(`the layout at line ${block.open} is what the formatter makes of the block before it`, () => {
      const after = blocks[index + 1];
      expect(after?.lang, 'an ```nn-before block is followed by its ```nn block').toBe('nn');
      const result = format(block.text);
      expect(result.ok && result.text).toBe(after!.text);
    });
  });

  const rewrites: Array<{ block: CodeBlock; text: string }> = [];
  const sources = files();
  for (const block of blocks) {
    const [request = ''] = splitLines(block.text);
    if (block.lang !== 'text' || !REQUEST.test(request)) continue;
    test(`the answer at line ${block.open} is the service's`, () => {
      const expected = `${request}\n${answer(request, createLanguageService(), sources)}\n`;
      if (approving) rewrites.push({ block, text: expected });
      else expect(block.text, `answer at line ${block.open} differs; re-approve with NNC_APPROVE=1`).toBe(expected);
    });
  }

  if (approving) {
    test('write the approved answers', () => {
      if (rewrites.length > 0) writeFileSync(path, replaceBlocks(markdown, rewrites));
    });
  }
});
