import { describe, expect, test } from 'vitest';
import { check } from '../../src/compile.js';
import { createLanguageService } from '../../src/service/index.js';
import { allSources } from './support/sources.js';

/**
 * The editor shows what `nnc check` prints, nothing more and nothing less: on every example,
 * fixture and documentation block, the service's diagnostics are check()'s, with each span
 * as the same place in zero-based coordinates.
 */
const sources = allSources();

describe('diagnostics are those of nnc check', () => {
  test('there are sources to compare', () => {
    expect(sources.length).toBeGreaterThan(100);
    expect(sources.some((s) => check(s.text).diagnostics.length > 0)).toBe(true);
  });

  test.each(sources.map((s) => [s.name, s.text] as const))('%s', (name, text) => {
    const service = createLanguageService();
    const uri = `file:///${name}`;
    service.open(uri, text, 1);
    const zeroBased = (span: { start: { line: number; column: number }; end: { line: number; column: number } }) => ({
      start: { line: span.start.line - 1, character: span.start.column - 1 },
      end: { line: span.end.line - 1, character: span.end.column - 1 },
    });
    const expected = check(text, { filename: uri }).diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      range: zeroBased(d.span),
      labels: d.labels.map((l) => ({ range: zeroBased(l.span), message: l.message })),
      ...(d.help !== undefined ? { help: d.help } : {}),
    }));
    expect(service.diagnostics(uri)).toEqual(expected);
  });
});
