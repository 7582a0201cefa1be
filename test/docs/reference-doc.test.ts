import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { referenceMarkdown, REFERENCE_HEADER } from '../../scripts/generate-reference.js';
import { Reporter } from '../../src/diagnostics/reporter.js';
import { parse } from '../../src/parse/parse.js';
import { registry } from '../../src/registry/registry.js';
import { anchors, codeBlocks } from './support/markdown.js';

const path = join(import.meta.dirname, '../../docs/reference.md');
const committed = readFileSync(path, 'utf8');

describe('docs/reference.md', () => {
  test('is what scripts/generate-reference.ts renders from the registry (run `npm run gen`)', async () => {
    expect(committed).toBe(await referenceMarkdown());
  });

  test('is rendered the same way every time', async () => {
    expect(await referenceMarkdown()).toBe(await referenceMarkdown());
  });

  test('says it is generated', () => {
    expect(committed.split('\n')[0]).toBe(REFERENCE_HEADER);
  });

  const names: Array<[string, string[]]> = [
    ['op', registry.opNames()],
    ['activation', registry.activationNames()],
    ['initializer', registry.initializerNames()],
    ['loss', registry.lossNames()],
    ['optimizer', registry.optimizerNames()],
    ['metric', registry.metricNames()],
  ];
  for (const [kind, list] of names) {
    test(`names every ${kind}, aliases included`, () => {
      expect(list.length).toBeGreaterThan(0);
      const missing = list.filter((name) => !committed.includes(`\`${name}\``) && !committed.includes(`\`${name}(`));
      expect(missing).toEqual([]);
    });
  }

  test('has a section, reachable by its anchor, for every op, initializer and optimizer', () => {
    const defined = anchors(committed);
    const expected = [
      ...registry.allOps().map((d) => d.name),
      ...registry.allInitializers().map((d) => d.name),
      ...registry.allOptimizers().map((d) => d.name),
    ];
    expect(expected.filter((name) => !defined.has(name))).toEqual([]);
  });

  test('shows every parameter of every op with its default', () => {
    for (const op of registry.allOps()) {
      for (const param of op.params) {
        const row = new RegExp(`^\\| \`${param.name}\` \\|.*\\| ${param.default === undefined ? 'required' : '`[^`]+`'} \\|`, 'm');
        const section = committed.slice(committed.indexOf(`### ${op.name}\n`));
        expect(section, `${op.name}(${param.name})`).toMatch(row);
      }
    }
  });

  test('op examples are valid statements', () => {
    const examples = codeBlocks(committed).filter((b) => b.lang === 'nn-fragment');
    expect(examples.length).toBe(registry.allOps().length);
    for (const example of examples) {
      const reporter = new Reporter();
      parse(`model Example {\n${example.text}}\n`, reporter);
      expect(reporter.diagnostics.map((d) => `${d.code} ${d.message}`), example.text).toEqual([]);
    }
  });
});
