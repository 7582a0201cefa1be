import type { IToken } from 'chevrotain';
import type {
  ArgCstChildren,
  ArgCstNode,
  DictCstNode,
  EntryCstNode,
  ExprCstChildren,
  ExprCstNode,
  ListCstNode,
  ParenthesizedCstNode,
  TermCstChildren,
  TermCstNode,
} from '../../grammar/cst.js';
import * as t from '../../grammar/tokens.js';
import type { Argument, DictEntry, Expr, Identifier, NumberLiteral, StringLiteral } from './ast.js';
import { listInOrder } from './comma-lists.js';
import type { BuildContext } from './context.js';
import { isRealToken, spanOver } from './spans.js';

/**
 * CST to AST for expressions. After a syntax error chevrotain leaves partial nodes whose
 * children may be missing; a builder then returns undefined and its caller drops the node,
 * since the parser has already reported the error.
 */

export function identifier(tokens: IToken[] | undefined, ctx: BuildContext): Identifier | undefined {
  const token = tokens?.[0];
  if (!isRealToken(token)) return undefined;
  return { kind: 'Identifier', name: token.image, span: ctx.lines.tokenSpan(token) };
}

/** Reports a literal beyond float64 (`1e400`): nothing downstream can compute with or emit Infinity. */
export function numberLiteral(token: IToken, ctx: BuildContext): NumberLiteral {
  const literal: NumberLiteral = { kind: 'Number', value: Number(token.image), raw: token.image, span: ctx.lines.tokenSpan(token) };
  if (!Number.isFinite(literal.value)) {
    ctx.report('nonFiniteNumber', literal.span, { raw: literal.raw }, { help: 'write a number whose magnitude is below 1.8e308' });
  }
  return literal;
}

export function stringLiteral(token: IToken, ctx: BuildContext): StringLiteral {
  return { kind: 'String', value: unquote(token), span: ctx.lines.tokenSpan(token) };
}

const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0' };

/** The value of a string token; an unterminated one simply has no closing quote. */
export function unquote(token: IToken): string {
  const body = token.image.slice(1, token.tokenType === t.UnterminatedString ? undefined : -1);
  return body.replace(/\\(.?)/g, (_, c: string) => escapes[c] ?? c);
}

export function buildExpr(node: ExprCstNode | undefined, ctx: BuildContext): Expr | undefined {
  return node && buildPipeline(node.children, ctx);
}

/** An `expr`, or the inline expression at the start of an `arg`. */
function buildPipeline(c: ExprCstChildren | ArgCstChildren, ctx: BuildContext): Expr | undefined {
  const terms = c.terms;
  if (!terms) return undefined;
  if (terms.length === 1) return buildTerm(terms[0]!, ctx);
  let source: Expr | undefined;
  const stages: Expr[] = [];
  for (const term of terms) {
    const built = buildTerm(term, ctx);
    if (!built) continue;
    if (source) stages.push(built);
    else source = built;
  }
  if (!source || stages.length === 0) return source;
  return { kind: 'Pipe', source, stages, span: { start: source.span.start, end: stages[stages.length - 1]!.span.end } };
}

function buildTerm(node: TermCstNode, ctx: BuildContext): Expr | undefined {
  const c = node.children;
  if (c.callee) return buildCall(c, ctx);
  const token = c.number?.[0] ?? c.string?.[0] ?? c.boolean?.[0] ?? c.unknown?.[0];
  if (isRealToken(token)) {
    if (c.number) return numberLiteral(token, ctx);
    if (c.string) return stringLiteral(token, ctx);
    if (c.boolean) return { kind: 'Boolean', value: token.tokenType === t.True, span: ctx.lines.tokenSpan(token) };
    return { kind: 'Unknown', span: ctx.lines.tokenSpan(token) };
  }
  if (c.list) return buildList(c.list[0]!, ctx);
  if (c.dict) return buildDict(c.dict[0]!, ctx);
  if (c.parenthesized) return buildParenthesized(c.parenthesized[0]!, ctx);
  return undefined;
}

/** `name` or `name(args)`. */
function buildCall(c: TermCstChildren, ctx: BuildContext): Expr | undefined {
  const callee = identifier(c.callee, ctx);
  if (!callee || !c.LParen) return callee;
  const args = buildArgs(listInOrder(c.args, c.missingComma, t.RParen, ctx), ctx);
  const close = c.RParen?.[0];
  const last = isRealToken(close) ? ctx.lines.tokenSpan(close) : (args[args.length - 1]?.span ?? ctx.lines.tokenSpan(c.LParen[0]!));
  return { kind: 'Call', callee, args, span: { start: callee.span.start, end: last.end } };
}

function buildArgs(nodes: ArgCstNode[], ctx: BuildContext): Argument[] {
  const args: Argument[] = [];
  let keywordSeen = false;
  for (const node of nodes) {
    const value = buildPipeline(node.children, ctx);
    if (!value) continue;
    if (!node.children.Equals) {
      if (keywordSeen) ctx.report('positionalAfterKeyword', value.span, {});
      args.push({ value, span: value.span });
      continue;
    }
    keywordSeen = true;
    const keywordValue = buildExpr(node.children.keywordValue?.[0], ctx);
    const name = bareName(node.children, ctx);
    if (!name) {
      ctx.report('invalidArgumentName', value.span, {}, { help: 'write `name=value`, e.g. `activation=relu`' });
      continue;
    }
    if (keywordValue) args.push({ name, value: keywordValue, span: { start: name.span.start, end: keywordValue.span.end } });
  }
  return args;
}

/** `name` alone: one term, no parentheses, no call, no pipeline. */
function bareName(c: ArgCstChildren, ctx: BuildContext): Identifier | undefined {
  const terms = c.terms;
  if (!terms || terms.length !== 1 || c.Arrow) return undefined;
  const term = terms[0]!.children;
  return term.LParen ? undefined : identifier(term.callee, ctx);
}

function buildList(node: ListCstNode, ctx: BuildContext): Expr | undefined {
  const c = node.children;
  const items = listInOrder(c.items, c.missingComma, t.RBracket, ctx).flatMap((item) => buildExpr(item, ctx) ?? []);
  const span = spanOver([c.LBracket[0], items[items.length - 1], c.Comma?.[c.Comma.length - 1], c.RBracket?.[0]], ctx.lines);
  return span && { kind: 'List', items, span };
}

function buildDict(node: DictCstNode, ctx: BuildContext): Expr | undefined {
  const c = node.children;
  const entries = listInOrder(c.entries, c.missingComma, t.RBrace, ctx).flatMap((entry) => buildEntry(entry, ctx) ?? []);
  const span = spanOver([c.LBrace[0], entries[entries.length - 1], c.Comma?.[c.Comma.length - 1], c.RBrace?.[0]], ctx.lines);
  return span && { kind: 'Dict', entries, span };
}

function buildEntry(node: EntryCstNode, ctx: BuildContext): DictEntry | undefined {
  const token = node.children.key?.[0];
  const value = buildExpr(node.children.value?.[0], ctx);
  if (!isRealToken(token) || !value) return undefined;
  // A quoted key names the same thing as a bare one: `{"price": mse}` is `{price: mse}`.
  const name = token.tokenType === t.Identifier ? token.image : unquote(token);
  const key: Identifier = { kind: 'Identifier', name, span: ctx.lines.tokenSpan(token) };
  return { key, value, span: { start: key.span.start, end: value.span.end } };
}

function buildParenthesized(node: ParenthesizedCstNode, ctx: BuildContext): Expr | undefined {
  const c = node.children;
  const items = listInOrder(c.items, c.missingComma, t.RParen, ctx).flatMap((item) => buildExpr(item, ctx) ?? []);
  if (!c.Comma && !c.missingComma) return items[0];
  const span = spanOver([c.LParen[0], items[items.length - 1], c.Comma?.[c.Comma.length - 1], c.RParen?.[0]], ctx.lines);
  return span && { kind: 'Tuple', items, span };
}
