import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Diagnostic, Severity } from '../../src/diagnostics/diagnostic.js';
import { renderDiagnostic, renderOutcome, renderReport } from '../../src/diagnostics/render.js';
import type { Position, Span } from '../../src/diagnostics/span.js';
import { fixtureSuite } from '../support/fixtures.js';

/**
 * Golden tests: each folder under cases/ holds `input.nn`, `case.json` (hand-written diagnostics
 * with spans as `line:col..line:col`) and the expected rendering in `expected.txt`.
 */
interface CaseLabel {
  at: string;
  message: string;
}
interface CaseDiagnostic {
  code: string;
  severity: Severity;
  message: string;
  at: string;
  labels?: CaseLabel[];
  help?: string;
}
interface Case {
  filename: string;
  color?: boolean;
  diagnostics: CaseDiagnostic[];
}

function offsetOf(source: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = source.indexOf('\n', offset);
    offset = next < 0 ? source.length : next + 1;
  }
  return offset + column - 1;
}

/** `8:25..8:30` → a Span whose offsets agree with the source. */
export function spanAt(source: string, at: string): Span {
  const match = /^(\d+):(\d+)\.\.(\d+):(\d+)$/.exec(at);
  if (!match) throw new Error(`bad span ${at}`);
  const [line, column, endLine, endColumn] = match.slice(1).map(Number) as [number, number, number, number];
  const position = (l: number, c: number): Position => ({ line: l, column: c, offset: offsetOf(source, l, c) });
  return { start: position(line, column), end: position(endLine, endColumn) };
}

function toDiagnostic(source: string, d: CaseDiagnostic, filename: string): Diagnostic {
  const diagnostic: Diagnostic = {
    code: d.code,
    severity: d.severity,
    message: d.message,
    span: spanAt(source, d.at),
    labels: (d.labels ?? []).map((l) => ({ span: spanAt(source, l.at), message: l.message })),
    filename,
  };
  if (d.help !== undefined) diagnostic.help = d.help;
  return diagnostic;
}

const casesDir = join(import.meta.dirname, 'cases');

describe('rendered diagnostics', () => {
  fixtureSuite(casesDir, (input, folder) => {
    const spec = JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as Case;
    const diagnostics = spec.diagnostics.map((d) => toDiagnostic(input, d, spec.filename));
    return { 'expected.txt': renderReport(diagnostics, input, spec.filename, { color: spec.color ?? false }) };
  });
});

describe('renderDiagnostic', () => {
  const source = 'model M {\n  input x: [2]\n  output y = x -> dense(1)\n}\n';
  const base: Diagnostic = {
    code: 'E2003',
    severity: 'error',
    message: 'unknown layer `dense`',
    span: spanAt(source, '3:19..3:24'),
    labels: [],
  };

  test('falls back to the filename option, then to <input>', () => {
    expect(renderDiagnostic(base, source, { filename: 'm.nn' })).toContain(' --> m.nn:3:19');
    expect(renderDiagnostic(base, source)).toContain(' --> <input>:3:19');
    expect(renderDiagnostic({ ...base, filename: 'own.nn' }, source, { filename: 'm.nn' })).toContain(' --> own.nn:3:19');
  });

  test('a span past the end of the source keeps the header and location without a snippet', () => {
    const far = { ...base, span: spanAt(source + '\n'.repeat(20), '20:1..20:2'), help: 'h' };
    expect(renderDiagnostic(far, source)).toBe(
      ['error[E2003]: unknown layer `dense`', '  --> <input>:20:1', '   = help: h'].join('\n'),
    );
  });

  test('no ANSI escapes unless color is asked for', () => {
    expect(renderDiagnostic(base, source)).not.toContain('\u001b[');
    const colored = renderDiagnostic(base, source, { color: true });
    expect(colored).toContain('\u001b[1;31merror[E2003]\u001b[0m');
    expect(colored).toContain('\u001b[1;31m^^^^^\u001b[0m');
  });

  test('a warning is yellow when colored', () => {
    const warning: Diagnostic = { ...base, code: 'W3003', severity: 'warning', message: 'input `x` is never used' };
    expect(renderDiagnostic(warning, source, { color: true })).toContain('\u001b[1;33mwarning[W3003]\u001b[0m');
  });
});

describe('renderOutcome', () => {
  const d = (severity: Severity): Diagnostic => ({
    code: 'X',
    severity,
    message: 'm',
    span: spanAt('a', '1:1..1:2'),
    labels: [],
  });

  test.each([
    [['error'], 'error: could not compile `a.nn` due to 1 error'],
    [['error', 'error', 'warning'], 'error: could not compile `a.nn` due to 2 errors; 1 warning emitted'],
    [['error', 'warning', 'warning'], 'error: could not compile `a.nn` due to 1 error; 2 warnings emitted'],
    [['warning'], 'warning: `a.nn` generated 1 warning'],
    [['warning', 'warning', 'info'], 'warning: `a.nn` generated 2 warnings'],
  ] as Array<[Severity[], string]>)('%j', (severities, expected) => {
    expect(renderOutcome(severities.map(d), 'a.nn')).toBe(expected);
  });

  test('nothing to say without errors or warnings', () => {
    expect(renderOutcome([], 'a.nn')).toBeUndefined();
    expect(renderOutcome([d('info')], 'a.nn')).toBeUndefined();
    expect(renderReport([], 'a', 'a.nn')).toBe('');
  });
});
