import { diagnosticTable, type DiagnosticKey, type DiagnosticParams } from './codes.js';
import type { Diagnostic, Label } from './diagnostic.js';
import type { Span } from './span.js';
import { visibleInline } from './visible.js';

export interface DiagnosticExtras {
  labels?: Label[];
  help?: string;
}

/**
 * Collects diagnostics for one compilation. Passes receive a reporter instead of throwing,
 * so that one run reports every problem; there is one reporter per compile, never a global.
 */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  report<K extends DiagnosticKey>(
    key: K,
    span: Span,
    params: DiagnosticParams<K>,
    extras: DiagnosticExtras = {},
  ): Diagnostic {
    const entry = diagnosticTable[key];
    const diagnostic: Diagnostic = {
      code: entry.code,
      severity: entry.severity,
      // Messages quote the source, which may hold control characters (visible.ts).
      message: visibleInline((entry.message as (p: DiagnosticParams<K>) => string)(params)),
      span,
      labels: (extras.labels ?? []).map((label) => ({ ...label, message: visibleInline(label.message) })),
    };
    if (extras.help !== undefined) diagnostic.help = visibleInline(extras.help);
    this.diagnostics.push(diagnostic);
    return diagnostic;
  }

  get errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === 'error').length;
  }
}
