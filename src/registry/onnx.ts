import type { ActivationSpec, IRLayer, TensorType } from '../ir/ir.js';

/**
 * The ONNX facet of an op: how one application of a layer becomes nodes of an ONNX graph. The
 * exporter (src/onnx) walks the checked IR in order and calls the facet once per application,
 * with a context that owns naming, initializers, value_info and layout conversions.
 */

/**
 * The order of a tensor's axes in the ONNX graph. `last` is the IR's (and TensorFlow's)
 * channels-last order, `[batch, h, w, c]`; `first` is channels-first, `[batch, c, h, w]`, the
 * order of ONNX's Conv, pools and BatchNormalization. Tensors of one axis per sample have a
 * single order, `last`.
 */
export type OnnxLayout = 'last' | 'first';

/**
 * A dimension of a tensor in the ONNX graph: a size, or the name of an unknown one (`?` in the
 * source). Names make equal unknown sizes visible as equal in Netron and to ONNX tools.
 */
export type OnnxDim = number | string;

/** A tensor of the graph being built. */
export interface OnnxValue {
  readonly name: string;
  readonly layout: OnnxLayout;
  readonly dtype: TensorType['dtype'];
  /** Per sample (no batch axis), in the IR's channels-last order whatever `layout` is. */
  readonly dims: readonly OnnxDim[];
}

export type OnnxAttribute =
  | { int: number }
  | { float: number }
  | { string: string }
  | { ints: readonly number[] }
  | { floats: readonly number[] };

export interface OnnxNodeOutput {
  /** Per-sample dims in channels-last order; default: the layer's output dims. */
  dims?: readonly OnnxDim[];
  /** Default: `last`. */
  layout?: OnnxLayout;
  /** Default: float32. */
  dtype?: TensorType['dtype'];
}

/** What an op's ONNX lowering may ask of the exporter. */
export interface OnnxContext {
  /** The default-domain opset the model imports. */
  readonly opset: number;
  readonly layer: IRLayer;
  /** The number of this application's inputs. */
  readonly arity: number;
  /** The output's per-sample dims (channels-last), with unknown sizes named. */
  readonly outputDims: readonly OnnxDim[];
  /**
   * Input `i` in `layout`: a Transpose is added (once per tensor) when it is only held in the
   * other order. `any` takes it as it is held, without a transpose.
   */
  input(i: number, layout?: OnnxLayout | 'any'): OnnxValue;
  /** The layout most of the inputs are held in (ties: `last`), for ops that work in either. */
  commonLayout(): OnnxLayout;
  /**
   * The initializer of the layer's weight `i`, one per layer however often it is applied.
   * `conv` stores a kernel [kh, kw, in, out] in ONNX's [out, in, kh, kw] order.
   */
  weight(i: number, order?: 'conv'): string;
  /** A constant int64 tensor (a Reshape target, reduction axes), named after this node and `what`. */
  int64s(values: readonly number[], what: string): string;
  /** A constant float32 scalar. */
  float(value: number, what: string): string;
  /** Adds a node computing one tensor and returns it. */
  node(op: string, inputs: readonly string[], attrs?: Record<string, OnnxAttribute>, output?: OnnxNodeOutput): OnnxValue;
  /** An activation applied to `x` (which has the layer's output dims); `linear` returns `x` itself. */
  activation(spec: ActivationSpec, x: OnnxValue): OnnxValue;
}

export interface OpOnnx {
  /** Emits the nodes of one application and returns its output tensor. */
  lower(ctx: OnnxContext): OnnxValue;
  /**
   * Which unknown output dimensions are the inputs' (those then share their names): `same`
   * every axis (of every input), `leading` every axis but the last (of input 0), or a test of
   * the axis (of every input). Absent: each gets a name of its own.
   */
  dims?: 'same' | 'leading' | ((axis: number, rank: number, layer: IRLayer) => boolean);
  /** The ONNX operators it becomes, with opset notes (docs/reference.md and docs/onnx.md). */
  doc: string;
}

/** An activation's ONNX lowering, used by activation layers and by layers' `activation=` arguments. */
export interface ActivationOnnx {
  lower(spec: ActivationSpec, x: OnnxValue, ctx: OnnxContext): OnnxValue;
  doc: string;
}
