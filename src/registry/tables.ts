import type { ActivationSpec, InitSpec, IRWeight } from '../ir/ir.js';
import type { ReferenceContext } from '../reference/context.js';
import type { Random } from '../reference/random.js';
import type { Tensor64 } from '../reference/tensor.js';
import type { ActivationOnnx } from './onnx.js';
import type { ParamSpec, PyDefinition } from './op.js';

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
  /** The ONNX lowering, with its opset variants. */
  onnx: ActivationOnnx;
  /** The PyTorch expression applying it to the Python expression `x`. */
  torch(spec: ActivationSpec, x: string): string;
  /** Where PyTorch's result differs from tfjs's, in words (docs/reference.md); absent when it does not. */
  torchDifferences?: string;
  /** Float64 semantics: `backward` maps dLoss/dy to dLoss/dx (x the input, y the output). */
  reference: {
    forward(x: Tensor64, spec: ActivationSpec, ctx: ReferenceContext): Tensor64;
    backward(x: Tensor64, y: Tensor64, gradY: Tensor64, spec: ActivationSpec): Tensor64;
  };
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
  /**
   * E[w²] of one entry, for the depth analysis: a layer multiplies the second moment of its
   * (zero-mean, independent) inputs by n_in·E[w²]. This holds for the structured schemes too:
   * identity(g) gives g², orthogonal(g) gives g²·min(1, n_in/n_out).
   */
  meanSquare(spec: InitSpec, weight: IRWeight): number;
  /** E[w] of one entry, for the depth analysis (a bias of ones shifts the pre-activation); absent: 0. */
  mean?(spec: InitSpec, weight: IRWeight): number;
  /** Why these parameters do not make a distribution (`uniform(1, -1)`); checked where it is written. */
  checkParams?(params: Readonly<Record<string, number>>): { param: string; reason: string } | undefined;
  /** Why this initializer cannot fill this weight (identity needs a square matrix). */
  fits?(spec: InitSpec, weight: IRWeight): string | undefined;
  /** A JS expression building a tfjs initializer; `seed` is a JS expression or `undefined`. */
  emitTfjs(spec: InitSpec, weight: IRWeight, seed: string): string;
  /**
   * A Python statement filling the torch tensor `tensor` in place (`nn.init.normal_(t, std=0.5)`),
   * drawn from the same distribution with the fans of nnc's layout; torch's layout may be a
   * transpose of it, which none of the distributions tells apart.
   */
  emitTorch(spec: InitSpec, weight: IRWeight, tensor: string): string;
  /** Draws the weight's values in float64 with exactly the same distribution. */
  sample(spec: InitSpec, weight: IRWeight, random: Random): Float64Array;
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
  /**
   * The PyTorch function `(y_true, y_pred) -> rows`, each row's loss as tfjs computes it (the
   * last axis reduced). A sparse loss gets one-hot targets, as the tfjs target trains it.
   */
  torch: PyDefinition;
  /**
   * Float64 semantics, as tfjs-layers computes it: `perSample` is each sample's loss (means
   * over the non-batch axes where tfjs takes them); `gradient` is d(Σ_samples loss)/dPrediction.
   */
  reference: {
    perSample(target: Tensor64, prediction: Tensor64, ctx: ReferenceContext): Float64Array;
    gradient(target: Tensor64, prediction: Tensor64): Tensor64;
  };
}

export interface OptimizerDef {
  name: string;
  params: readonly ParamSpec[];
  doc: string;
  /** A JS expression constructing the tfjs optimizer from resolved parameters. */
  emitTfjs(params: Record<string, number>): string;
  /** A Python expression constructing the PyTorch optimizer over `parameters`, stepping as tfjs's does. */
  emitTorch(params: Record<string, number>, parameters: string): { expression: string; requires: PyDefinition[] };
}

export interface MetricDef {
  name: string;
  aliases?: readonly string[];
  doc: string;
  /**
   * A JS expression for the tfjs metric function; `loss` is the loss tfjs applies to the output
   * (the dense form of a sparse loss whose targets are turned into one-hot rows).
   */
  emitTfjs(loss: string): string;
  /** The PyTorch function `(y_true, y_pred) -> rows` computing the same, for an output with this loss. */
  torch(loss: string): PyDefinition;
  /** The losses whose outputs this metric means something for (any loss when absent), and why, for W5007. */
  fits?: { losses: readonly string[]; detail: string };
}
