import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { renderReport } from '../diagnostics/render.js';
import { renderSummaryTable } from '../format/summary-table.js';
import { colorEnabled } from './color.js';
import { expandInputs } from './input-files.js';
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

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * `nnc check FILE...`: diagnostics on stderr, then the summary table of each model on stdout for
 * the files without errors. Files, folders (their `.nn` files) and patterns, as eslint takes
 * them; with several files each one's tables follow its name, and one line sums the check up.
 */
export async function runCheck(args: string | readonly string[], flags: CheckFlags, io: CliIO): Promise<number> {
  const signalBand = parseBand(flags.signalBand, io);
  if (signalBand === null) return ExitCode.usage;
  const given = typeof args === 'string' ? [args] : args;
  const { files, errors } = await expandInputs(given, io);
  for (const error of errors) io.stderr(`error: ${error}\n`);
  if (files.length > 1 && flags.model !== undefined) {
    io.stderr('error: --model selects a model of one file; it cannot be used with several files\n');
    return ExitCode.usage;
  }
  // Loaded on demand so that --help, --version and explain never pay for the parser and checker.
  const { check } = await import('../compile.js');
  const color = colorEnabled(flags.color, io);
  const several = files.length > 1 || given.length > 1;
  const all: Diagnostic[] = [];
  const summaries: unknown[] = [];
  let unreadable = errors.length;
  let models = 0;
  let failed = 0;
  let tables = 0;
  for (const file of files) {
    const source = await readSource(io, file);
    if (!source) {
      unreadable++;
      continue;
    }
    // With --model the checker elaborates (and summarises) only that model, and reports E2015 if it does not exist.
    const { diagnostics, summary, ir } = check(source.text, { filename: source.filename, model: flags.model, ...(signalBand ? { signalBand } : {}) });
    const ok = !hasErrors(diagnostics);
    for (const d of diagnostics) all.push(diagnosticJson(d, source.filename)); // a broken file may have more than push(...) takes
    summaries.push(...summary.map((s) => ({ filename: source.filename, ...s })));
    models += summary.length;
    if (!ok) failed++;
    if (flags.json) continue;
    io.stderr(renderReport(diagnostics, source.text, source.filename, { color }));
    if (!ok || summary.length === 0) continue;
    const heading = several ? `${source.filename}\n` : '';
    let text = `${heading}${summary.map(renderSummaryTable).join('\n\n')}\n`;
    if (flags.depth && ir) {
      const { analyzeSignal } = await import('../analysis/signal.js');
      const { renderDepthTable } = await import('../format/depth-table.js');
      text += `\n${ir.models.map((m) => renderDepthTable(analyzeSignal(m))).join('\n\n')}\n`;
    }
    io.stdout(`${tables++ > 0 ? '\n' : ''}${text}`);
  }
  const ok = failed === 0 && unreadable === 0;
  if (flags.json) {
    io.stdout(jsonText({ ok, files: files.map((f) => (f === '-' ? '<stdin>' : f)), diagnostics: all, summary: summaries }));
  } else if (several) {
    const errorCount = all.filter((d) => d.severity === 'error').length;
    const warnings = all.filter((d) => d.severity === 'warning').length;
    const problems = errorCount === 0 ? 'no errors' : `${plural(errorCount, 'error')} in ${plural(failed, 'file')}`;
    const missing = unreadable > 0 ? `; ${plural(unreadable, 'argument')} could not be read` : '';
    io.stderr(`checked ${plural(files.length - (unreadable - errors.length), 'file')} (${plural(models, 'model')}): ${problems}, ${plural(warnings, 'warning')}${missing}\n`);
  }
  if (unreadable > 0) return ExitCode.usage;
  return failed > 0 ? ExitCode.errors : ExitCode.ok;
}
