import { integer, isString, requireOptions, requireSource } from '../api-arguments.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { Reporter } from '../diagnostics/reporter.js';
import { parse } from '../parse/parse.js';
import { printProgram, type PrintOptions } from './print-program.js';

export type FormatResult =
  | { ok: true; text: string; changed: boolean }
  /** The source does not parse: it is not formatted, and these are the syntax errors. */
  | { ok: false; diagnostics: Diagnostic[] };

/**
 * Formats `.nn` source in the canonical layout, comments included. A source with syntax
 * errors is refused rather than printed from what the parser recovered, which could drop
 * the text it skipped. Never throws for anything in `source`.
 */
export function format(source: string, options: PrintOptions & { filename?: string } = {}): FormatResult {
  requireSource('format', source);
  requireOptions('format', options, { filename: isString, width: integer(1) });
  const reporter = new Reporter();
  const program = parse(source, reporter);
  if (reporter.diagnostics.length > 0) {
    const filename = options.filename ?? '<input>';
    return { ok: false, diagnostics: reporter.diagnostics.map((d) => ({ ...d, filename })) };
  }
  const text = printProgram(program, source, options);
  return { ok: true, text, changed: text !== source };
}
