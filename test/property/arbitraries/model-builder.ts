/**
 * The bookkeeping behind the random-model arbitrary: every tensor defined so far with the
 * shape the checker will infer for it, the statements and blocks written so far, and the
 * size budget. The steps (steps-*.ts) ask it for tensors that fit and write through it.
 */

/** A dimension as the checker infers it: `null` for `?`. */
export type Dim = number | null;

/** The size random batches give an unknown dimension (src/reference/random-batch.ts). */
export const UNKNOWN_SIZE = 3;

/**
 * A tensor's shape twice: as the checker infers it (`null` for `?`) and as it is at run time
 * with random batches, where `?` is UNKNOWN_SIZE at the input and whatever windows make of it
 * after. Windows must fit, and merged tensors agree, at run time.
 */
export interface Shape {
  dims: Dim[];
  sizes: number[];
}

export const knownShape = (dims: readonly number[]): Shape => ({ dims: [...dims], sizes: [...dims] });

export const copyShape = (t: Shape): Shape => ({ dims: [...t.dims], sizes: [...t.sizes] });

export const withLast = (t: Shape, n: number): Shape => ({ dims: [...t.dims.slice(0, -1), n], sizes: [...t.sizes.slice(0, -1), n] });

/** The checker's rule for elementwise merges: an unknown dimension takes the known one. */
export const joinShapes = (a: Shape, b: Shape): Shape => ({ dims: a.dims.map((d, i) => d ?? b.dims[i]!), sizes: [...a.sizes] });

/**
 * Whether a trainable bias (or beta) reaches a tensor as a constant shift, through linear ops
 * only: per channel (`channel`), or the same for every element of a sample (`row`). batch_norm
 * removes a channel shift and layer_norm a row shift, so such a bias gets an exactly zero
 * gradient, and float rounding turns that zero into noise no relative bound accepts.
 */
export type Shift = 'none' | 'channel' | 'row';

export interface Tensor extends Shape {
  name: string;
  dtype: 'float32' | 'int32';
  shift: Shift;
  /** Times an expression read it; tensors never read are joined into an output at the end. */
  uses: number;
}

export const isFloat = (t: Tensor): boolean => t.dtype === 'float32';
export const isImage = (t: Tensor): boolean => isFloat(t) && t.dims.length === 3;
export const isKnown = (t: Tensor): boolean => t.dims.every((d) => d !== null);
export const last = (t: Shape): number => t.sizes[t.sizes.length - 1]!;

/** The shift after a layer: none past a nonlinearity, a channel shift from a bias, else what came in. */
export function shiftAfter(activation: string, input: Shift, bias = true): Shift {
  if (activation !== 'linear') return 'none';
  return bias ? 'channel' : input;
}

/** The shift of a sum-like combination (add, average, concat): any shifted part shifts it. */
export const anyShift = (parts: ReadonlyArray<{ shift: Shift }>): Shift => (parts.some((p) => p.shift !== 'none') ? 'channel' : 'none');

/** Keeps each case small: it runs in milliseconds, and float64 gradient checks stay cheap. */
export const LIMITS = { params: 1500, weightedLayers: 7, vector: 12 } as const;

export interface BuildOptions {
  /**
   * Leave out constructs where the generated TensorFlow.js code is known to disagree with the
   * reference (see known-issues.test.ts), for the properties that run that code.
   */
  avoidKnownTfjsIssues?: boolean;
}

/**
 * With `avoidKnownTfjsIssues`, no weight is a single number: a one-element gradient is one sum
 * over the batch, and where its terms cancel, float32 keeps few of its digits. A tensor of
 * several elements rarely has all its sums cancel at once, and its normwise difference stays
 * within what float32 guarantees.
 */
const NARROWEST = { tfjs: 2, any: 1 } as const;

export class ModelBuilder {
  readonly inputs: string[] = [];
  readonly body: string[] = [];
  /** Block declarations by name, written once however often they are used. */
  readonly blocks = new Map<string, string>();
  readonly pool: Tensor[] = [];
  /**
   * Tensors straight out of layer_norm, or relaid without change: their features sum to a
   * constant (0 at initialization) in every sample, so averaging them all gives exactly zero,
   * which float32 and float64 round differently and no relative bound can compare.
   */
  readonly centered = new Set<Tensor>();
  params = 0;
  weightedLayers = 0;
  private counter = 0;

  constructor(readonly options: BuildOptions = {}) {}

  /**
   * Tensors merged elementwise or concatenated: the same written dimensions, `?` with `?` (the
   * checker rejects concat of `?` with a known size, as tfjs does, and an elementwise merge of the
   * two yields `?`, which later ops may not accept).
   */
  mergeable(a: Shape, b: Shape, except = -1): boolean {
    if (a.sizes.length !== b.sizes.length) return false;
    return a.sizes.every((d, i) => i === except || (d === b.sizes[i] && a.dims[i] === b.dims[i]));
  }

  /** A layer width (units, filters, features) from a choice, `range` options from the narrowest allowed. */
  width(choice: number, range: number): number {
    return this.narrowest + (choice % range);
  }

  /** Whether a layer of `n` units would have one-element weights where they are avoided. */
  tooNarrow(n: number): boolean {
    return n < this.narrowest;
  }

  private get narrowest(): number {
    return this.options.avoidKnownTfjsIssues ? NARROWEST.tfjs : NARROWEST.any;
  }

  fresh(prefix: string): string {
    return `${prefix}${++this.counter}`;
  }

  input(name: string, dims: Dim[], dtype: 'float32' | 'int32'): Tensor {
    const text = `[${dims.map((d) => d ?? '?').join(', ')}]`;
    this.inputs.push(`input ${name}: ${dtype === 'int32' ? 'int32' : ''}${text}`);
    const tensor: Tensor = { name, dims, sizes: dims.map((d) => d ?? UNKNOWN_SIZE), dtype, shift: 'none', uses: 0 };
    this.pool.push(tensor);
    return tensor;
  }

  /** `name = expr`: a new tensor in the pool. Unless told otherwise, it may carry a bias as a shift. */
  define(expr: string, shape: Shape, shift: Shift = 'channel'): Tensor {
    // With one channel, a shift per channel is one shift for the whole sample.
    const normalized = shift === 'channel' && last(shape) === 1 ? 'row' : shift;
    const tensor: Tensor = { name: this.fresh('t'), dims: shape.dims, sizes: shape.sizes, dtype: 'float32', shift: normalized, uses: 0 };
    this.body.push(`${tensor.name} = ${expr}`);
    this.pool.push(tensor);
    return tensor;
  }

  /** The tensor's name in an expression, counting the use. */
  use(t: Tensor): string {
    t.uses++;
    return t.name;
  }

  /** The `index`-th tensor (cyclically, latest first: chains grow deep) among those that fit. */
  pick(fits: (t: Tensor) => boolean, index: number, except?: Tensor): Tensor | undefined {
    const candidates = this.pool.filter((t) => t !== except && fits(t)).reverse();
    return candidates.length ? candidates[index % candidates.length] : undefined;
  }

  /** Whether `params` more parameters in `layers` more weighted layers stay within the limits; books them if so. */
  spend(params: number, layers: number): boolean {
    if (this.params + params > LIMITS.params || this.weightedLayers + layers > LIMITS.weightedLayers) return false;
    this.params += params;
    this.weightedLayers += layers;
    return true;
  }

  declareBlock(name: string, text: string): string {
    if (!this.blocks.has(name)) this.blocks.set(name, text);
    return name;
  }
}
