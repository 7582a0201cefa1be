import { checkProgram } from './check/check-program.js';
import type { ElaborationTrace } from './check/trace.js';
import type { CheckOptions } from './compile.js';
import { sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { Reporter } from './diagnostics/reporter.js';
import type { Program } from './parse/ast.js';
import { parse } from './parse/parse.js';

/**
 * Parse and check: the one path behind `check`, `compile` and the language service, so that
 * an editor shows exactly the diagnostics `nnc check` prints. Never throws for anything in
 * `source`. Kept apart from compile.ts so that the language service does not load the code
 * generator.
 */
export function analyzeSource(
  source: string,
  options: CheckOptions,
  extra: { requireOne?: boolean; trace?: ElaborationTrace } = {},
): { program: Program; checked: ReturnType<typeof checkProgram>; diagnostics: Diagnostic[] } {
  const filename = options.filename ?? '<input>';
  const reporter = new Reporter();
  const program = parse(source, reporter);
  const checked = checkProgram(program, reporter, {
    filename,
    model: options.model,
    requireOne: extra.requireOne ?? false,
    signalBand: options.signalBand,
    trace: extra.trace,
  });
  const diagnostics = sortDiagnostics(reporter.diagnostics.map((d) => ({ ...d, filename })));
  return { program, checked, diagnostics };
}
