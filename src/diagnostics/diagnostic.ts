import type { Span } from './span.js';

export type Severity = 'error' | 'warning' | 'info';

/** A secondary location that explains the primary one ("`wide` comes from here"). */
export interface Label {
  span: Span;
  message: string;
}

/** A problem found in the user's source: JSON-serialisable, stable code, one primary span. */
export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  labels: Label[];
  help?: string;
  /** The file the span refers to, when known. */
  filename?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * The order nnc reports in: syntax errors (E1xxx) first, then everything else, each in source
 * order. What the parser could not read is never a consequence of a later check, while a check
 * can trip over what the parser recovered: the root cause comes first, as in rustc.
 */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const phase = (d: Diagnostic): number => (d.code.startsWith('E1') ? 0 : 1);
  return diagnostics.sort(
    (a, b) => phase(a) - phase(b) || a.span.start.offset - b.span.start.offset || a.code.localeCompare(b.code),
  );
}
