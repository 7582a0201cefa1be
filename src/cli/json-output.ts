import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** A diagnostic with a fixed key order and its filename always set, for `--json` consumers. */
export function diagnosticJson(diagnostic: Diagnostic, filename: string): Diagnostic {
  const out: Diagnostic = {
    code: diagnostic.code,
    severity: diagnostic.severity,
    message: diagnostic.message,
    filename: diagnostic.filename ?? filename,
    span: diagnostic.span,
    labels: diagnostic.labels,
  };
  if (diagnostic.help !== undefined) out.help = diagnostic.help;
  return out;
}

export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
