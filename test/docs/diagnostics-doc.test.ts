import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { explanationSection } from '../../src/cli/explain-command.js';
import { diagnosticTable } from '../../src/diagnostics/codes.js';
import { approving } from '../support/fixtures.js';
import { replaceBlocks, sections, splitLines, type CodeBlock, type Section } from './support/markdown.js';
import { parseCommand, runExample } from './support/example-output.js';

/**
 * docs/diagnostics.md is what `nnc explain CODE` prints: one `## CODE: title` section per
 * code, each with an example that really produces the code and the output nnc gives for it.
 * The output blocks are re-approved with NNC_APPROVE=1 (review the diff of the doc).
 */
const path = join(import.meta.dirname, '../../docs/diagnostics.md');
const markdown = readFileSync(path, 'utf8');
const entries = Object.values(diagnosticTable);
const HEADING = /^([EW]\d{4}): (.+)$/;

const codeSections = new Map<string, Section[]>();
for (const section of sections(markdown)) {
  const match = HEADING.exec(section.heading);
  if (!match) continue;
  codeSections.set(match[1]!, [...(codeSections.get(match[1]!) ?? []), section]);
}

/** The section's example program and the output block after it. */
function example(section: Section): { program: CodeBlock; output: CodeBlock } {
  const index = section.blocks.findIndex((b) => b.lang === 'nn');
  expect(index, `${section.heading}: no \`\`\`nn example`).toBeGreaterThanOrEqual(0);
  const output = section.blocks.slice(index + 1).find((b) => b.lang === 'text');
  expect(output, `${section.heading}: no \`\`\`text output block after the example`).toBeDefined();
  return { program: section.blocks[index]!, output: output! };
}

describe('docs/diagnostics.md', () => {
  test('has exactly one `## CODE: title` section per code, with the table\'s title', () => {
    for (const entry of entries) {
      const found = codeSections.get(entry.code) ?? [];
      expect(found.length, `sections for ${entry.code}`).toBe(1);
      expect(found[0]!.heading).toBe(`${entry.code}: ${entry.title}`);
    }
  });

  test('has no section for a code that does not exist', () => {
    const known = new Set(entries.map((e) => e.code));
    expect([...codeSections.keys()].filter((code) => !known.has(code))).toEqual([]);
  });

  test('`nnc explain` finds each section, and only that section', () => {
    for (const entry of entries) {
      const section = explanationSection(markdown, entry.code);
      expect(section, entry.code).toBeDefined();
      expect(section!.startsWith(`## ${entry.code}: ${entry.title}\n`)).toBe(true);
      const headings = splitLines(section!).filter((line) => HEADING.test(line.replace(/^## /, '')) && line.startsWith('## '));
      expect(headings).toHaveLength(1);
    }
  });

  const rewrites: Array<{ block: CodeBlock; text: string }> = [];
  for (const entry of entries) {
    test(`the example for ${entry.code} produces ${entry.code}, and its output is current`, () => {
      const section = codeSections.get(entry.code)?.[0];
      expect(section, `no section for ${entry.code}`).toBeDefined();
      const { program, output } = example(section!);
      const [commandLine = ''] = splitLines(output.text);
      const command = parseCommand(commandLine);
      expect(command, `${entry.code}: the output block must start with \`$ nnc check FILE\` or \`$ nnc compile FILE\``).toBeDefined();
      const result = runExample(program.text, command!);
      expect(result.diagnostics.map((d) => d.code)).toContain(entry.code);
      const expected = `${commandLine}\n${result.output}\n`;
      if (approving) rewrites.push({ block: output, text: expected });
      else expect(output.text, `${entry.code}: output differs; re-approve with NNC_APPROVE=1`).toBe(expected);
    });
  }

  if (approving) {
    test('write the approved outputs', () => {
      writeFileSync(path, replaceBlocks(markdown, rewrites));
    });
  }
});
