import type { CliIO } from './io.js';
import { jsonText } from './json-output.js';

/** The commands with `--json`; `--` ends the options, so a file named `--json` after it does not count. */
const JSON_COMMANDS = new Set(['check', 'compile', 'gradcheck', 'probe', 'export']);

export function jsonMode(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const options = end >= 0 ? argv.slice(0, end) : argv;
  return options.includes('--json') && options.some((arg) => JSON_COMMANDS.has(arg));
}

/** An error a command printed: its `error:` line, and the `help:`, `note:` and other lines after it. */
export interface JsonError {
  message: string;
  help?: string;
  notes?: string[];
}

/**
 * With `--json`, everything goes to stdout as one JSON object, errors that are not about the
 * source too (a missing file, a bad option, an unwritable output, an internal error): the
 * command's messages on stderr are collected and, at the end, added to its JSON as `errors`
 * (with `ok: false`), or make up `{ ok: false, diagnostics: [], errors }` when it printed none.
 * Output that is not JSON, such as `--help`, passes through as it is.
 */
export class JsonCapture {
  readonly io: CliIO;
  private out = '';
  private err = '';

  constructor(private readonly target: CliIO) {
    this.io = { ...target, stdout: (text) => void (this.out += text), stderr: (text) => void (this.err += text) };
  }

  finish(): void {
    const { errors, notes } = parseMessages(this.err);
    let result: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = this.out.trim() === '' ? {} : JSON.parse(this.out);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) result = parsed as Record<string, unknown>;
    } catch {
      result = undefined;
    }
    if (!result || (errors.length === 0 && notes.length === 0) || (errors.length === 0 && this.out.trim() === '')) {
      // Not JSON (help text), or nothing at all: as the command wrote it.
      this.target.stdout(this.out);
      this.target.stderr(this.err);
      return;
    }
    const extra = { ...(errors.length > 0 ? { ok: false, diagnostics: result.diagnostics ?? [], errors } : {}), ...(notes.length > 0 ? { notes } : {}) };
    this.target.stdout(jsonText({ ...result, ...extra }));
  }
}

/** `error:` lines with what follows them; lines before any error are notes, which change nothing. */
function parseMessages(text: string): { errors: JsonError[]; notes: string[] } {
  const errors: JsonError[] = [];
  const notes: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const error = /^error: (.*)$/.exec(line);
    if (error) {
      errors.push({ message: error[1]! });
      continue;
    }
    const last = errors.at(-1);
    const help = /^help: (.*)$/.exec(line);
    if (last && help && last.help === undefined) last.help = help[1]!;
    else if (last) (last.notes ??= []).push(line.replace(/^note: /, ''));
    else notes.push(line.replace(/^note: /, ''));
  }
  return { errors, notes };
}
