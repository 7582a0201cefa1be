import { checkProgram } from './check/check-program.js';
import type { ElaborationTrace } from './check/trace.js';
import type { MomentTables } from './analysis/moments.js';
import type { CheckOptions } from './compile.js';
import { sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { Reporter } from './diagnostics/reporter.js';
import type { Program } from './parse/ast.js';
import { parse } from './parse/parse.js';

/**
 * Parse, then check: the one path behind `check`, `compile` and the language service, so that
 * an editor shows exactly the diagnostics `nnc check` prints. Never throws for anything in
 * `source`. Kept apart from compile.ts so that the language service does not load the code
 * generator. The two halves are separate so that the service can answer what needs only the
 * syntax (completion, symbols) before the check of a large file is done.
 */
export interface Parsed {
  program: Program;
  /** The parser's diagnostics, which the check adds to. */
  reporter: Reporter;
}

export function parseSource(source: string): Parsed {
  const reporter = new Reporter();
  return { program: parse(source, reporter), reporter };
}

export function checkParsed(
  parsed: Parsed,
  options: CheckOptions,
  extra: { requireOne?: boolean; trace?: ElaborationTrace; moments?: MomentTables } = {},
): { checked: ReturnType<typeof checkProgram>; diagnostics: Diagnostic[] } {
  const filename = options.filename ?? '<input>';
  // A reporter of its own, seeded with the parser's diagnostics: `parsed` can be checked again.
  const reporter = new Reporter();
  // A loop, not push(...): a file with a hundred thousand syntax errors would overflow the stack.
  for (const d of parsed.reporter.diagnostics) reporter.diagnostics.push(d);
  const checked = checkProgram(parsed.program, reporter, {
    filename,
    model: options.model,
    requireOne: extra.requireOne ?? false,
    signalBand: options.signalBand,
    trace: extra.trace,
    moments: extra.moments,
  });
  const diagnostics = sortDiagnostics(reporter.diagnostics.map((d) => ({ ...d, filename })));
  return { checked, diagnostics };
}

export function analyzeSource(
  source: string,
  options: CheckOptions,
  extra: { requireOne?: boolean; trace?: ElaborationTrace } = {},
): { program: Program; checked: ReturnType<typeof checkProgram>; diagnostics: Diagnostic[] } {
  const parsed = parseSource(source);
  return { program: parsed.program, ...checkParsed(parsed, options, extra) };
}
