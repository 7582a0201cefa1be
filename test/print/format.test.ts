import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { format } from '../../src/print/format.js';
import { fixtureSuite } from '../support/fixtures.js';
import { expectRoundTrip } from '../property/support/round-trip.js';

/**
 * The formatter's layout, one fixture folder per construct: `input.nn` formats to the committed
 * `output.nn` (NNC_APPROVE=1 re-approves), which formats to itself, keeps every comment and
 * parses and checks to what the input does.
 */
describe('format fixtures', () => {
  fixtureSuite(join(import.meta.dirname, 'fixtures'), (input) => {
    const result = format(input);
    if (!result.ok) throw new Error(`the fixture does not parse: ${result.diagnostics[0]!.message}`);
    expect(expectRoundTrip(input)).toBe(result.text);
    return { 'output.nn': result.text };
  });
});

describe('format', () => {
  test('refuses a file with syntax errors and gives their diagnostics', () => {
    const result = format('model M {\n  input x: [4]\n  output y = x -> dense(1;\n}\n', { filename: 'bad.nn' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics.map((d) => [d.code, d.filename, d.span.start.line])).toEqual([['E1001', 'bad.nn', 3]]);
  });

  test('says whether anything changed', () => {
    const once = format('model M{input x:[1] output y=x}');
    expect(once).toMatchObject({ ok: true, changed: true });
    if (once.ok) expect(format(once.text)).toMatchObject({ ok: true, changed: false });
  });

  test('breaks at the width it is given', () => {
    const source = 'model M {\n  input x: [4]\n  output y = x -> dense(8, relu) -> dense(1)\n}\n';
    expect(format(source, { width: 30 })).toMatchObject({ text: 'model M {\n  input x: [4]\n  output y = x\n    -> dense(8, relu)\n    -> dense(1)\n}\n' });
    expect(format(source, { width: 80 })).toMatchObject({ changed: false });
  });

  test('writes line feeds whatever the source had', () => {
    expect(format('model M {\r\n  input x: [1]\r\n  output y = x\r\n}\r\n')).toMatchObject({ text: 'model M {\n  input x: [1]\n  output y = x\n}\n' });
  });
});
