import type { Declaration, Expr, Program, ShapeExpr, Statement } from '../parse/ast.js';
import type { Span } from '../diagnostics/span.js';
import type { SourceTokens } from './source-tokens.js';

/**
 * The places a comment can stand: every bracketed list, every `{ }` body and every pipeline,
 * with the items a comment can sit before, after or between. `key` identifies the list to the
 * printer (the AST array itself, or the pipeline node). One walker function per node kind, so
 * that a new kind of node lists its containers in one place.
 */
export interface Container {
  key: object;
  /** The offset just after the opening bracket (a pipeline: where its source starts). */
  open: number;
  /** The offset of the closing bracket (a pipeline: where its last stage ends). */
  close: number;
  items: ReadonlyArray<{ span: Span }>;
  /** Whether a comment right after `open`, on its line, belongs to the opener (`{  # note`). */
  hasOpener: boolean;
}

type Collect = (container: Container) => void;

interface Walk {
  tokens: SourceTokens;
  collect: Collect;
}

export function collectContainers(program: Program, tokens: SourceTokens): Container[] {
  const containers: Container[] = [];
  const walk: Walk = { tokens, collect: (c) => containers.push(c) };
  walk.collect({ key: program.declarations, open: 0, close: tokens.source.length, items: program.declarations, hasOpener: false });
  for (const decl of program.declarations) walkDeclaration(decl, walk);
  return containers.sort((a, b) => a.open - b.open || b.close - a.close);
}

function walkDeclaration(decl: Declaration, walk: Walk): void {
  let bodyFrom = decl.name.span.end.offset;
  if (decl.kind === 'Block') {
    const open = walk.tokens.next('(', decl.name.span.end.offset);
    const close = walk.tokens.next(')', decl.params[decl.params.length - 1]?.span.end.offset ?? open + 1);
    walk.collect({ key: decl.params, open: open + 1, close, items: decl.params, hasOpener: true });
    for (const param of decl.params) if (param.default) walkExpr(param.default, walk);
    bodyFrom = close + 1;
  }
  const open = walk.tokens.next('{', bodyFrom);
  walk.collect({ key: decl.body, open: open + 1, close: decl.span.end.offset - 1, items: decl.body, hasOpener: true });
  for (const statement of decl.body) walkStatement(statement, walk);
}

const statementWalkers: { [K in Statement['kind']]: (s: Extract<Statement, { kind: K }>, walk: Walk) => void } = {
  Input: (s, walk) => s.shape && walkShape(s.shape, walk),
  Output: (s, walk) => s.value && walkExpr(s.value, walk),
  Layer: (s, walk) => walkExpr(s.value, walk),
  Assign: (s, walk) => walkExpr(s.value, walk),
  Train: (s, walk) => {
    const open = walk.tokens.next('{', s.span.start.offset);
    walk.collect({ key: s.settings, open: open + 1, close: s.span.end.offset - 1, items: s.settings, hasOpener: true });
    for (const setting of s.settings) walkExpr(setting.value, walk);
  },
};

export function walkStatement(statement: Statement, walk: Walk): void {
  (statementWalkers[statement.kind] as (s: Statement, walk: Walk) => void)(statement, walk);
}

function walkShape(shape: ShapeExpr, walk: Walk): void {
  const open = walk.tokens.next('[', shape.span.start.offset);
  walk.collect({ key: shape.dims, open: open + 1, close: shape.span.end.offset - 1, items: shape.dims, hasOpener: true });
}

/** A bracketed list whose span runs from its opener to its closer. */
function bracketed(key: object, span: Span, items: ReadonlyArray<{ span: Span }>, walk: Walk): void {
  walk.collect({ key, open: span.start.offset + 1, close: span.end.offset - 1, items, hasOpener: true });
}

const exprWalkers: { [K in Expr['kind']]: (e: Extract<Expr, { kind: K }>, walk: Walk) => void } = {
  Identifier: () => undefined,
  Number: () => undefined,
  String: () => undefined,
  Boolean: () => undefined,
  Unknown: () => undefined,
  List: (e, walk) => {
    bracketed(e.items, e.span, e.items, walk);
    for (const item of e.items) walkExpr(item, walk);
  },
  Tuple: (e, walk) => {
    bracketed(e.items, e.span, e.items, walk);
    for (const item of e.items) walkExpr(item, walk);
  },
  Dict: (e, walk) => {
    bracketed(e.entries, e.span, e.entries, walk);
    for (const entry of e.entries) walkExpr(entry.value, walk);
  },
  Call: (e, walk) => {
    const open = walk.tokens.next('(', e.callee.span.end.offset);
    walk.collect({ key: e.args, open: open + 1, close: e.span.end.offset - 1, items: e.args, hasOpener: true });
    for (const arg of e.args) walkExpr(arg.value, walk);
  },
  Pipe: (e, walk) => {
    walk.collect({ key: e, open: e.span.start.offset, close: e.span.end.offset, items: [e.source, ...e.stages], hasOpener: false });
    walkExpr(e.source, walk);
    for (const stage of e.stages) walkExpr(stage, walk);
  },
};

export function walkExpr(expr: Expr, walk: Walk): void {
  (exprWalkers[expr.kind] as (e: Expr, walk: Walk) => void)(expr, walk);
}
