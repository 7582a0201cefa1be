import { renderDiagnostic } from '../../diagnostics/render.js';
import { colorEnabled } from '../color.js';
import { integerFlag } from '../integer-flag.js';
import { describeIoError, ExitCode, type CliIO } from '../io.js';
import { readSource, STDIN } from '../source.js';
import { expandInputs } from '../input-files.js';

export interface FmtFlags {
  check?: boolean;
  width?: string;
  color?: boolean;
}

/**
 * `nnc fmt PATH...`: rewrites each `.nn` file (folders and patterns expanded) in the canonical layout, in
 * place and atomically; `--check` only lists the files that would change (exit 1 when there
 * are any), as `gofmt -l` and `prettier --check` do; `-` formats stdin to stdout. A file with
 * syntax errors is left as it is, its diagnostics printed, and the exit code is 1.
 */
export async function runFmt(paths: string[], flags: FmtFlags, io: CliIO): Promise<number> {
  const width = integerFlag(io, '--width', flags.width, 1);
  if (width === null) return ExitCode.usage;
  if (paths.length === 0) {
    io.stderr('error: give the files or folders to format, or - for stdin\nusage: nnc fmt [options] <paths...>\n');
    return ExitCode.usage;
  }
  const { format } = await import('../../print/format.js');
  const color = colorEnabled(flags.color, io);
  const options = width === undefined ? {} : { width };

  if (paths.includes(STDIN)) {
    if (paths.length > 1) {
      io.stderr('error: `-` (stdin) cannot be combined with other paths\n');
      return ExitCode.usage;
    }
    const source = await readSource(io, STDIN);
    if (!source) return ExitCode.usage;
    const result = format(source.text, { ...options, filename: source.filename });
    if (!result.ok) {
      for (const d of result.diagnostics) io.stderr(`${renderDiagnostic(d, source.text, { filename: source.filename, color })}\n\n`);
      io.stderr(`error: \`${source.filename}\` has syntax errors; nothing was formatted\n`);
      return ExitCode.errors;
    }
    if (flags.check) {
      if (result.changed) io.stdout(`${source.filename}\n`);
      return result.changed ? ExitCode.errors : ExitCode.ok;
    }
    io.stdout(result.text);
    return ExitCode.ok;
  }

  // Files, folders (their .nn files) and quoted patterns, as `nnc check` takes them.
  const { files, errors } = await expandInputs(paths, io);
  for (const error of errors) io.stderr(`error: ${error}\n`);
  if (files.length === 0) return ExitCode.usage;
  let changed = 0;
  let broken = 0;
  let unreadable = errors.length;
  for (const file of files) {
    let raw: string;
    try {
      raw = await io.readFile(file);
    } catch (error) {
      io.stderr(`error: cannot read \`${file}\`: ${describeIoError(error)}\n`);
      unreadable++;
      continue;
    }
    // A byte order mark would shift every column of line 1; the formatted file has none.
    const text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
    const result = format(text, { ...options, filename: file });
    if (!result.ok) {
      broken++;
      for (const d of result.diagnostics) io.stderr(`${renderDiagnostic(d, text, { filename: file, color })}\n\n`);
      io.stderr(`error: \`${file}\` has syntax errors; left unformatted\n`);
      continue;
    }
    if (result.text === raw) continue;
    changed++;
    if (flags.check) {
      io.stdout(`${file}\n`);
      continue;
    }
    try {
      await io.writeFileAtomic(file, result.text);
    } catch (error) {
      io.stderr(`error: cannot write \`${file}\`: ${describeIoError(error)}\n`);
      unreadable++;
    }
  }
  io.stderr(summary(files.length, changed, broken, flags.check === true));
  if (unreadable > 0) return ExitCode.usage;
  return broken > 0 || (flags.check && changed > 0) ? ExitCode.errors : ExitCode.ok;
}

function summary(total: number, changed: number, broken: number, check: boolean): string {
  const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
  const parts = [check ? `${files(changed)} would be reformatted` : `${files(changed)} reformatted`, `${files(total - changed - broken)} already formatted`];
  if (broken > 0) parts.push(`${files(broken)} with syntax errors left unchanged`);
  return `${parts.join(', ')}\n`;
}
