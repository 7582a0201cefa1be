import type { Diagnostic, Severity } from './diagnostic.js';
import type { Span } from './span.js';
import { visibleInline, visibleText } from './visible.js';

/**
 * rustc-style rendering of diagnostics against their source text:
 *
 *     error[E2001]: cannot find `hiden` in this scope
 *      --> examples/wide_deep.nn:8:25
 *       |
 *     8 |   merged = concat(wide, hiden)
 *       |                         ^^^^^
 *       |
 *       = help: did you mean `hidden`?
 *
 * Pure string building so the CLI, the playground and baseline tests share it.
 */
export interface RenderOptions {
  /** Wrap parts in ANSI colors; the caller decides (TTY, NO_COLOR, --color). */
  color?: boolean;
  /** Shown when a diagnostic carries no filename of its own. */
  filename?: string;
}

/** rustc replaces each tab by four spaces, so carets line up whatever the terminal's tab stops. */
const TAB = '    ';

const ansi = {
  bold: '1',
  red: '31',
  yellow: '33',
  blue: '34',
  cyan: '36',
} as const;

type Style = (text: string) => string;

interface Palette {
  severity: (severity: Severity) => Style;
  gutter: Style;
  bold: Style;
  secondary: Style;
}

function palette(color: boolean): Palette {
  const style =
    (...codes: string[]): Style =>
    (text) =>
      color && text !== '' ? `\u001b[${codes.join(';')}m${text}\u001b[0m` : text;
  const bySeverity: Record<Severity, Style> = {
    error: style(ansi.bold, ansi.red),
    warning: style(ansi.bold, ansi.yellow),
    info: style(ansi.bold, ansi.cyan),
  };
  return {
    severity: (severity) => bySeverity[severity],
    gutter: style(ansi.bold, ansi.blue),
    bold: style(ansi.bold),
    secondary: style(ansi.bold, ansi.blue),
  };
}

/** One underline: display columns [start, end) of a source line. */
interface Annotation {
  line: number;
  start: number;
  end: number;
  primary: boolean;
  message: string;
}

/** Control characters of the source are shown one column each (visible.ts), so carets stay aligned. */
function splitLines(source: string): string[] {
  return source.split('\n').map((line) => visibleText(line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** Terminal columns taken by `text` once tabs are expanded; a surrogate pair is one column. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += char === '\t' ? TAB.length : 1;
  return width;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

function annotate(span: Span, lines: readonly string[], primary: boolean, message: string): Annotation | undefined {
  const text = lines[span.start.line - 1];
  if (text === undefined) return undefined;
  const startIndex = clamp(span.start.column - 1, 0, text.length);
  // A span over several lines is underlined up to the end of its first line.
  const endIndex =
    span.end.line === span.start.line ? clamp(span.end.column - 1, startIndex, text.length) : text.length;
  const start = displayWidth(text.slice(0, startIndex));
  const end = Math.max(displayWidth(text.slice(0, endIndex)), start + 1);
  return { line: span.start.line, start, end, primary, message };
}

/** Primary first, then secondary labels left to right; each on its own line under the source. */
function annotationOrder(a: Annotation, b: Annotation): number {
  return Number(b.primary) - Number(a.primary) || a.start - b.start;
}

export function renderDiagnostic(diagnostic: Diagnostic, source: string, options: RenderOptions = {}): string {
  const paint = palette(options.color ?? false);
  const lines = splitLines(source);
  const annotations = [
    annotate(diagnostic.span, lines, true, ''),
    ...diagnostic.labels.map((label) => annotate(label.span, lines, false, label.message)),
  ].filter((a): a is Annotation => a !== undefined);

  const shown = [...new Set(annotations.map((a) => a.line))].sort((a, b) => a - b);
  // A single unannotated line between two shown ones costs no more than `...` and reads better.
  const withBridges = shown.flatMap((line, i) => (i > 0 && line - shown[i - 1]! === 2 ? [line - 1, line] : [line]));
  const width = String(Math.max(diagnostic.span.start.line, ...withBridges)).length;
  const pad = ' '.repeat(width);
  const bar = paint.gutter('|');

  const filename = visibleInline(diagnostic.filename ?? options.filename ?? '<input>');
  const header = `${paint.severity(diagnostic.severity)(`${diagnostic.severity}[${diagnostic.code}]`)}${paint.bold(`: ${visibleInline(diagnostic.message)}`)}`;
  const out = [header, `${pad}${paint.gutter('-->')} ${filename}:${diagnostic.span.start.line}:${diagnostic.span.start.column}`];

  if (withBridges.length > 0) {
    out.push(`${pad} ${bar}`);
    let previous: number | undefined;
    for (const line of withBridges) {
      if (previous !== undefined && line > previous + 1) out.push(paint.gutter('...'));
      previous = line;
      const here = annotations.filter((x) => x.line === line);
      const { text, shift } = lineWindow(lines[line - 1]!.replaceAll('\t', TAB).trimEnd(), here);
      out.push(`${paint.gutter(String(line).padEnd(width))} ${bar}${text === '' ? '' : ` ${text}`}`);
      for (const a of here.map((x) => ({ ...x, start: x.start - shift, end: Math.min(x.end - shift, Math.max(text.length, x.start - shift + 1)) })).sort(annotationOrder)) {
        const style = a.primary ? paint.severity(diagnostic.severity) : paint.secondary;
        const marker = (a.primary ? '^' : '-').repeat(a.end - a.start);
        const label = a.message === '' ? marker : `${marker} ${visibleInline(a.message)}`;
        out.push(`${pad} ${bar} ${' '.repeat(a.start)}${style(label)}`);
      }
    }
  }
  if (diagnostic.help !== undefined) {
    if (withBridges.length > 0) out.push(`${pad} ${bar}`);
    out.push(`${pad} ${paint.gutter('=')} ${paint.bold('help')}: ${visibleInline(diagnostic.help)}`);
  }
  return out.join('\n');
}

/** Longer source lines (a minified or binary file) are cut to a window around their annotations. */
const MAX_LINE = 240;
const CONTEXT = 40;

function lineWindow(text: string, annotations: readonly Annotation[]): { text: string; shift: number } {
  if (text.length <= MAX_LINE) return { text, shift: 0 };
  const first = Math.min(...annotations.map((a) => a.start));
  const shift = first > CONTEXT * 2 ? first - CONTEXT : 0;
  const end = Math.min(text.length, shift + MAX_LINE);
  // `…` takes the place of one column, so the carets stay under their text.
  const head = shift > 0 ? `…${text.slice(shift + 1, end)}` : text.slice(0, end);
  return { text: end < text.length ? `${head}…` : head, shift };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * The closing line: `error: could not compile `x.nn` due to 2 errors; 1 warning emitted`,
 * `warning: `x.nn` generated 1 warning`, or undefined when there is nothing to say.
 */
export function renderOutcome(diagnostics: readonly Diagnostic[], filename: string, options: RenderOptions = {}): string | undefined {
  const paint = palette(options.color ?? false);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  if (errors > 0) {
    const emitted = warnings > 0 ? `; ${plural(warnings, 'warning')} emitted` : '';
    return `${paint.severity('error')('error')}${paint.bold(`: could not compile \`${filename}\` due to ${plural(errors, 'error')}${emitted}`)}`;
  }
  if (warnings > 0) {
    return `${paint.severity('warning')('warning')}${paint.bold(`: \`${filename}\` generated ${plural(warnings, 'warning')}`)}`;
  }
  return undefined;
}

/** Every diagnostic followed by a blank line, then the outcome line; empty when there are none. */
export function renderReport(diagnostics: readonly Diagnostic[], source: string, filename: string, options: RenderOptions = {}): string {
  if (diagnostics.length === 0) return '';
  const blocks = diagnostics.map((d) => `${renderDiagnostic(d, source, { ...options, filename })}\n\n`);
  const outcome = renderOutcome(diagnostics, filename, options);
  return blocks.join('') + (outcome === undefined ? '' : `${outcome}\n`);
}
