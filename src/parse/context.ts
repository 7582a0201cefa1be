import type { DiagnosticKey, DiagnosticParams } from '../diagnostics/codes.js';
import type { DiagnosticExtras } from '../diagnostics/reporter.js';
import type { Span } from '../diagnostics/span.js';
import type { LineIndex } from './spans.js';

/** What the CST-to-AST builders share for one parse. */
export interface BuildContext {
  lines: LineIndex;
  /** Reports a problem unless it sits in the shadow of an earlier syntax error. */
  report<K extends DiagnosticKey>(key: K, span: Span, params: DiagnosticParams<K>, extras?: DiagnosticExtras): void;
}
