import { describe, expect, test } from 'vitest';
import { Reporter } from '../../src/diagnostics/reporter.js';
import { parse } from '../../src/parse/parse.js';

/** Inputs the fuzz suite (test/fuzz) found or was written for, at the parser. */
describe('parse of hostile sources', () => {
  test('a NUL or U+FFFD makes one E1009 at the first of them, and nothing is lexed', () => {
    for (const [source, column] of [['model M {\n  a\u0000b \u0000 $ $ $', 4], ['\ufffd\ufffdPNG $ ( ( (', 1]] as const) {
      const reporter = new Reporter();
      const program = parse(source, reporter);
      expect(reporter.diagnostics.map((d) => d.code)).toEqual(['E1009']);
      expect(reporter.diagnostics[0]!.span.start.column).toBe(column);
      expect(program.declarations).toEqual([]);
    }
  });

  test('error recovery does not leave stack traces switched off', () => {
    // The parse turns V8's stack traces off while chevrotain throws to recover (parse.ts).
    const before = Error.stackTraceLimit;
    const reporter = new Reporter();
    parse(`model M {\n  input x: [4]\n  ozerosutput y = x${' -> relu'.repeat(50)}\n}`, reporter);
    expect(reporter.diagnostics.length).toBeGreaterThan(1);
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('here').stack).toContain('hostile-source.test.ts');
  });
});
