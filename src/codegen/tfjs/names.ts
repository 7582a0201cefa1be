/**
 * The two kinds of names in the generated module: JS identifiers (`t_hidden`, `l_hidden_dense_1`)
 * and the tfjs names of layers and tensors (`hidden/dense_1`). Both are derived from user names
 * deterministically and deduplicated in the order they are claimed.
 */

/** Unique names: `base`, then `base_2`, `base_3`... One instance per generated module. */
export class UniqueNames {
  private readonly used = new Set<string>();
  /** The next suffix to try per base, so that many claims of one base stay linear. */
  private readonly next = new Map<string, number>();

  claim(base: string): string {
    let name = base;
    let i = this.next.get(base) ?? 2;
    while (this.used.has(name)) name = `${base}_${i++}`;
    this.next.set(base, i);
    this.used.add(name);
    return name;
  }

  /** A name that no claimed name equals or starts with followed by `/`: names under it cannot clash. */
  claimScope(base: string): string {
    // Every `a` and `a/b` of a claimed `a/b/c`.
    const scopes = new Set<string>();
    for (const used of this.used) {
      for (let slash = used.indexOf('/'); slash > 0; slash = used.indexOf('/', slash + 1)) scopes.add(used.slice(0, slash));
    }
    let name = base;
    for (let i = this.next.get(base) ?? 2; this.used.has(name) || scopes.has(name); i++) name = `${base}_${i}`;
    return this.claim(name);
  }
}

/**
 * Tensor identifiers start with `t_`, layer identifiers with `l_`: the prefix rules out reserved
 * words and the module's own names (`tf`, `seed`, `model`, `inputs`...), none of which start so.
 */
export type IdentifierPrefix = 't_' | 'l_';

export function jsIdentifier(prefix: IdentifierPrefix, text: string): string {
  return prefix + text.replace(/[^A-Za-z0-9_]/g, '_');
}

/**
 * tfjs-layers keeps tensors in plain objects keyed by name, where a name like `toString` finds
 * Object.prototype's method instead of nothing; these names get a `_` appended. Spelt out rather
 * than read from Object.prototype so that the output does not depend on the engine.
 */
const PROTOTYPE_KEYS = new Set([
  'constructor', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'toString', 'valueOf',
  '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__',
]);

/**
 * tfjs accepts layer and tensor names matching /^[A-Za-z0-9][-A-Za-z0-9._\/]*$/: other characters
 * become `_`, and a name that would start with anything but a letter or digit gets an `x` in front.
 */
export function tfjsName(text: string): string {
  const cleaned = text.replace(/[^-A-Za-z0-9._/]/g, '_');
  const valid = /^[A-Za-z0-9]/.test(cleaned) ? cleaned : `x${cleaned}`;
  return PROTOTYPE_KEYS.has(valid) ? `${valid}_` : valid;
}
