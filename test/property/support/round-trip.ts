import { expect } from 'vitest';
import { check } from '../../../src/compile.js';
import { Reporter } from '../../../src/diagnostics/reporter.js';
import type { Program } from '../../../src/parse/ast.js';
import { parse } from '../../../src/parse/parse.js';
import { printProgram } from '../../../src/print/print-program.js';

/** A deep copy without `span` fields: what two parses of differently laid out text share. */
export function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'span').map(([key, v]) => [key, withoutSpans(v)]));
}

/** The comments of a source, as the lexer finds them, without trailing blanks. */
export function commentTexts(source: string): string[] {
  return parse(source, new Reporter()).comments.map((c) => c.text.trimEnd());
}

export function parseClean(source: string, what: string): Program {
  const reporter = new Reporter();
  const program = parse(source, reporter);
  if (reporter.diagnostics.length > 0) {
    const listed = reporter.diagnostics.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.code} ${d.message}`);
    throw new Error(`${what} does not parse cleanly:\n${listed.join('\n')}`);
  }
  return program;
}

/**
 * Prints the source's AST and checks the round trip: the printed text parses to the same AST
 * (spans aside), checks to the same IR and diagnostics, and prints to itself.
 * Returns the printed text.
 */
export function expectRoundTrip(source: string): string {
  const printed = printProgram(parseClean(source, 'the source'), source);
  const reparsed = parseClean(printed, `the printed text\n${printed}`);
  expect(withoutSpans(reparsed.declarations), 'the printed text parses to the same AST').toEqual(withoutSpans(parseClean(source, 'the source').declarations));
  const [before, after] = [check(source), check(printed)];
  expect(after.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(before.diagnostics.map((d) => `${d.code} ${d.message}`));
  expect(withoutSpans(after.ir?.models), 'the printed text checks to the same IR').toEqual(withoutSpans(before.ir?.models));
  expect(printProgram(reparsed, printed), 'printing is idempotent').toBe(printed);
  expect(commentTexts(printed), 'every comment is kept, in order').toEqual(commentTexts(source));
  return printed;
}
