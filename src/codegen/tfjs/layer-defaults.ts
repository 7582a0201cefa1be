/**
 * Ops spell out every setting of the tfjs layers they emit; settings equal to tfjs's own
 * defaults are dropped here, so a layer reads as what sets it apart (and a model of thousands of
 * layers stays quick to format). The defaults are those of tfjs-layers 4.22's constructors; a
 * layer built without them is the same layer with the same config.
 */

/** A default: the texts an op may emit for it, or another entry of the config it defaults to. */
type Default = readonly string[] | { sameAs: string };

const quoted = (text: string): string[] => [`'${text}'`, `"${text}"`];
const ZEROS = ['tf.initializers.zeros()', ...quoted('zeros')];
const ONES = ['tf.initializers.ones()', ...quoted('ones')];
const LINEAR = quoted('linear');
const VALID = quoted('valid');
const pooling: Record<string, Default> = { strides: { sameAs: 'poolSize' }, padding: VALID };

const DEFAULTS: Readonly<Record<string, Readonly<Record<string, Default>>>> = {
  dense: { useBias: ['true'], biasInitializer: ZEROS, activation: LINEAR },
  conv2d: { strides: ['[1, 1]'], padding: VALID, useBias: ['true'], biasInitializer: ZEROS, activation: LINEAR },
  batchNormalization: {
    axis: ['-1'],
    momentum: ['0.99'],
    epsilon: ['0.001'],
    gammaInitializer: ONES,
    betaInitializer: ZEROS,
    movingMeanInitializer: ZEROS,
    movingVarianceInitializer: ONES,
  },
  layerNormalization: { axis: ['-1'], epsilon: ['0.001'], gammaInitializer: ONES, betaInitializer: ZEROS },
  concatenate: { axis: ['-1'] },
  maxPooling2d: pooling,
  averagePooling2d: pooling,
};

const LAYER_CALL = /^tf\.layers\.([A-Za-z0-9]+)\(\{ ([^]*) \}\)$/;
const ENTRY = /^([A-Za-z_$][A-Za-z0-9_$]*): ([^]+)$/;

/** `tf.layers.x({ ... })` without the entries that repeat tfjs's defaults; any other expression as it is. */
export function withoutDefaults(expression: string): string {
  const call = LAYER_CALL.exec(expression);
  const defaults = call && Object.prototype.hasOwnProperty.call(DEFAULTS, call[1]!) ? DEFAULTS[call[1]!]! : undefined;
  if (!call || !defaults) return expression;
  const entries = splitEntries(call[2]!)?.map((entry) => ENTRY.exec(entry));
  if (!entries || entries.some((entry) => entry === null)) return expression;
  const values = new Map(entries.map((entry) => [entry![1]!, entry![2]!]));
  const kept = entries.filter((entry) => {
    const [, key, value] = entry!;
    const fallback = Object.prototype.hasOwnProperty.call(defaults, key!) ? defaults[key!] : undefined;
    if (fallback === undefined) return true;
    return 'sameAs' in fallback ? values.get(fallback.sameAs) !== value : !fallback.includes(value!);
  });
  return `tf.layers.${call[1]}({ ${kept.map((entry) => entry![0]).join(', ')} })`;
}

/**
 * The top-level `, `-separated entries of an object literal's body, skipping over brackets and
 * string literals (layer names are user text); undefined when the brackets or quotes do not close.
 */
function splitEntries(body: string): string[] | undefined {
  const entries: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '"' || c === "'" || c === '`') {
      i = closingQuote(body, i);
      if (i < 0) return undefined;
    } else if (c === '(' || c === '[' || c === '{') {
      depth++;
    } else if (c === ')' || c === ']' || c === '}') {
      if (--depth < 0) return undefined;
    } else if (c === ',' && depth === 0 && body[i + 1] === ' ') {
      entries.push(body.slice(start, i));
      start = i + 2;
    }
  }
  if (depth !== 0) return undefined;
  entries.push(body.slice(start));
  return entries;
}

/** The index of the quote closing the literal opened at `open`; -1 if none, or if a template substitutes. */
function closingQuote(text: string, open: number): number {
  const quote = text[open];
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
    else if (quote === '`' && text.startsWith('${', i)) return -1;
  }
  return -1;
}
