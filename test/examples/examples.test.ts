import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { check } from '../../src/compile.js';
import { formatDiagnostics } from '../support/baseline.js';
import { expectFixture } from '../support/fixtures.js';
import { summaryText } from '../support/summary-text.js';

const examples = join(import.meta.dirname, '../../examples');
const files = readdirSync(examples).filter((f) => f.endsWith('.nn')).sort();

describe('examples', () => {
  test('the required examples exist', () => {
    for (const name of ['mlp', 'wide_deep', 'multi_input', 'siamese', 'residual', 'cnn', 'deep_linear']) {
      expect(files).toContain(`${name}.nn`);
    }
  });

  // deep_linear.nn exists to show the depth analysis: its warnings are the point of it.
  const expectedCodes: Record<string, string[]> = { 'deep_linear.nn': ['W6002', 'W6004', 'W6001', 'W6003'] };

  for (const file of files) {
    test(`${file} checks cleanly and its summary is stable`, () => {
      const result = check(readFileSync(join(examples, file), 'utf8'), { filename: file });
      if (expectedCodes[file]) expect(result.diagnostics.map((d) => d.code)).toEqual(expectedCodes[file]);
      else expect(formatDiagnostics(result.diagnostics)).toBe('(no diagnostics)\n');
      expect(result.summary.length).toBeGreaterThan(0);
      expectFixture(join(import.meta.dirname, 'summaries'), file.replace(/\.nn$/, '.txt'), result.summary.map(summaryText).join('\n'));
    });
  }
});
