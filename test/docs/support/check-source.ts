import { checkProgram } from '../../../src/check/check-program.js';
import { sortDiagnostics, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { Reporter } from '../../../src/diagnostics/reporter.js';
import { parse } from '../../../src/parse/parse.js';
import type { ModelSummary } from '../../../src/summary.js';

export interface CheckSourceOptions {
  filename?: string;
  model?: string;
  /** What `nnc compile` asks of a file: exactly one model, or one chosen with `--model`. */
  requireOne?: boolean;
}

/**
 * What `check()` (or the checking half of `compile()`) gives for `source`. This wires parse
 * and checkProgram as src/compile.ts does, without loading the code generator: the docs
 * describe what the checker reports, and `requireOne` is not exposed by `check`.
 */
export function checkSource(source: string, options: CheckSourceOptions = {}): { diagnostics: Diagnostic[]; summary: ModelSummary[] } {
  const filename = options.filename ?? '<input>';
  const reporter = new Reporter();
  const program = parse(source, reporter);
  const checked = checkProgram(program, reporter, { filename, model: options.model, requireOne: options.requireOne ?? false });
  return { diagnostics: sortDiagnostics(reporter.diagnostics.map((d) => ({ ...d, filename }))), summary: checked.summaries };
}
