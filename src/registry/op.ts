import type { DiagnosticKey, DiagnosticParams } from '../diagnostics/codes.js';
import type { DiagnosticExtras } from '../diagnostics/reporter.js';
import type { Span } from '../diagnostics/span.js';
import type { ActivationSpec, Attrs, AttrValue, IRLayer, IRWeight, Shape, TensorType } from '../ir/ir.js';
import type { ReferenceContext } from '../reference/context.js';
import type { Tensor64 } from '../reference/tensor.js';
import type { OpOnnx } from './onnx.js';

/**
 * The contract every op file in src/ops/ fulfils. An op file holds everything about one
 * op (or one small family): its signature, its shape rule, its weights with their
 * fan-in/fan-out, its TensorFlow.js and ONNX lowerings and its documentation. Adding an op is
 * adding a file there and running `npm run gen`.
 */

export type ParamType =
  | { kind: 'int'; min?: number }
  | { kind: 'number' }
  | { kind: 'bool' }
  /** An identifier or string out of a fixed set, e.g. `padding=same`. */
  | { kind: 'enum'; values: readonly string[] }
  /** `relu`, `leaky_relu(0.2)`: resolved to an ActivationSpec. */
  | { kind: 'activation' }
  /** `he`, `identity(1.5)`, `auto`: resolved to an InitSpec. */
  | { kind: 'init' }
  /** A list of integers; `-1` allowed when `inferable` (reshape). */
  | { kind: 'ints'; inferable?: boolean }
  /** `3` or `[3, 3]`, normalised to a pair. */
  | { kind: 'pair' };

export interface ParamSpec {
  name: string;
  type: ParamType;
  /** Absent means the argument is required. */
  default?: AttrValue;
  /** Returns why a well-typed value is still invalid (e.g. a rate outside [0, 1)). */
  check?: (value: AttrValue) => string | undefined;
  /** The argument only matters when another has this value (`bias_init` needs `bias=true`): warned otherwise. */
  onlyWith?: { param: string; value: AttrValue };
  doc: string;
}

export type OpCategory =
  | 'core'
  | 'activation'
  | 'merge'
  | 'convolution'
  | 'pooling'
  | 'normalization'
  | 'reshaping'
  | 'embedding'
  | 'regularization';

export interface OpDoc {
  summary: string;
  /** The shape rule in words, e.g. `[..., n] -> [..., units]`. */
  shape: string;
  example: string;
}

/** What a shape rule may ask of its caller while it infers an output type. */
export interface ShapeContext {
  /** The op name as written at this use. */
  readonly op: string;
  /** Human description of input i: "`wide`" or "the output of `dense(30)`". */
  describe(index: number): string;
  inputSpan(index: number): Span;
  /** Reports at the layer's span; the shape rule then returns undefined. */
  report<K extends DiagnosticKey>(key: K, params: DiagnosticParams<K>, extras?: DiagnosticExtras): void;
}

/** Context given to an op's tfjs lowering by the code generator. */
export interface TfjsEmitContext {
  /** The tfjs layer name as a JS string literal. */
  readonly name: string;
  /** The input types of the layer's first application (tfjs sometimes needs them spelt out). */
  readonly inputs: readonly TensorType[];
  /** A derived layer name literal for an extra layer, e.g. `name/act`. */
  subName(suffix: string): string;
  /** A JS expression constructing the initializer of this weight (exact variance, seeded). */
  initializer(weight: IRWeight): string;
  /**
   * An activation as tfjs understands it: either a string usable as `activation:` in a
   * layer config, or (for those tfjs cannot name, like leaky_relu(0.2)) a layer expression.
   */
  activation(spec: ActivationSpec, name: string): { inline: string } | { layer: string };
  /** Registers a helper (e.g. a custom layer class) emitted once at the top of the module. */
  useRuntime(name: 'Subtract'): string;
}

/** How the PyTorch lowering stores one of the layer's weights (src/codegen/torch). */
export interface TorchWeight {
  /** The tensor attribute of the layer's module that holds it: `weight`, `bias`, `running_mean`... */
  attr: string;
  /**
   * How torch's layout differs from nnc's (tfjs's): `same`; `transpose` (a dense kernel
   * [in, out] is nn.Linear's weight [out, in]); `conv2d` (a kernel [kh, kw, in, out] is
   * nn.Conv2d's weight [out, in, kh, kw]).
   */
  layout: 'same' | 'transpose' | 'conv2d';
}

/**
 * A Python definition (a function, class or constant) that generated PyTorch code calls, with the
 * definitions it calls in turn. The code generator emits each once, before its first use.
 */
export interface PyDefinition {
  name: string;
  source: string;
  requires?: readonly PyDefinition[];
}

/** Context given to an op's PyTorch lowering by the code generator. */
export interface TorchEmitContext {
  /** The layer's module as the forward pass reaches it: `self.hidden_dense_1`. */
  readonly module: string;
  /** The per-sample input types of the layer's first application (no batch dimension). */
  readonly inputs: readonly TensorType[];
  /** A Python literal of a finite number. */
  number(value: number): string;
  /** The Python expression applying an activation to the expression `x`. */
  activation(spec: ActivationSpec, x: string): string;
  /** Emits a helper once in model.py and returns the name to call it by. */
  use(definition: PyDefinition): string;
}

/**
 * An op's PyTorch lowering: the module a layer owns (constructed in `__init__`), where its
 * weights live in that module, and the forward expression. Tensors stay channels-last, as in
 * the IR, so shapes in the generated code read as in the .nn source.
 */
export interface OpTorch {
  /** A Python expression constructing the layer's module (`nn.Linear(4, 3)`); absent for ops without weights. */
  module?(layer: IRLayer, ctx: TorchEmitContext): string;
  /** Where each of `layer.weights` lives in the module, in the same order. */
  weights?(layer: IRLayer): TorchWeight[];
  /** The layer's output as a Python expression of its inputs' expressions. */
  forward(layer: IRLayer, inputs: readonly string[], ctx: TorchEmitContext): string;
  /**
   * Where PyTorch cannot compute exactly what tfjs and the float64 engine compute, in words
   * (docs/reference.md shows it); absent when the lowering is exact up to float rounding.
   */
  differences?: string;
}

export interface OpDef {
  name: string;
  category: OpCategory;
  /** How many input tensors the op takes (merge ops take two or more). */
  arity: { min: number; max: number };
  /** Merge ops may also be called with their tensors: `add(a, b)`, `concat(a, b, axis=1)`. */
  tensorArgs?: boolean;
  params: readonly ParamSpec[];
  doc: OpDoc;
  /** The activation this layer applies last, for `init=auto` and loss checks. */
  activation?(attrs: Attrs): ActivationSpec | undefined;
  /** The output type, or undefined after reporting why there is none. */
  inferType(inputs: readonly TensorType[], attrs: Attrs, ctx: ShapeContext): TensorType | undefined;
  /** The weights this layer owns for these input types (init already resolved in attrs). */
  weights?(inputs: readonly TensorType[], attrs: Attrs): IRWeight[];
  /** JS expressions constructing tfjs layers, applied in sequence. */
  emitTfjs(layer: IRLayer, ctx: TfjsEmitContext): string[];
  /** The ONNX lowering (src/onnx), with its opset variants. */
  onnx: OpOnnx;
  /** The PyTorch lowering (src/codegen/torch); every op of the catalogue has one (a test checks). */
  torch?: OpTorch;
  /** The float64 forward pass and its hand-written gradient, for the reference engine. */
  reference: OpReference;
  /** How the op scales signals at initialization, for the depth analysis; absent: unchanged. */
  signal?: OpSignal;
}

export interface ActivationMoments {
  mean: number;
  forward: number;
  backward: number;
}

/** What an op's signal rule may ask of the depth analysis. */
export interface SignalContext {
  /** The types of this application's inputs. */
  readonly inputs: readonly TensorType[];
  /**
   * Whether each input is directly the output of a nonlinearity (not mixed with anything since).
   * Applied to such a signal, a relu-like activation is the identity on it (relu after relu), and
   * the signal is taken to pass unchanged; a Gaussian with its mean and variance describes it badly.
   */
  readonly activated: readonly boolean[];
  /**
   * E[f(z)], E[f(z)²] and E[f'(z)²] for z ~ N(mean, v): what an activation does to a signal of
   * variance v around `mean` (0 unless given). `features` is the size of the axis a softmax
   * normalizes over.
   */
  activation(spec: ActivationSpec, v: number, features?: number, mean?: number): ActivationMoments;
  /** E[x] of each input (signed): 0 for a centered signal, positive after relu. */
  readonly means: readonly number[];
  /**
   * The mean square of each unit's mean over the batch (the units' offsets), for each input: at
   * least E[x]², at most E[x²]. Batch statistics (batch_norm) see E[x²] minus this, not the
   * variance: a dense layer fed a relu's output gives each unit its own fixed offset Σ w·E[x].
   */
  readonly offsets: readonly number[];
  /**
   * E_m[(E[f(z)])²] for unit means m ~ N(mean, spread) and z ~ N(m, within) around each: the
   * offsets an activation leaves.
   */
  activationOffset(spec: ActivationSpec, mean: number, spread: number, within: number, features?: number): number;
  /** Var[x]/E[x²] of each input: 1 for a centered signal, less after relu (its mean is not 0). */
  readonly centered: readonly number[];
  /** E[w²] of one entry of a weight, from its initializer. */
  meanSquare(weight: IRWeight): number;
  /** E[w] of one entry of a weight, from its initializer (0 for the random schemes). */
  meanOf(weight: IRWeight): number;
}

/**
 * Mean-field propagation at initialization: second moments of activations forward, and of
 * gradients backward, assuming independent entries, each with the mean the op's `mean` rule
 * gives (documented per op).
 */
export interface OpSignal {
  /** E[y²] from each input's E[x²] (and, through ctx.means, E[x]). */
  forward(inputs: readonly number[], layer: IRLayer, ctx: SignalContext): number;
  /** E[(dL/dx)²] for each input, from E[(dL/dy)²] and the inputs' E[x²]. */
  backward(gradOutput: number, inputs: readonly number[], layer: IRLayer, ctx: SignalContext): number[];
  /**
   * E[y] from each input's E[x] (ctx.means) and E[x²]; absent: the mean of the inputs' means
   * (shape ops, dropout, pooling pass values on).
   */
  mean?(inputs: readonly number[], layer: IRLayer, ctx: SignalContext): number;
  /** The output's offsets (see SignalContext.offsets); absent: the mean of the inputs'. */
  offset?(inputs: readonly number[], layer: IRLayer, ctx: SignalContext): number;
}

export interface ReferenceForward {
  /** Input tensors (batch dimension first) in the order the node lists them. */
  inputs: readonly Tensor64[];
  /** The layer's weights in the order `weights()` returns them. */
  weights: readonly Tensor64[];
  attrs: Attrs;
}

export interface ReferenceBackward extends ReferenceForward {
  /** What `forward` returned for these inputs and weights. */
  output: Tensor64;
  /** dLoss/dOutput. */
  gradOutput: Tensor64;
}

/**
 * An op's float64 semantics, matching its tfjs lowering exactly (tfjs's conventions at kinks:
 * relu'(0) = 0). `backward` is the vector-Jacobian product: given dLoss/dOutput it returns
 * dLoss/dInput for every input and dLoss/dWeight for every weight; it recomputes what it needs
 * from the inputs instead of keeping state between the passes.
 */
export interface OpReference {
  forward(args: ReferenceForward, ctx: ReferenceContext): Tensor64;
  backward(args: ReferenceBackward, ctx: ReferenceContext): { inputs: Tensor64[]; weights: Tensor64[] };
}

export function formatShape(shape: Shape): string {
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

export function formatType(type: TensorType): string {
  return type.dtype === 'float32' ? formatShape(type.shape) : `${type.dtype}${formatShape(type.shape)}`;
}

export function product(dims: readonly number[]): number {
  let total = 1;
  for (const d of dims) total *= d;
  return total;
}
