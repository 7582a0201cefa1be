import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { renderDiagnostic } from '../diagnostics/render.js';

/** A diagnostic as a bundler error or warning: Rollup's shape, which unplugin hands on to each bundler. */
export interface BundlerMessage {
  message: string;
  id: string;
  /** 1-based line; the column 0-based as Rollup and esbuild count, 1-based for Vite (its overlay links to the editor with it). */
  loc: { file: string; line: number; column: number };
  frame?: string;
  meta: { code: string; severity: string };
}

/** The code frame of a rendered diagnostic: its lines after the header and the `-->` line. */
function frameOf(rendered: string): string {
  return rendered.split('\n').slice(2).join('\n');
}

/**
 * Vite and Rollup print `frame` under the message (Vite's overlay shows it beside the file and
 * position), so the message of one diagnostic is its header and location; the other bundlers print
 * the message alone, so it holds the whole rendered diagnostics.
 */
export function bundlerMessage(diagnostics: readonly Diagnostic[], source: string, file: string, framed: boolean, columnBase: 0 | 1 = 0): BundlerMessage {
  const [first] = diagnostics;
  if (!first) throw new Error('internal: a bundler message needs a diagnostic');
  const rendered = diagnostics.map((d) => renderDiagnostic(d, source, { filename: file }));
  // One frame goes under the message; several diagnostics are each rendered whole, in order.
  const single = framed && diagnostics.length === 1;
  const message = single ? `${first.severity}[${first.code}]: ${first.message} (${file}:${first.span.start.line}:${first.span.start.column})` : rendered.join('\n\n');
  return {
    message,
    id: file,
    loc: { file, line: first.span.start.line, column: first.span.start.column - 1 + columnBase },
    ...(single ? { frame: frameOf(rendered[0]!) } : {}),
    meta: { code: first.code, severity: first.severity },
  };
}
