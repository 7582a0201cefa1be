import type { Span } from '../diagnostics/span.js';
import type { BlockParam, Comment, Declaration, Expr, Program, ShapeExpr, Statement, TrainSetting } from '../parse/ast.js';
import { attachComments, CommentMap } from './comments.js';
import { breakParent, hardline, indent, lineSuffix, printDoc, type Doc } from './doc.js';
import { commentText, printExpr, printList, trailingComments, type PrintContext } from './print-expr.js';
import { SourceTokens } from './source-tokens.js';

/**
 * The `.nn` printer: one canonical layout, documented in docs/editors.md. Two-space
 * indentation; one statement or setting per line; `name = value` with spaces, `key=value`
 * arguments without; a pipeline on one line when it fits in the width, else broken before
 * every `->`; a list, argument list or dictionary on one line when it fits, else one item per
 * line with a trailing comma; one blank line between declarations, and a blank line inside a
 * body kept (one at most) where the source has one. Numbers keep the text they were written
 * with (`1e-3`); strings are re-quoted with double quotes.
 *
 * Given the source, every comment is kept where it stands (see comments.ts); without it (an
 * AST built in code), the program is printed without comments. parse(print(ast)) gives `ast`
 * back, spans aside, and printing is idempotent.
 */
export interface PrintOptions {
  /** The line width pipelines and lists are broken at; default 80. */
  width?: number;
}

export const DEFAULT_WIDTH = 80;

export function printProgram(program: Program, source?: string, options: PrintOptions = {}): string {
  const comments = source === undefined ? new CommentMap() : attachComments(program, new SourceTokens(source));
  const ctx: PrintContext = { comments };
  const pieces = [
    ...program.declarations.flatMap((decl) => withLeading(decl, printDeclaration(decl, ctx), ctx)),
    ...ctx.comments.dangling(program.declarations).map((c) => commentPiece(c)),
  ];
  const doc: Doc[] = [];
  pieces.forEach((piece, i) => {
    const previous = pieces[i - 1];
    if (!previous) return doc.push(piece.doc);
    // A declaration, or the comments that lead into one, starts after a blank line.
    const blank = (previous.item && piece.startsDeclaration) || blankBetween(previous.span, piece.span);
    doc.push(hardline, ...(blank ? [hardline] : []), piece.doc);
  });
  const text = printDoc(doc, options.width ?? DEFAULT_WIDTH);
  return text && `${text}\n`;
}

interface Piece {
  span: Span;
  doc: Doc;
  /** An item (rather than one of its leading comments). */
  item: boolean;
  /** The first piece of a declaration: its first leading comment, or the declaration itself. */
  startsDeclaration?: boolean;
}

function commentPiece(comment: Comment): Piece {
  return { span: comment.span, doc: commentText(comment), item: false };
}

/** An item preceded by its own-line comments, each a piece, so that blank lines between them survive. */
function withLeading(item: { span: Span }, doc: Doc, ctx: PrintContext): Piece[] {
  const pieces = [...ctx.comments.leading(item).map(commentPiece), { span: item.span, doc: [doc, ...trailingComments(item, ctx)], item: true }];
  pieces[0]!.startsDeclaration = true;
  return pieces;
}

/** A blank line in the source between two pieces; comments are pieces too, so the gap holds only whitespace. */
function blankBetween(previous: Span, next: Span): boolean {
  return next.start.line > previous.end.line + 1;
}

/** A `{ }` body: one item per line, blank lines kept where the source has them. */
function printBody<T extends { span: Span }>(key: object, items: readonly T[], print: (item: T) => Doc, ctx: PrintContext): Doc {
  const opener = ctx.comments.opener(key);
  const dangling = ctx.comments.dangling(key);
  if (items.length === 0 && opener.length === 0 && dangling.length === 0) return '{}';
  const pieces = [...items.flatMap((item) => withLeading(item, print(item), ctx)), ...dangling.map(commentPiece)];
  const lines: Doc[] = [];
  pieces.forEach((piece, i) => {
    const previous = pieces[i - 1];
    lines.push(hardline, ...(previous && blankBetween(previous.span, piece.span) ? [hardline] : []), piece.doc);
  });
  return ['{', ...opener.flatMap((c) => [lineSuffix(`  ${commentText(c)}`), breakParent]), indent(lines), hardline, '}'];
}

function printDeclaration(decl: Declaration, ctx: PrintContext): Doc {
  const body = printBody(decl.body, decl.body, (s) => printStatement(s, ctx), ctx);
  if (decl.kind === 'Model') return ['model ', decl.name.name, ' ', body];
  const params = printList(decl.params, decl.params, (p) => printParam(p, ctx), { open: '(', close: ')' }, ctx);
  return ['block ', decl.name.name, params, ' ', body];
}

function printParam(param: BlockParam, ctx: PrintContext): Doc {
  return param.default ? [param.name.name, ' = ', printExpr(param.default, ctx)] : param.name.name;
}

const statementPrinters: { [K in Statement['kind']]: (s: Extract<Statement, { kind: K }>, ctx: PrintContext) => Doc } = {
  Input: (s, ctx) => (s.shape ? ['input ', s.name.name, ': ', printShape(s.shape, ctx)] : ['input ', s.name.name]),
  Output: (s, ctx) => (s.value ? ['output ', s.name.name, ' = ', printExpr(s.value, ctx)] : ['output ', s.name.name]),
  Layer: (s, ctx) => ['layer ', s.name.name, ' = ', printExpr(s.value, ctx)],
  Assign: (s, ctx) => [s.name.name, ' = ', printExpr(s.value, ctx)],
  Train: (s, ctx) => ['train ', printBody(s.settings, s.settings, (setting) => printSetting(setting, ctx), ctx)],
};

function printStatement(statement: Statement, ctx: PrintContext): Doc {
  return (statementPrinters[statement.kind] as (s: Statement, ctx: PrintContext) => Doc)(statement, ctx);
}

function printSetting(setting: TrainSetting, ctx: PrintContext): Doc {
  return [setting.key.name, ' = ', printExpr(setting.value, ctx)];
}

function printShape(shape: ShapeExpr, ctx: PrintContext): Doc {
  const dims = printList(shape.dims, shape.dims, (d) => printExpr(d, ctx), { open: '[', close: ']' }, ctx);
  return [shape.dtype?.name ?? '', dims];
}

/** One expression on one line, as the formatter writes it (for hovers and messages). */
export function printExpressionLine(expr: Expr): string {
  return printDoc(printExpr(expr, { comments: new CommentMap() }), Infinity);
}
