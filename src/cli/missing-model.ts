import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { Reporter } from '../diagnostics/reporter.js';
import { NO_SPAN } from '../diagnostics/span.js';

/**
 * The checker reports an unknown `--model` itself (E2015); this is the same diagnostic for a
 * result that is otherwise clean but holds no model of that name, so the CLI never succeeds
 * silently with nothing to show.
 */
export function missingModel(name: string, available: readonly string[], filename: string): Diagnostic {
  const reporter = new Reporter();
  const diagnostic = reporter.report('unknownModel', NO_SPAN, {
    name,
    available: available.length > 0 ? available.map((m) => `\`${m}\``).join(', ') : 'none',
  });
  return { ...diagnostic, filename };
}
