import type { ActivationSpec, InitSpec, IRWeight } from '../ir/ir.js';
import type { ParamSpec } from './op.js';

/** An activation function, usable as a layer (`-> relu`) and as an `activation` argument. */
export interface ActivationDef {
  name: string;
  params: readonly ParamSpec[];
  doc: string;
  /**
   * Which default initializer fits it: `he` keeps the variance of the relu family,
   * `lecun` is what selu's self-normalisation assumes, `xavier` suits the rest.
   */
  autoInit: 'he' | 'lecun' | 'xavier';
  /** The tfjs activation identifier, when tfjs has one that takes these parameters. */
  tfjsName(spec: ActivationSpec): string | undefined;
  /** A JS expression for a tfjs layer applying this activation, given a name literal. */
  tfjsLayer(spec: ActivationSpec, name: string): string;
}

/** A weight initializer. Variances are exact: what is emitted draws with exactly this variance. */
export interface InitializerDef {
  name: string;
  aliases?: readonly string[];
  params: readonly ParamSpec[];
  doc: string;
  /** The formula in words for docs and `nnc check`, e.g. `N(0, 2/n_in)`. */
  formula: string;
  /** Var(W) for a weight with this fan-in/fan-out; undefined when it is not a random scheme. */
  variance(spec: InitSpec, weight: IRWeight): number | undefined;
  /** Why this initializer cannot fill this weight (identity needs a square matrix). */
  fits?(spec: InitSpec, weight: IRWeight): string | undefined;
  /** A JS expression building a tfjs initializer; `seed` is a JS expression or `undefined`. */
  emitTfjs(spec: InitSpec, weight: IRWeight, seed: string): string;
}

export interface LossDef {
  name: string;
  aliases?: readonly string[];
  doc: string;
  /** The tfjs function computing the per-sample loss, e.g. `tf.losses.meanSquaredError`. */
  tfjs: string;
  /** Activations this loss expects on the output, and what to say otherwise. */
  expects?: { activations: readonly string[]; detail: string };
  /** Sparse losses take integer class labels: the target has one fewer dimension. */
  sparse?: boolean;
}

export interface OptimizerDef {
  name: string;
  params: readonly ParamSpec[];
  doc: string;
  /** A JS expression constructing the tfjs optimizer from resolved parameters. */
  emitTfjs(params: Record<string, number>): string;
}

export interface MetricDef {
  name: string;
  aliases?: readonly string[];
  doc: string;
  /** A JS expression for the tfjs metric function; `loss` is the output's loss name. */
  emitTfjs(loss: string): string;
}
