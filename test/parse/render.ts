import { sortDiagnostics, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { formatSpan, type Span } from '../../src/diagnostics/span.js';

/**
 * Expected-output renderings for the parse fixtures: the AST as JSON with each span
 * written `l:c..l:c`, small objects kept on one line so the files stay readable.
 */
export function renderAst(value: unknown): string {
  return `${render(value, '')}\n`;
}

function isSpan(value: unknown): value is Span {
  return typeof value === 'object' && value !== null && 'start' in value && 'end' in value;
}

function compact(value: unknown): unknown {
  if (isSpan(value)) return formatSpan(value);
  if (Array.isArray(value)) return value.map(compact);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, compact(item)]));
  }
  return value;
}

function render(value: unknown, indent: string): string {
  const plain = compact(value);
  const oneLine = JSON.stringify(plain);
  if (oneLine.length + indent.length <= 100 || typeof plain !== 'object' || plain === null) return oneLine;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return `[\n${value.map((item) => inner + render(item, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${render(item, inner)}`).join(',\n')}\n${indent}}`;
}

/** `[l:c..l:c] E1002 error: message`, one line each, in source order. */
export function renderDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return sortDiagnostics([...diagnostics])
    .map((d) => `[${formatSpan(d.span)}] ${d.code} ${d.severity}: ${d.message}${d.help ? `\n  help: ${d.help}` : ''}\n`)
    .join('');
}
