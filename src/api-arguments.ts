/**
 * The API's contract at its boundary (README, "API"): anything in a source string is reported
 * as diagnostics and never throws, but a call that is itself wrong (a source that is not a
 * string, an unknown option, an option of the wrong type or value) throws at once, naming the
 * argument: a TypeError for a wrong type or an unknown option name, a RangeError for a value
 * outside what the option takes. `compile`, which is async, rejects with the same error.
 * Without this, `compile(42)` failed deep inside the lexer and `format: 'python'` quietly gave
 * TypeScript.
 */

/** Says what an option must be, or undefined when `value` is fine; `range` marks a RangeError. */
export type OptionRule = (value: unknown) => { expected: string; range?: boolean } | undefined;

export type OptionRules = Readonly<Record<string, OptionRule>>;

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return 'undefined';
    case 'function':
      return 'a function';
    default:
      return `a ${typeof value}`;
  }
}

/** `source` must be a string: the one argument every entry point takes. */
export function requireSource(fn: string, source: unknown): asserts source is string {
  if (typeof source !== 'string') {
    throw new TypeError(`${fn}: the source must be a string, found ${describeValue(source)}`);
  }
}

/** Checks `options` against `rules`: an object (or undefined) whose every key has a rule that accepts its value. */
export function requireOptions(fn: string, options: unknown, rules: OptionRules): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${fn}: options must be an object, found ${describeValue(options)}`);
  }
  for (const [name, value] of Object.entries(options)) {
    const rule = rules[name];
    if (!rule) {
      const known = Object.keys(rules).sort().map((k) => `\`${k}\``).join(', ');
      throw new TypeError(`${fn}: unknown option \`${name}\` (the options are ${known})`);
    }
    // An option given as undefined is an option not given, as TypeScript's optional properties allow.
    if (value === undefined) continue;
    const problem = rule(value);
    if (problem) {
      const message = `${fn}: options.${name} must be ${problem.expected}, found ${describeValue(value)}`;
      throw problem.range ? new RangeError(message) : new TypeError(message);
    }
  }
}

export const isString: OptionRule = (v) => (typeof v === 'string' ? undefined : { expected: 'a string' });
export const isBoolean: OptionRule = (v) => (typeof v === 'boolean' ? undefined : { expected: '`true` or `false`' });
export const isFunction: OptionRule = (v) => (typeof v === 'function' ? undefined : { expected: 'a function' });
export const isObject: OptionRule = (v) => (typeof v === 'object' && v !== null ? undefined : { expected: 'an object' });

export function oneOf(values: readonly string[]): OptionRule {
  const expected = values.map((v) => `'${v}'`).join(' or ');
  return (v) => {
    if (typeof v !== 'string') return { expected };
    return values.includes(v) ? undefined : { expected, range: true };
  };
}

export function integer(min: number, max = Number.MAX_SAFE_INTEGER): OptionRule {
  const expected = max === Number.MAX_SAFE_INTEGER ? `an integer of at least ${min}` : `an integer from ${min} to ${max}`;
  return (v) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) return { expected };
    return v >= min && v <= max ? undefined : { expected, range: true };
  };
}

export const positiveNumber: OptionRule = (v) => {
  if (typeof v !== 'number' || Number.isNaN(v)) return { expected: 'a positive number' };
  return v > 0 && Number.isFinite(v) ? undefined : { expected: 'a positive number', range: true };
};

/** `[low, high]`: two positive finite numbers, low below high. */
export const signalBand: OptionRule = (v) => {
  const expected = '`[low, high]`, two positive numbers with low below high';
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number')) return { expected };
  const [low, high] = v as [number, number];
  return low > 0 && Number.isFinite(high) && low < high ? undefined : { expected, range: true };
};

/** The options every entry point takes (CheckOptions). */
export const checkRules: OptionRules = { filename: isString, model: isString, signalBand };
