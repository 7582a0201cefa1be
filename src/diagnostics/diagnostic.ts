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

export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (a, b) => a.span.start.offset - b.span.start.offset || a.code.localeCompare(b.code),
  );
}
