import type { DiagnosticKey, DiagnosticParams } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { Reporter, type DiagnosticExtras } from '../diagnostics/reporter.js';
import type { Span } from '../diagnostics/span.js';

/**
 * Reports problems found inside a block instance: they point into the block's body, with a
 * label at the use that instantiated it; a block used many times the same way reports once.
 */
export class InstanceReporter extends Reporter {
  constructor(
    private readonly parent: Reporter,
    private readonly callSite: Span,
    private readonly blockName: string,
    private readonly seen: Set<string>,
  ) {
    super();
  }

  override report<K extends DiagnosticKey>(key: K, span: Span, params: DiagnosticParams<K>, extras: DiagnosticExtras = {}): Diagnostic {
    const probe = new Reporter().report(key, span, params, extras);
    const fingerprint = `${probe.code}@${span.start.offset}:${span.end.offset}:${probe.message}`;
    if (this.seen.has(fingerprint)) return probe;
    this.seen.add(fingerprint);
    // Warnings about a block's own body are the same for every use: no call-site label.
    const labels = probe.severity === 'error'
      ? [...(extras.labels ?? []), { span: this.callSite, message: `in this use of \`${this.blockName}\`` }]
      : extras.labels;
    const diagnostic = this.parent.report(key, span, params, { ...extras, labels: labels ?? [] });
    this.diagnostics.push(diagnostic);
    return diagnostic;
  }
}
