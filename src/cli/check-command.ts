import { hasErrors } from '../diagnostics/diagnostic.js';
import { renderReport } from '../diagnostics/render.js';
import { renderSummaryTable } from '../format/summary-table.js';
import { colorEnabled } from './color.js';
import { ExitCode, type CliIO } from './io.js';
import { diagnosticJson, jsonText } from './json-output.js';
import { readSource } from './source.js';

export interface CheckFlags {
  model?: string;
  json?: boolean;
  color?: boolean;
}

/** `nnc check`: diagnostics on stderr, then the summary table of each model on stdout when there are no errors. */
export async function runCheck(file: string, flags: CheckFlags, io: CliIO): Promise<number> {
  const source = await readSource(io, file);
  if (!source) return ExitCode.usage;
  // Loaded on demand so that --help, --version and explain never pay for the parser and checker.
  const { check } = await import('../compile.js');
  // With --model the checker elaborates (and summarises) only that model, and reports E2015 if it does not exist.
  const { diagnostics, summary } = check(source.text, { filename: source.filename, model: flags.model });
  const ok = !hasErrors(diagnostics);

  if (flags.json) {
    io.stdout(jsonText({ ok, diagnostics: diagnostics.map((d) => diagnosticJson(d, source.filename)), summary }));
  } else {
    io.stderr(renderReport(diagnostics, source.text, source.filename, { color: colorEnabled(flags.color, io) }));
    if (ok && summary.length > 0) io.stdout(`${summary.map(renderSummaryTable).join('\n\n')}\n`);
  }
  return ok ? ExitCode.ok : ExitCode.errors;
}
