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
  depth?: boolean;
  signalBand?: string;
}

/** `1e-3,1e3` → [0.001, 1000]; undefined after reporting a malformed value. */
export function parseBand(text: string | undefined, io: CliIO): readonly [number, number] | undefined | null {
  if (text === undefined) return undefined;
  const parts = text.split(',').map(Number);
  if (parts.length !== 2 || !(parts[0]! > 0) || !(parts[1]! > parts[0]!) || !Number.isFinite(parts[1]!)) {
    io.stderr(`error: --signal-band takes LOW,HIGH with 0 < LOW < HIGH, e.g. 1e-3,1e3; found \`${text}\`\n`);
    return null;
  }
  return [parts[0]!, parts[1]!];
}

/** `nnc check`: diagnostics on stderr, then the summary table of each model on stdout when there are no errors. */
export async function runCheck(file: string, flags: CheckFlags, io: CliIO): Promise<number> {
  const signalBand = parseBand(flags.signalBand, io);
  if (signalBand === null) return ExitCode.usage;
  const source = await readSource(io, file);
  if (!source) return ExitCode.usage;
  // Loaded on demand so that --help, --version and explain never pay for the parser and checker.
  const { check } = await import('../compile.js');
  // With --model the checker elaborates (and summarises) only that model, and reports E2015 if it does not exist.
  const { diagnostics, summary, ir } = check(source.text, { filename: source.filename, model: flags.model, ...(signalBand ? { signalBand } : {}) });
  const ok = !hasErrors(diagnostics);

  if (flags.json) {
    io.stdout(jsonText({ ok, diagnostics: diagnostics.map((d) => diagnosticJson(d, source.filename)), summary }));
  } else {
    io.stderr(renderReport(diagnostics, source.text, source.filename, { color: colorEnabled(flags.color, io) }));
    if (ok && summary.length > 0) io.stdout(`${summary.map(renderSummaryTable).join('\n\n')}\n`);
    if (ok && flags.depth && ir) {
      const { analyzeSignal } = await import('../analysis/signal.js');
      const { renderDepthTable } = await import('../format/depth-table.js');
      io.stdout(`\n${ir.models.map((m) => renderDepthTable(analyzeSignal(m))).join('\n\n')}\n`);
    }
  }
  return ok ? ExitCode.ok : ExitCode.errors;
}
