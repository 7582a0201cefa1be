import type { SignalAnalysis } from '../analysis/signal.js';
import type { Span } from '../diagnostics/span.js';
import type { IRModel } from '../ir/ir.js';
import type { BlockDecl, Expr, Identifier, ModelDecl } from '../parse/ast.js';
import type { NodeBuild, Value } from './graph-builder.js';

/**
 * What the checker found while it elaborated, for tools that explain a program (the language
 * service's hover and inlay hints): the value of every stage and definition, in every block
 * instance, and each model's IR and depth analysis. The checker calls it when given one and
 * never reads it back; checking is the same with or without it.
 */
export interface ElaborationTrace {
  /** A pipeline stage, merge call or block-call stage was applied; `path` names the enclosing block instances. */
  stage(expr: Expr, value: Value, path: readonly string[]): void;
  /** A name was bound: an input, a definition, or a block's input inside an instance. */
  definition(name: Identifier, value: Value, path: readonly string[]): void;
  /** One use of a block: its instance name, its arguments as bound, what went in and came out. */
  instance(use: BlockUse): void;
  /** A model was elaborated; `ir` and `signal` are absent when it has errors. `idOf` gives a graph node's IR node id (none for nodes no output reaches). */
  model(decl: ModelDecl, result: { ir?: IRModel; signal?: SignalAnalysis; idOf?: (node: NodeBuild) => string | undefined }): void;
}

export interface BlockUse {
  decl: BlockDecl;
  /** The span of the stage that applied it (`Residual(64)`). */
  span: Span;
  instance: string;
  path: readonly string[];
  /** The parameters as bound at this use: the argument expressions, or the defaults. */
  bindings: ReadonlyMap<string, Expr>;
  inputs: readonly Value[];
  output: Value | undefined;
}
