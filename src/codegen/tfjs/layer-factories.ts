import { BUILD_HELPERS } from './build-helpers.js';
import { RUNTIME_NAMES } from './runtime.js';

/**
 * `tf.layers.dense({ ... })` is written `dense({ ... })` under one `const { dense } = tf.layers;`.
 * Prettier lays out every call on a member expression as a possible method chain, which on a
 * model of thousands of layers is a sixth of its time; a plain call is not one.
 */

/** The names `buildModel`'s code refers to besides its `t_`/`l_` identifiers: no factory may shadow them. */
const TAKEN = new Set<string>(['tf', 'options', 'seed', 'seedAt', 'graph', 'parts', 'inputs', 'connect', ...BUILD_HELPERS, ...RUNTIME_NAMES]);
const FACTORY_CALL = /^tf\.layers\.([A-Za-z][A-Za-z0-9]*)\(/;

/** The layer expression calling its factory by its local name, recorded in `used`; anything else as it is. */
export function localFactoryCall(expression: string, used: Set<string>): string {
  const call = FACTORY_CALL.exec(expression);
  if (!call || TAKEN.has(call[1]!)) return expression;
  used.add(call[1]!);
  return call[1]! + expression.slice(call[0].length - 1);
}

/** `const { add, dense } = tf.layers;` for the factories used, sorted; nothing when none is. */
export function factoryDeclaration(used: ReadonlySet<string>): string[] {
  return used.size === 0 ? [] : [`const { ${[...used].sort().join(', ')} } = tf.layers;`];
}
