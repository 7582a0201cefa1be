/**
 * JS literals for the generated module. User text (names from the .nn source) only ever
 * reaches the output through `stringLiteral`, so no name can break or inject into the code.
 */

/** Text that needs no escape in a string literal: most names, so the common case is quick. */
const PLAIN_TEXT = /^[-A-Za-z0-9_./:#@ ]*$/;

/**
 * A JS string literal for any text: JSON's escaping, plus the two line separators JSON leaves
 * raw, in the quotes prettier would choose (single, unless the text has more of them than double
 * quotes), so that the tables prettier does not format read like the rest of the module.
 */
export function stringLiteral(text: string): string {
  if (PLAIN_TEXT.test(text)) return `'${text}'`;
  const json = JSON.stringify(text).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  if (!text.includes("'")) return `'${json.slice(1, -1).replace(/\\"/g, '"')}'`;
  const singles = text.split("'").length;
  const doubles = text.split('"').length;
  // In JSON every `"` is escaped: the first backslash followed by a quote is always that escape.
  return singles > doubles ? json : `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`internal: cannot emit the number ${value}`);
  return String(value);
}

/**
 * Text that stays inside one `//` comment and reads as what it is: line breaks, control
 * characters and bidirectional overrides (which could make code look other than it is) become `?`.
 */
export function commentText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '?');
}

/** A JSDoc comment of fixed text: one line when it fits, else one ` * ` line per entry. */
export function docComment(lines: readonly string[]): string {
  return lines.length === 1 ? `/** ${lines[0]} */` : `/**\n * ${lines.join('\n * ')}\n */`;
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A record of numbers as an object literal when every key is a plain identifier, else built
 * with Object.fromEntries, where a key such as `__proto__` is just a key and not the prototype.
 */
export function recordLiteral(record: Record<string, number>): string {
  const entries = Object.keys(record).map((key) => [key, numberLiteral(record[key]!)] as const);
  if (entries.every(([key]) => PLAIN_KEY.test(key) && key !== '__proto__')) {
    return `{ ${entries.map(([key, value]) => `${key}: ${value}`).join(', ')} }`;
  }
  return `Object.fromEntries([${entries.map(([key, value]) => `[${stringLiteral(key)}, ${value}]`).join(', ')}])`;
}

/** A shape as an array literal, `null` for unknown dimensions. */
export function shapeLiteral(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : numberLiteral(d))).join(', ')}]`;
}
