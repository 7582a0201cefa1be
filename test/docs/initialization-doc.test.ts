import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { erf } from '../../src/reference/kernels/erf.js';
import { registry } from '../../src/registry/registry.js';
import { approving } from '../support/fixtures.js';
import { anchors, codeBlocks, links, replaceBlocks, splitLines, type CodeBlock } from './support/markdown.js';
import { memoryIO } from './support/memory-io.js';

/**
 * docs/initialization.md against nnc: every ```console session is what nnc prints (stderr, then
 * stdout), a chart a session writes under docs/ is the committed file, the initializer table
 * and the advice follow the registry, and the numbers quoted for tfjs's truncated normal are
 * the mathematics. NNC_APPROVE=1 rewrites the sessions and the chart.
 */
const root = join(import.meta.dirname, '../..');
const path = join(root, 'docs/initialization.md');
const markdown = readFileSync(path, 'utf8');
const examples = () =>
  new Map(
    readdirSync(join(root, 'examples'))
      .filter((n) => n.endsWith('.nn'))
      .map((n) => [`examples/${n}`, readFileSync(join(root, 'examples', n), 'utf8')]),
  );

describe('docs/initialization.md', () => {
  const sessions = codeBlocks(markdown).filter((b) => b.lang === 'console');
  test('has sessions of nnc check and nnc probe', () => {
    const commands = sessions.map((b) => splitLines(b.text)[0]!);
    expect(commands.some((c) => c.startsWith('$ nnc check '))).toBe(true);
    expect(commands.some((c) => c.startsWith('$ nnc probe ') && c.includes(' --svg '))).toBe(true);
  });

  const rewrites: Array<{ block: CodeBlock; text: string }> = [];
  for (const block of sessions) {
    test(`the session at line ${block.open} is what nnc prints`, async () => {
      const [command] = splitLines(block.text);
      expect(command).toMatch(/^\$ nnc /);
      const files = examples();
      const before = new Set(files.keys());
      const memory = memoryIO(files);
      await main(command!.slice('$ nnc '.length).split(' '), memory.io);
      const expected = `${command}\n${memory.stderr()}${memory.stdout()}`;
      for (const [name, content] of files) {
        if (before.has(name)) continue;
        expect(name.startsWith('docs/'), `${name}: a session writes its files under docs/`).toBe(true);
        if (approving) writeFileSync(join(root, name), content);
        else expect(readFileSync(join(root, name), 'utf8'), `${name} differs; re-approve with NNC_APPROVE=1`).toBe(content);
      }
      if (approving) rewrites.push({ block, text: expected });
      else expect(block.text, `session at line ${block.open} differs; re-approve with NNC_APPROVE=1`).toBe(expected);
    });
  }

  test('the model shown is the example\'s own text', () => {
    const blocks = codeBlocks(markdown).filter((b) => b.lang === 'nn');
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(examples().get('examples/deep_linear.nn')).toContain(block.text);
  });

  test('links and images resolve', () => {
    const broken = links(markdown).filter((link) => {
      const target = join(root, 'docs', link.file === '' ? 'initialization.md' : link.file);
      if (!existsSync(target)) return true;
      return link.anchor !== undefined && !anchors(readFileSync(target, 'utf8')).has(link.anchor);
    });
    expect(broken).toEqual([]);
  });

  test('the initializer table gives each scheme\'s formula as the registry defines it', () => {
    for (const name of ['lecun', 'he', 'xavier', 'lecun_uniform', 'he_uniform', 'xavier_uniform']) {
      const row = markdown.split('\n').find((line) => line.startsWith(`| \`${name}\``));
      expect(row, name).toBeDefined();
      expect(row, name).toContain(`\`${registry.initializer(name)!.formula}\``);
    }
  });

  test('the advice per activation is what init=auto picks', () => {
    for (const [activation, init] of [['relu', 'he'], ['tanh', 'xavier'], ['selu', 'lecun']] as const) {
      expect(registry.activation(activation)!.autoInit).toBe(init);
      expect(markdown).toContain(`\`${init}\` for \`${activation}\``);
    }
  });

  test('the truncated normal\'s variance is the quoted 0.774, and 50 layers of it 3·10⁻⁶', () => {
    // N(0, 1) truncated to ±2: variance 1 − 2·2·φ(2) / (Φ(2) − Φ(−2)).
    const phi = Math.exp(-2) / Math.sqrt(2 * Math.PI);
    const variance = 1 - (4 * phi) / erf(2 / Math.SQRT2);
    expect(variance.toFixed(3)).toBe('0.774');
    expect(markdown).toContain('0.774');
    expect((variance ** 50).toExponential(0)).toBe('3e-6');
    expect(markdown).toContain('3·10⁻⁶');
  });

  if (approving) {
    test('write the approved sessions', () => {
      if (rewrites.length > 0) writeFileSync(path, replaceBlocks(markdown, rewrites));
    });
  }
});
