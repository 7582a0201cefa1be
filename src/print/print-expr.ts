import { Identifier as IdentifierToken, lexer } from '../../grammar/tokens.js';
import type { Argument, Comment, DictEntry, Expr } from '../parse/ast.js';
import type { CommentMap } from './comments.js';
import { breakParent, group, hardline, ifBreak, indent, line, lineSuffix, softline, type Doc } from './doc.js';

/** What every node printer may use: where the comments go. */
export interface PrintContext {
  comments: CommentMap;
}

/** A comment as printed: its text without trailing blanks. */
export function commentText(comment: Comment): string {
  return comment.text.trimEnd();
}

/** Trailing comments of an item, deferred to the end of its line (two spaces before `#`). */
export function trailingComments(item: object, ctx: PrintContext): Doc[] {
  return ctx.comments.trailing(item).flatMap((c) => [lineSuffix(`  ${commentText(c)}`), breakParent]);
}

/** Leading comments of an item, each on its own line before it. */
export function leadingComments(item: object, ctx: PrintContext): Doc[] {
  return ctx.comments.leading(item).flatMap((c) => [commentText(c), hardline]);
}

export interface ListStyle {
  open: string;
  close: string;
  /** `{ a: 1 }` has spaces inside its braces; `[1, 2]` and `f(a)` do not. */
  spaced?: boolean;
  /** A one-item tuple keeps its comma even on one line: `(a,)`. */
  alwaysTrailingComma?: boolean;
}

/**
 * A bracketed, comma-separated list: on one line when it fits, else one item per line with a
 * trailing comma. Comments of the list and its items force it onto several lines.
 */
export function printList<T extends object>(key: object, items: readonly T[], print: (item: T) => Doc, style: ListStyle, ctx: PrintContext): Doc {
  const opener = ctx.comments.opener(key);
  const dangling = ctx.comments.dangling(key);
  if (items.length === 0 && opener.length === 0 && dangling.length === 0) return style.open + style.close;
  const edge = style.spaced ? line : softline;
  const parts: Doc[] = items.map((item, i) => {
    const last = i === items.length - 1;
    const comma = last ? (style.alwaysTrailingComma ? ',' : ifBreak(',')) : ',';
    return [...leadingComments(item, ctx), print(item), comma, ...trailingComments(item, ctx), last ? '' : line];
  });
  const danglingDocs = dangling.flatMap((c, i) => [i > 0 || items.length > 0 ? hardline : '', commentText(c), breakParent]);
  const openerDocs = opener.flatMap((c) => [lineSuffix(`  ${commentText(c)}`), breakParent]);
  return group([style.open, ...openerDocs, indent([edge, ...parts, ...danglingDocs]), edge, style.close]);
}

const exprPrinters: { [K in Expr['kind']]: (e: Extract<Expr, { kind: K }>, ctx: PrintContext) => Doc } = {
  Identifier: (e) => e.name,
  Number: (e) => e.raw,
  String: (e) => quote(e.value),
  Boolean: (e) => (e.value ? 'true' : 'false'),
  Unknown: () => '?',
  List: (e, ctx) => printList(e.items, e.items, (item) => printExpr(item, ctx), { open: '[', close: ']' }, ctx),
  Tuple: (e, ctx) => printList(e.items, e.items, (item) => printExpr(item, ctx), { open: '(', close: ')', alwaysTrailingComma: e.items.length === 1 }, ctx),
  Dict: (e, ctx) => printList(e.entries, e.entries, (entry) => printEntry(entry, ctx), { open: '{', close: '}', spaced: true }, ctx),
  Call: (e, ctx) => [e.callee.name, printList(e.args, e.args, (arg) => printArgument(arg, ctx), { open: '(', close: ')' }, ctx)],
  // Broken before every `->`, the stages one level in: the layout of a long Keras Sequential.
  Pipe: (e, ctx) =>
    group([
      printTerm(e.source, ctx),
      ...trailingComments(e.source, ctx),
      indent(e.stages.map((stage) => [line, ...leadingComments(stage, ctx), '-> ', printTerm(stage, ctx), ...trailingComments(stage, ctx)])),
    ]),
};

/** An expression where the grammar takes a whole pipeline: values, arguments, items. */
export function printExpr(expr: Expr, ctx: PrintContext): Doc {
  return (exprPrinters[expr.kind] as (e: Expr, ctx: PrintContext) => Doc)(expr, ctx);
}

/** A pipeline's source or stage is a single term: a pipeline there is grouped in parentheses. */
function printTerm(expr: Expr, ctx: PrintContext): Doc {
  return expr.kind === 'Pipe' ? ['(', printExpr(expr, ctx), ')'] : printExpr(expr, ctx);
}

function printArgument(arg: Argument, ctx: PrintContext): Doc {
  return arg.name ? [arg.name.name, '=', printExpr(arg.value, ctx)] : printExpr(arg.value, ctx);
}

function printEntry(entry: DictEntry, ctx: PrintContext): Doc {
  return [dictKey(entry.key.name), ': ', printExpr(entry.value, ctx)];
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' };

/** Strings are written with double quotes, whatever quotes they had. */
export function quote(value: string): string {
  return `"${value.replace(/[\\"\n\r\t\0]/g, (c) => ESCAPES[c]!)}"`;
}

/** A dict key that lexes as one plain name (not a keyword like `input`) is written bare. */
function dictKey(name: string): string {
  const { tokens, errors } = lexer.tokenize(name);
  const bare = errors.length === 0 && tokens.length === 1 && tokens[0]!.tokenType === IdentifierToken && tokens[0]!.image === name;
  return bare ? name : quote(name);
}
