import type { Span } from '../diagnostics/span.js';

/**
 * The intermediate representation: a plain, JSON-serialisable typed graph per model.
 * Blocks, `repeat` and pipelines are already expanded; every shape is inferred; every
 * node keeps the span of the source that produced it. Backends (tfjs codegen, the
 * float64 reference engine) and tools (playground, formatter) consume this.
 */

/** A dimension: a size, or `null` when unknown (`?`). The batch dimension is never stored. */
export type Dim = number | null;
export type Shape = Dim[];
export type DType = 'float32' | 'int32';

export interface TensorType {
  shape: Shape;
  dtype: DType;
}

/** A resolved activation: `leaky_relu(0.2)` is `{ name: 'leaky_relu', params: { alpha: 0.2 } }`. */
export interface ActivationSpec {
  name: string;
  params: Record<string, number>;
}

/** A resolved initializer. `auto` is replaced by a concrete scheme and remembered in `auto`. */
export interface InitSpec {
  name: string;
  params: Record<string, number>;
  auto?: boolean;
}

export type AttrValue =
  | number
  | string
  | boolean
  | null
  | AttrValue[]
  | ActivationSpec
  | InitSpec
  | { [key: string]: AttrValue };

export type Attrs = Record<string, AttrValue>;

export interface IRWeight {
  /** `kernel`, `bias`, `gamma`, `beta`, `moving_mean`, `embeddings`... (tfjs's names). */
  name: string;
  shape: number[];
  init: InitSpec;
  /** Inputs feeding one output unit, and outputs fed by one input unit (Keras's convention). */
  fanIn: number;
  fanOut: number;
  trainable: boolean;
}

/** A layer: one op with its arguments and one set of weights. A shared layer is applied by several nodes. */
export interface IRLayer {
  /** Unique within the model; the tfjs layer name (`hidden/dense_1`, `res/h/dense_2`). */
  id: string;
  op: string;
  attrs: Attrs;
  weights: IRWeight[];
  paramCount: number;
  /** The layer expression in the source (`dense(30, relu)`). */
  span: Span;
  /** The block instances this layer lives in, outermost first. */
  scope: string[];
}

export interface IRInputNode {
  kind: 'input';
  id: string;
  type: TensorType;
  span: Span;
}

export interface IRApplyNode {
  kind: 'apply';
  id: string;
  layer: string;
  inputs: string[];
  type: TensorType;
  span: Span;
  /** The source name this tensor is bound to (`hidden`), when there is one. */
  name?: string;
}

export type IRNode = IRInputNode | IRApplyNode;

export interface IRPort {
  name: string;
  node: string;
  type: TensorType;
  span: Span;
}

export interface IRLoss {
  name: string;
  weight: number;
  span: Span;
}

export interface IROptimizer {
  name: string;
  params: Record<string, number>;
  span: Span;
}

/** Stop when a monitored metric stops improving (Keras's EarlyStopping). */
export interface IREarlyStopping {
  /** `val_loss`, `loss`, `val_mae`... */
  monitor: string;
  patience: number;
  minDelta: number;
  /** Put back the weights of the best epoch when stopping. */
  restoreBest: boolean;
  /** Whether smaller is better (losses, errors) or larger (accuracy). */
  mode: 'min' | 'max';
  span: Span;
}

export interface IRTrain {
  /** Loss per output name. */
  losses: Record<string, IRLoss>;
  optimizer: IROptimizer;
  /**
   * The metrics of each output, by output name, in the order written (canonical names, no
   * duplicates); every output has an entry, empty when it has no metric.
   */
  metrics: Record<string, string[]>;
  epochs: number;
  batchSize: number;
  validationSplit: number;
  shuffle: boolean;
  seed: number | null;
  /**
   * Data columns per input and output name: exact column names or `prefix*` patterns, in order.
   * Absent names use the default convention (a column named NAME, or NAME_0, NAME_1, ...).
   */
  columns: Record<string, string[]>;
  earlyStopping: IREarlyStopping | null;
  span: Span;
}

export interface IRModel {
  name: string;
  span: Span;
  inputs: IRPort[];
  outputs: IRPort[];
  layers: IRLayer[];
  /** Topologically ordered: every node comes after its inputs. */
  nodes: IRNode[];
  /** `null` when the model has no `train { }` block: it builds but has nothing to train with. */
  train: IRTrain | null;
}

export interface IRProgram {
  version: 1;
  filename: string;
  models: IRModel[];
}
