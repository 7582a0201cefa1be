import type { InitSpec, IRWeight } from '../ir/ir.js';
import { transpose } from '../reference/kernels/matmul.js';
import { orthonormalizeRows } from '../reference/kernels/orthonormal.js';
import type { Random } from '../reference/random.js';
import { formatShape, product, type ParamSpec } from './op.js';
import type { InitializerDef } from './tables.js';
import { pyFloat } from '../codegen/torch/python.js';

/**
 * The weight initializers. Every random scheme is emitted as an untruncated
 * `randomNormal`/`randomUniform` with the standard deviation or limit computed here:
 * tfjs's heNormal, glorotNormal and leCunNormal draw from a truncated normal without
 * rescaling, so their variance is about 0.77 of the formula they are named after.
 */

const nonNegative = (value: unknown): string | undefined =>
  typeof value === 'number' && value < 0 ? `must be at least 0, found ${value}` : undefined;
const positive = (value: unknown): string | undefined =>
  typeof value === 'number' && value <= 0 ? `must be greater than 0, found ${value}` : undefined;

/** A resolved parameter, falling back to the declared default (defaults arrive as `params: {}`). */
function param(spec: InitSpec, params: readonly ParamSpec[], name: string): number {
  const value = spec.params[name];
  if (typeof value === 'number') return value;
  const declared = params.find((p) => p.name === name)?.default;
  if (typeof declared !== 'number') throw new Error(`internal: initializer parameter \`${name}\` has no value`);
  return declared;
}

/**
 * tfjs replaces a zero `minval`, `maxval`, `mean` or `stddev` by its default (`args.minval || -0.05`).
 * The smallest double is the nearest value that survives: it vanishes in `min + (max - min) * u`
 * and rounds to 0 in float32, so the draw is exactly the requested one.
 */
function bound(x: number): string {
  return x === 0 ? 'Number.MIN_VALUE' : String(x);
}

function normal(std: number, seed: string, mean = 0): string {
  if (std === 0) return `tf.initializers.constant({ value: ${String(mean)} })`;
  return `tf.initializers.randomNormal({ mean: ${String(mean)}, stddev: ${bound(std)}, seed: ${seed} })`;
}

function uniform(min: number, max: number, seed: string): string {
  return `tf.initializers.randomUniform({ minval: ${bound(min)}, maxval: ${bound(max)}, seed: ${seed} })`;
}

/** `n_in = 8, n_out = 16`: the fans a scaled initializer's variance comes from, for the generated comment. */
function fans(w: IRWeight): string {
  return `n_in = ${w.fanIn}, n_out = ${w.fanOut}`;
}

/** The weight's values, drawn entry by entry in row-major order. */
function fill(weight: IRWeight, value: (index: number) => number): Float64Array {
  return Float64Array.from({ length: product(weight.shape) }, (_, i) => value(i));
}

/**
 * tfjs's orthogonal: with the weight flattened to rows × cols (cols its last dimension), QR of a
 * [max, min] standard normal matrix, Q's columns sign-corrected by R's diagonal, Q transposed
 * when rows < cols. The min orthonormal vectors of length max are drawn here as rows directly.
 */
function orthogonal(weight: IRWeight, gain: number, random: Random): Float64Array {
  const cols = weight.shape[weight.shape.length - 1]!;
  const rows = product(weight.shape.slice(0, -1));
  const [long, short] = [Math.max(rows, cols), Math.min(rows, cols)];
  const vectors = orthonormalizeRows(Float64Array.from({ length: short * long }, () => random.normal()), short, long);
  const q = rows < cols ? vectors : transpose(vectors, short, long);
  return q.map((v) => gain * v);
}

/** A scaled-variance scheme (lecun, he, xavier) in its normal and uniform forms. */
function scaled(
  name: string,
  aliases: readonly string[],
  formula: string,
  variance: (w: IRWeight) => number,
  doc: string,
): InitializerDef[] {
  return [
    {
      name,
      aliases,
      params: [],
      doc,
      formula: `N(0, ${formula})`,
      variance: (_spec, w) => variance(w),
      meanSquare: (_spec, w) => variance(w),
      emitTfjs: (_spec, w, seed) => normal(Math.sqrt(variance(w)), seed),
      emitTorch: (_spec, w, t) => `nn.init.normal_(${t}, std=${pyFloat(Math.sqrt(variance(w)))})  # ${name}: N(0, ${formula}), ${fans(w)}`,
      sample: (_spec, w, random) => {
        const std = Math.sqrt(variance(w));
        return fill(w, () => std * random.normal());
      },
    },
    {
      name: `${name}_uniform`,
      aliases: aliases.map((a) => `${a}_uniform`),
      params: [],
      doc: `${doc} Uniform form: same variance, drawn from U(-l, l) with l = sqrt(3 · variance).`,
      formula: `U(-l, l), l = sqrt(3 · ${formula})`,
      variance: (_spec, w) => variance(w),
      meanSquare: (_spec, w) => variance(w),
      emitTfjs: (_spec, w, seed) => {
        const limit = Math.sqrt(3 * variance(w));
        return uniform(-limit, limit, seed);
      },
      emitTorch: (_spec, w, t) => {
        const limit = Math.sqrt(3 * variance(w));
        return `nn.init.uniform_(${t}, ${pyFloat(-limit)}, ${pyFloat(limit)})  # ${name}_uniform: variance ${formula}, ${fans(w)}`;
      },
      sample: (_spec, w, random) => {
        const limit = Math.sqrt(3 * variance(w));
        return fill(w, () => -limit + 2 * limit * random.uniform());
      },
    },
  ];
}

const constantParams: readonly ParamSpec[] = [{ name: 'value', type: { kind: 'number' }, doc: 'The value of every entry.' }];
const normalParams: readonly ParamSpec[] = [
  { name: 'mean', type: { kind: 'number' }, default: 0, doc: 'Mean of the normal distribution.' },
  { name: 'std', type: { kind: 'number' }, default: 0.05, check: nonNegative, doc: 'Standard deviation.' },
];
const uniformParams: readonly ParamSpec[] = [
  { name: 'min', type: { kind: 'number' }, default: -0.05, doc: 'Lower bound.' },
  { name: 'max', type: { kind: 'number' }, default: 0.05, doc: 'Upper bound.' },
];
const gainParams: readonly ParamSpec[] = [
  { name: 'gain', type: { kind: 'number' }, default: 1, check: positive, doc: 'Multiplies the matrix.' },
];

export const initializerDefs: InitializerDef[] = [
  ...scaled('lecun', ['simple'], '1/n_in', (w) => 1 / w.fanIn, 'LeCun: keeps the variance of a linear or selu layer\'s output equal to its input\'s.'),
  ...scaled('he', [], '2/n_in', (w) => 2 / w.fanIn, 'He (Kaiming): compensates for relu zeroing half of its inputs.'),
  ...scaled('xavier', ['glorot'], '2/(n_in + n_out)', (w) => 2 / (w.fanIn + w.fanOut), 'Xavier (Glorot): balances the forward and backward variance.'),
  {
    name: 'zeros',
    params: [],
    doc: 'All entries 0; the usual bias initializer.',
    formula: '0',
    variance: () => undefined,
    meanSquare: () => 0,
    emitTfjs: () => 'tf.initializers.zeros()',
    emitTorch: (_spec, _w, t) => `nn.init.zeros_(${t})`,
    sample: (_spec, w) => fill(w, () => 0),
  },
  {
    name: 'ones',
    params: [],
    doc: 'All entries 1; the usual scale (`gamma`) initializer.',
    formula: '1',
    variance: () => undefined,
    meanSquare: () => 1,
    mean: () => 1,
    emitTfjs: () => 'tf.initializers.ones()',
    emitTorch: (_spec, _w, t) => `nn.init.ones_(${t})`,
    sample: (_spec, w) => fill(w, () => 1),
  },
  {
    name: 'constant',
    params: constantParams,
    doc: 'All entries equal to `value`.',
    formula: 'value',
    variance: () => undefined,
    meanSquare: (spec) => param(spec, constantParams, 'value') ** 2,
    mean: (spec) => param(spec, constantParams, 'value'),
    emitTfjs: (spec) => `tf.initializers.constant({ value: ${String(param(spec, constantParams, 'value'))} })`,
    emitTorch: (spec, _w, t) => `nn.init.constant_(${t}, ${pyFloat(param(spec, constantParams, 'value'))})`,
    sample: (spec, w) => fill(w, () => param(spec, constantParams, 'value')),
  },
  {
    name: 'normal',
    params: normalParams,
    doc: 'Untruncated normal with a fixed mean and standard deviation, independent of the fans.',
    formula: 'N(mean, std²)',
    variance: (spec) => param(spec, normalParams, 'std') ** 2,
    meanSquare: (spec) => param(spec, normalParams, 'mean') ** 2 + param(spec, normalParams, 'std') ** 2,
    mean: (spec) => param(spec, normalParams, 'mean'),
    emitTfjs: (spec, _w, seed) => normal(param(spec, normalParams, 'std'), seed, param(spec, normalParams, 'mean')),
    emitTorch: (spec, _w, t) => `nn.init.normal_(${t}, mean=${pyFloat(param(spec, normalParams, 'mean'))}, std=${pyFloat(param(spec, normalParams, 'std'))})`,
    sample: (spec, w, random) => {
      const [mean, std] = [param(spec, normalParams, 'mean'), param(spec, normalParams, 'std')];
      return fill(w, () => mean + std * random.normal());
    },
  },
  {
    name: 'uniform',
    params: uniformParams,
    checkParams: (params) => {
      const [min, max] = [params.min!, params.max!];
      return min < max ? undefined : { param: 'min', reason: `must be below \`max\` (${max}), found ${min}` };
    },
    doc: 'Uniform on [min, max), independent of the fans; the default for `embedding`.',
    formula: 'U(min, max)',
    variance: (spec) => (param(spec, uniformParams, 'max') - param(spec, uniformParams, 'min')) ** 2 / 12,
    meanSquare: (spec) => {
      const [min, max] = [param(spec, uniformParams, 'min'), param(spec, uniformParams, 'max')];
      return (min * min + min * max + max * max) / 3;
    },
    mean: (spec) => (param(spec, uniformParams, 'min') + param(spec, uniformParams, 'max')) / 2,
    emitTfjs: (spec, _w, seed) => uniform(param(spec, uniformParams, 'min'), param(spec, uniformParams, 'max'), seed),
    emitTorch: (spec, _w, t) => `nn.init.uniform_(${t}, ${pyFloat(param(spec, uniformParams, 'min'))}, ${pyFloat(param(spec, uniformParams, 'max'))})`,
    sample: (spec, w, random) => {
      const [min, max] = [param(spec, uniformParams, 'min'), param(spec, uniformParams, 'max')];
      return fill(w, () => min + (max - min) * random.uniform());
    },
  },
  {
    name: 'identity',
    params: gainParams,
    doc: 'The identity matrix times `gain`: a layer that starts as a scaled copy of its input. Deterministic, so it has no variance; the depth analysis uses the gain.',
    formula: 'gain · I',
    variance: () => undefined,
    meanSquare: (spec, w) => param(spec, gainParams, 'gain') ** 2 / w.shape[0]!,
    fits: (_spec, w) =>
      w.shape.length === 2 && w.shape[0] === w.shape[1]
        ? undefined
        : `fits only square 2-D weights, but \`${w.name}\` has shape ${formatShape(w.shape)}`,
    emitTfjs: (spec) => `tf.initializers.identity({ gain: ${String(param(spec, gainParams, 'gain'))} })`,
    // A square identity is its own transpose, so torch's [out, in] layout changes nothing.
    emitTorch: (spec, _w, t) => `nn.init.eye_(${t}).mul_(${pyFloat(param(spec, gainParams, 'gain'))})`,
    sample: (spec, w) => {
      const n = w.shape[0]!;
      const gain = param(spec, gainParams, 'gain');
      return fill(w, (i) => (Math.floor(i / n) === i % n ? gain : 0));
    },
  },
  {
    name: 'orthogonal',
    params: gainParams,
    doc: 'A random (semi-)orthogonal matrix times `gain`; weights of rank above 2 are flattened to [product of leading dims, last dim], as tfjs does.',
    formula: 'gain · Q, Q orthogonal',
    // Q has unit-norm columns (or rows) and exchangeable entries, so E[q²] = 1 / max(rows, cols).
    variance: (spec, w) => {
      const cols = w.shape[w.shape.length - 1]!;
      const rows = product(w.shape.slice(0, -1));
      return param(spec, gainParams, 'gain') ** 2 / Math.max(rows, cols);
    },
    meanSquare(spec, w) {
      return this.variance(spec, w)!;
    },
    fits: (_spec, w) =>
      w.shape.length >= 2 ? undefined : `needs a weight of rank 2 or more, but \`${w.name}\` has shape ${formatShape(w.shape)}`,
    emitTfjs: (spec, _w, seed) => `tf.initializers.orthogonal({ gain: ${String(param(spec, gainParams, 'gain'))}, seed: ${seed} })`,
    // torch flattens [out, in, ...] to out rows where tfjs flattens [..., out] to out columns: a
    // transpose (with the inner axes permuted), and the Haar distribution of Q does not change under either.
    emitTorch: (spec, _w, t) => `nn.init.orthogonal_(${t}, gain=${pyFloat(param(spec, gainParams, 'gain'))})`,
    sample: (spec, w, random) => orthogonal(w, param(spec, gainParams, 'gain'), random),
  },
];
