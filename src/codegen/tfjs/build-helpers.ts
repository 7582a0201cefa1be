/**
 * Short local functions of `buildModel`, declared only when used. A model of thousands of layers
 * spells an initializer per layer: one short call each keeps its rows short and easy to read.
 */
export const BUILD_HELPERS = ['normal', 'uniform'] as const;
export type BuildHelper = (typeof BUILD_HELPERS)[number];

/** A number as `String()` prints it, or the smallest double (the initializer table's stand-in for 0). */
const NUMBER = String.raw`(?:-?\d+(?:\.\d+)?(?:e[-+]\d+)?|Number\.MIN_VALUE)`;
const SEED = String.raw`seed: seedAt\((\d+)\)`;
const RANDOM_NORMAL = new RegExp(String.raw`^tf\.initializers\.randomNormal\(\{ mean: 0, stddev: (${NUMBER}), ${SEED} \}\)$`);
const RANDOM_UNIFORM = new RegExp(String.raw`^tf\.initializers\.randomUniform\(\{ minval: (${NUMBER}), maxval: (${NUMBER}), ${SEED} \}\)$`);

/**
 * The initializer expression as a helper call when it is one the helpers spell exactly: a
 * zero-mean normal or a symmetric uniform drawing with weight k's seed. The arguments are the
 * table's own number literals, so the draw (and its exact variance) is the same value for value.
 * Anything else is returned as it is.
 */
export function initializerCall(expression: string, use: (helper: BuildHelper) => void): string {
  const normal = RANDOM_NORMAL.exec(expression);
  if (normal) {
    use('normal');
    return `normal(${normal[1]}, ${normal[2]})`;
  }
  const uniform = RANDOM_UNIFORM.exec(expression);
  if (uniform && uniform[1] === `-${uniform[2]}`) {
    use('uniform');
    return `uniform(${uniform[2]}, ${uniform[3]})`;
  }
  return expression;
}

/** The declarations of the helpers used, in a fixed order, each with why it is there. */
export function emitBuildHelpers(used: ReadonlySet<BuildHelper>, ts: boolean): string[] {
  const num = ts ? ': number' : '';
  const lines: string[] = [];
  if (used.has('normal') || used.has('uniform')) {
    lines.push("// Untruncated draws with exact variances (tfjs's heNormal and the like truncate, which shrinks it).");
  }
  if (used.has('normal')) {
    lines.push(`const normal = (stddev${num}, k${num}) => tf.initializers.randomNormal({ mean: 0, stddev, seed: seedAt(k) });`);
  }
  if (used.has('uniform')) {
    lines.push(
      `const uniform = (limit${num}, k${num}) => tf.initializers.randomUniform({ minval: -limit, maxval: limit, seed: seedAt(k) });`,
    );
  }
  return lines;
}
