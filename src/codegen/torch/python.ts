/**
 * Python literals and identifiers for the generated model.py and train.py. User text (names from
 * the .nn source, file names) reaches the code only through `pyString`, `pyIdentifier` and
 * `commentText`, so no name can break or inject into the code.
 */
import { commentText } from '../tfjs/literals.js';

export { commentText };

/** Text inside a docstring: a comment's text, with backslashes and quotes escaped (no name can close it). */
export function docText(text: string): string {
  return commentText(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** Characters a Python string literal spells as escapes: controls, line separators, bidirectional overrides. */
const ESCAPED = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A Python str literal for any text: double-quoted, with `\\`, `"` and invisible characters escaped. */
export function pyString(text: string): string {
  const body = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(ESCAPED, (c) => {
      const special: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
      return special[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    })
    // A lone surrogate cannot be written to a UTF-8 file; Python reads the escape back as the same string.
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  return `"${body}"`;
}

/** A Python number literal; JavaScript's shortest round-trip form is also Python's (`1e-07` reads as 1e-7). */
export function pyNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`internal: cannot emit the number ${value}`);
  return Object.is(value, -0) ? '-0.0' : String(value);
}

/** A float literal: integers get `.0`, so that Python computes with them in floating point. */
export function pyFloat(value: number): string {
  const text = pyNumber(value);
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}

const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'match', 'case', 'type', '_',
]);

/**
 * A Python identifier from any text: characters outside [A-Za-z0-9_] become `_`, a leading digit
 * gets `t_` in front, and keywords and the names in `reserved` get a `_` appended.
 */
export function pyIdentifier(text: string, reserved: ReadonlySet<string> = new Set()): string {
  let name = text.replace(/[^A-Za-z0-9_]/g, '_');
  if (name === '' || /^\d/.test(name)) name = `t_${name}`;
  while (KEYWORDS.has(name) || reserved.has(name)) name = `${name}_`;
  return name;
}

/** A JSON-like value (the train block, the data ports) as a Python literal. */
export type PyValue = null | boolean | number | string | readonly PyValue[] | { readonly [key: string]: PyValue };

export function pyLiteral(value: PyValue, indent = ''): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumber(value);
  if (typeof value === 'string') return pyString(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    const items = (value as readonly PyValue[]).map((v) => pyLiteral(v, inner));
    const flat = `[${items.join(', ')}]`;
    if (flat.length + indent.length <= 96 && !flat.includes('\n')) return flat;
    return `[\n${items.map((i) => `${inner}${i},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, PyValue>).map(([k, v]) => `${pyString(k)}: ${pyLiteral(v, inner)}`);
  const flat = `{${entries.join(', ')}}`;
  if (flat.length + indent.length <= 96 && !flat.includes('\n')) return flat;
  return `{\n${entries.map((e) => `${inner}${e},`).join('\n')}\n${indent}}`;
}

/** A shape as the generated comments show it: the batch as `B`, unknown dimensions as `?`. */
export function shapeComment(shape: readonly (number | null)[]): string {
  return `[${['B', ...shape.map((d) => (d === null ? '?' : String(d)))].join(', ')}]`;
}

/** A Python tuple literal of integers: `(3,)`, `(28, 28, 1)`. */
export function pyTuple(values: readonly number[]): string {
  return values.length === 1 ? `(${pyNumber(values[0]!)},)` : `(${values.map(pyNumber).join(', ')})`;
}
