import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ExitCode } from '../../src/cli/io.js';
import { buildProgram, main } from '../../src/cli/main.js';
import { approving } from '../support/fixtures.js';
import { codeBlocks, replaceBlocks, splitLines, type CodeBlock } from './support/markdown.js';
import { memoryIO } from './support/memory-io.js';

/**
 * docs/cli.md against the real CLI: every ```console session is replayed through main() and
 * must print what the page shows (NNC_APPROVE=1 rewrites), and the options and exit codes
 * the page documents are exactly the ones nnc has.
 */
const root = join(import.meta.dirname, '../..');
const path = join(root, 'docs/cli.md');
const markdown = readFileSync(path, 'utf8');
const blocks = codeBlocks(markdown);

/** The repository's examples, plus every ```nn block of the page that starts with `# FILENAME`. */
function files(): Map<string, string> {
  const result = new Map<string, string>();
  for (const name of readdirSync(join(root, 'examples'))) {
    if (name.endsWith('.nn')) result.set(`examples/${name}`, readFileSync(join(root, 'examples', name), 'utf8'));
  }
  for (const block of blocks) {
    const name = /^# (\S+\.nn)\n/.exec(block.text)?.[1];
    if (block.lang === 'nn' && name) result.set(name, block.text);
  }
  return result;
}

/** Runs `$ nnc ARGS [> FILE]` and returns what a terminal would show: stderr, then stdout unless redirected. */
async function replay(commandLine: string): Promise<string> {
  const words = commandLine.slice('$ nnc '.length).split(' ');
  const redirect = words.indexOf('>');
  const argv = redirect >= 0 ? words.slice(0, redirect) : words;
  const memory = memoryIO(files());
  await main(argv, memory.io);
  return memory.stderr() + (redirect >= 0 ? '' : memory.stdout());
}

async function helpText(...command: string[]): Promise<string> {
  const memory = memoryIO(new Map());
  expect(await main([...command, '--help'], memory.io)).toBe(ExitCode.ok);
  return memory.stdout();
}

function optionsIn(help: string): string[] {
  return [...help.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]!).filter((o) => o !== '--help' && o !== '--version');
}

describe('docs/cli.md', () => {
  const sessions = blocks.filter((b) => b.lang === 'console');
  test('has console sessions', () => {
    expect(sessions.length).toBeGreaterThan(2);
  });

  const rewrites: Array<{ block: CodeBlock; text: string }> = [];
  for (const block of sessions) {
    test(`the session at line ${block.open} is what nnc prints`, async () => {
      const commands = splitLines(block.text).filter((line) => line.startsWith('$ '));
      expect(commands.length, 'a session starts with `$ nnc ...`').toBeGreaterThan(0);
      expect(block.text.startsWith('$ nnc ')).toBe(true);
      let expected = '';
      for (const command of commands) expected += `${command}\n${await replay(command)}`;
      expected = expected.replace(/\n*$/, '\n');
      if (approving) rewrites.push({ block, text: expected });
      else expect(block.text, `session at line ${block.open} differs; re-approve with NNC_APPROVE=1`).toBe(expected);
    });
  }

  test('documents every option of every command, and no other', async () => {
    const documented = new Set([...markdown.matchAll(/`(--[\w-]+)/g)].map((m) => m[1]!));
    const real = new Set<string>();
    for (const command of ['check', 'compile', 'gradcheck', 'probe', 'train', 'export', 'curves', 'explain', 'fmt', 'lsp', 'playground']) {
      for (const option of optionsIn(await helpText(command))) {
        real.add(option);
        expect(documented, `${command} ${option}`).toContain(option);
      }
    }
    expect([...documented].filter((o) => !real.has(o) && o !== '--help' && o !== '--version')).toEqual([]);
  });

  // Against commander's own definitions: each command's section has a table row for each of its options.
  const program = buildProgram(memoryIO(new Map()).io, () => undefined);
  for (const command of program.commands) {
    test(`the table of \`nnc ${command.name()}\` lists each of its options, and no other`, () => {
      const heading = markdown.indexOf(`\n## nnc ${command.name()}\n`);
      expect(heading, `a \`## nnc ${command.name()}\` section`).toBeGreaterThanOrEqual(0);
      const section = markdown.slice(heading + 1, markdown.indexOf('\n## ', heading + 1));
      const rows = splitLines(section).filter((line) => /^\| `-/.test(line));
      const listed = rows.flatMap((row) => [...row.split(' | ')[0]!.matchAll(/`(-{1,2}[\w-]+)/g)].map((m) => m[1]!)).filter((flag) => flag.startsWith('--'));
      const options = command.options.map((option) => option.long!).filter((flag) => flag !== '--help');
      expect([...new Set(listed)].sort()).toEqual(options.sort());
    });
  }

  test('help shows every default one way: `(default: X)` or `(choices: ...; default: X)`, unquoted', async () => {
    for (const command of program.commands) {
      const help = (await helpText(command.name())).replace(/\n {2,}(?=[^ -])/g, ' ');
      for (const line of help.split('\n').filter((l) => /^ {2}-/.test(l))) {
        const mentions = line.match(/default/g) ?? [];
        if (mentions.length === 0) continue;
        expect(mentions, line).toHaveLength(1);
        expect(line, line).toMatch(/ \((?:choices: [^";()]+; )?default: [^"()]+\)$/);
      }
    }
    expect(await helpText('gradcheck')).toMatch(/--batch <n> +batch size of the random inputs and targets \(default: 4\)/);
  });

  test('`train --help` marks --data as required, in the usage and in its description', async () => {
    const help = await helpText('train');
    expect(help).toMatch(/^Usage: nnc train --data <file> \[options\] <file>\n/);
    expect(help).toMatch(/--data <file> +\(required\) the training data/);
  });

  test('documents every exit status', () => {
    const rows = [...markdown.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    expect(rows.sort()).toEqual(Object.values(ExitCode).sort());
  });

  if (approving) {
    test('write the approved sessions', () => {
      if (rewrites.length > 0) writeFileSync(path, replaceBlocks(markdown, rewrites));
    });
  }
});
