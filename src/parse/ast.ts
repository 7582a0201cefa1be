import type { Span } from '../diagnostics/span.js';

/**
 * The abstract syntax tree: what the user wrote, with a span on every node and no
 * semantics yet. One expression grammar serves tensors, layers and settings alike;
 * the checker decides what each expression means where it stands.
 */

export interface Identifier {
  kind: 'Identifier';
  name: string;
  span: Span;
}

export interface NumberLiteral {
  kind: 'Number';
  value: number;
  /** The text as written, e.g. `1e-3`; integers are told apart by it. */
  raw: string;
  span: Span;
}

export interface StringLiteral {
  kind: 'String';
  value: string;
  span: Span;
}

export interface BooleanLiteral {
  kind: 'Boolean';
  value: boolean;
  span: Span;
}

/** `?`: an unknown dimension. */
export interface UnknownLiteral {
  kind: 'Unknown';
  span: Span;
}

export interface ListExpr {
  kind: 'List';
  items: Expr[];
  span: Span;
}

/** `(a, b)`: several tensors fed together into a merge op or a multi-input block. */
export interface TupleExpr {
  kind: 'Tuple';
  items: Expr[];
  span: Span;
}

export interface DictEntry {
  key: Identifier;
  value: Expr;
  span: Span;
}

/** `{ price: mse, aux: mse }` */
export interface DictExpr {
  kind: 'Dict';
  entries: DictEntry[];
  span: Span;
}

export interface Argument {
  /** Present for `key=value`. */
  name?: Identifier;
  value: Expr;
  span: Span;
}

/** `dense(30, relu)`, `concat(a, b, axis=-1)`, `identity(1.5)` */
export interface CallExpr {
  kind: 'Call';
  callee: Identifier;
  args: Argument[];
  span: Span;
}

/** `source -> stage -> stage`; stages are layer expressions (names or calls). */
export interface PipeExpr {
  kind: 'Pipe';
  source: Expr;
  stages: Expr[];
  span: Span;
}

export type Expr =
  | Identifier
  | NumberLiteral
  | StringLiteral
  | BooleanLiteral
  | UnknownLiteral
  | ListExpr
  | TupleExpr
  | DictExpr
  | CallExpr
  | PipeExpr;

export interface ShapeExpr {
  kind: 'Shape';
  /** `int32` in `int32[20]`; absent means float32. */
  dtype?: Identifier;
  /** Numbers, `?`, or identifiers (block parameters). */
  dims: Array<NumberLiteral | UnknownLiteral | Identifier>;
  span: Span;
}

export interface InputStatement {
  kind: 'Input';
  name: Identifier;
  shape?: ShapeExpr;
  span: Span;
}

export interface OutputStatement {
  kind: 'Output';
  name: Identifier;
  /** Absent for `output NAME`, which exports an already-defined tensor. */
  value?: Expr;
  span: Span;
}

/** `layer encoder = dense(32, relu)`: one layer, one set of weights, usable many times. */
export interface LayerStatement {
  kind: 'Layer';
  name: Identifier;
  value: Expr;
  span: Span;
}

/** `name = expr` */
export interface AssignStatement {
  kind: 'Assign';
  name: Identifier;
  value: Expr;
  span: Span;
}

export interface TrainSetting {
  key: Identifier;
  value: Expr;
  span: Span;
}

export interface TrainStatement {
  kind: 'Train';
  settings: TrainSetting[];
  /** Keys of settings the parser could not read whole (`loss =` and no value): not also missing. */
  incomplete?: Identifier[];
  span: Span;
}

/**
 * A statement the parser could not read whole (its syntax error is reported): what it would
 * have declared, so that the checker does not also report that name as undefined or missing.
 */
export interface IncompleteStatement {
  kind: 'Input' | 'Output' | 'Layer' | 'Assign';
  name: Identifier;
}

export type Statement =
  | InputStatement
  | OutputStatement
  | LayerStatement
  | AssignStatement
  | TrainStatement;

export interface ModelDecl {
  kind: 'Model';
  name: Identifier;
  body: Statement[];
  incomplete?: IncompleteStatement[];
  span: Span;
}

export interface BlockParam {
  name: Identifier;
  default?: Expr;
  span: Span;
}

export interface BlockDecl {
  kind: 'Block';
  name: Identifier;
  params: BlockParam[];
  body: Statement[];
  incomplete?: IncompleteStatement[];
  span: Span;
}

export type Declaration = ModelDecl | BlockDecl;

export interface Comment {
  text: string;
  span: Span;
}

export interface Program {
  kind: 'Program';
  declarations: Declaration[];
  /** Comments in source order; kept for the formatter and the language server. */
  comments: Comment[];
  span: Span;
}
