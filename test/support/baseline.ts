import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { formatSpan } from '../../src/diagnostics/span.js';

/**
 * Diagnostics as baseline text, one block per diagnostic (Langium's `[l:c..l:c]` style):
 *   [3:12..3:17] E2001 error: cannot find `hiden` in this scope
 *     label [2:3..2:9]: first defined here
 *     help: did you mean `hidden`?
 */
export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const lines: string[] = [];
  for (const d of diagnostics) {
    lines.push(`[${formatSpan(d.span)}] ${d.code} ${d.severity}: ${d.message}`);
    for (const label of d.labels) lines.push(`  label [${formatSpan(label.span)}]: ${label.message}`);
    if (d.help) lines.push(`  help: ${d.help}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '(no diagnostics)\n';
}
