import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capturingNodeIO } from '../onnx/support.js';
import { approving } from '../support/fixtures.js';
import { DEBIAN_PYTHON, hasSystemDependency } from '../support/system-deps.js';
import { codeBlocks, replaceBlocks, type CodeBlock } from './support/markdown.js';

/**
 * docs/onnx.md against the real CLI and runtimes: its console sessions are replayed in order in
 * a fresh folder (with the examples), on the real file system; the Node snippet and the Python
 * snippet that reads the model run there, and print what the page says. Figures that depend on
 * float rounding (1.23e-8) are compared by form, not by value. NNC_APPROVE=1 rewrites the page.
 */

const root = join(import.meta.dirname, '../..');
const path = join(root, 'docs/onnx.md');
const markdown = readFileSync(path, 'utf8');
const blocks = codeBlocks(markdown);
const sessions = blocks.filter((b) => b.lang === 'console');

/** The text block that shows what the code block before it prints. */
const printed = (block: CodeBlock): CodeBlock => blocks[blocks.indexOf(block) + 1]!;
const figures = (text: string): string => text.replace(/\d\.\d\de[-+]\d+/g, 'N.NNe-N');

let cwd: string;
let home: string;
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'nnc-onnx-doc-'));
  symlinkSync(join(root, 'examples'), join(cwd, 'examples'));
  for (const block of blocks) {
    const name = /^# (\S+\.nn)\n/.exec(block.text)?.[1];
    if (block.lang === 'nn' && name) writeFileSync(join(cwd, name), block.text);
  }
  home = process.cwd();
  process.chdir(cwd);
});
afterAll(() => {
  process.chdir(home);
  rmSync(cwd, { recursive: true, force: true });
});

const rewrites: Array<{ block: CodeBlock; text: string }> = [];

describe('docs/onnx.md', () => {
  // In page order: later sessions use what earlier ones wrote (iris.onnx, runs/Iris).
  test('replays its console sessions', async () => {
    expect(sessions.length).toBeGreaterThan(2);
    for (const block of sessions) {
      let shown = '';
      for (const command of block.text.split('\n').filter((l) => l.startsWith('$ nnc '))) {
        const capture = capturingNodeIO();
        const code = await main(command.slice('$ nnc '.length).split(' '), capture.io);
        expect(code, `${command}\n${capture.stderr()}`).toBe(0);
        shown += `${command}\n${capture.stderr()}${capture.stdout()}`;
      }
      shown = shown.replace(/\n*$/, '\n');
      if (approving) rewrites.push({ block, text: shown });
      else expect(figures(block.text), `session at line ${block.open}; re-approve with NNC_APPROVE=1`).toBe(figures(shown));
    }
  }, 120_000);

  test('its Node snippet runs and prints what the page shows', () => {
    const snippet = blocks.find((b) => b.lang === 'js' && b.text.startsWith('// predict.mjs'))!;
    // Inside the repository, so that `onnxruntime-web` resolves from its node_modules.
    const dir = join(root, 'test/.tmp/onnx-doc');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'predict.mjs'), snippet.text);
    const run = spawnSync(process.execPath, [join(dir, 'predict.mjs')], { cwd, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(printed(snippet).text);
  });

  test.skipIf(!hasSystemDependency('python3-onnx'))('its Python snippet with the onnx package runs and prints what the page shows', () => {
    const snippet = blocks.find((b) => b.lang === 'python' && b.text.startsWith('import onnx\n'))!;
    const run = spawnSync(DEBIAN_PYTHON, ['-c', snippet.text], { cwd, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(printed(snippet).text);
  });

  if (approving) {
    test('write the approved sessions', () => {
      if (rewrites.length > 0) writeFileSync(path, replaceBlocks(markdown, rewrites));
    });
  }
});
