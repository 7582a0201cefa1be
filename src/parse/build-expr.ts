import type { IToken } from 'chevrotain';
import type {
  ArgCstNode,
  CallCstNode,
  DictCstNode,
  EntryCstNode,
  ExprCstNode,
  ListCstNode,
  ParenthesizedCstNode,
  TermCstNode,
} from '../../grammar/cst.js';
import * as t from '../../grammar/tokens.js';
import type { Reporter } from '../diagnostics/reporter.js';
import type { Argument, DictEntry, Expr, Identifier, NumberLiteral, StringLiteral } from './ast.js';
import { isRealToken, spanOver, tokenSpan } from './spans.js';

/**
 * CST to AST for expressions. After a syntax error chevrotain leaves partial nodes whose
 * children may be missing; a builder then returns undefined and its caller drops the node,
 * since the parser has already reported the error.
 */

export function identifier(tokens: IToken[] | undefined): Identifier | undefined {
  const token = tokens?.[0];
  if (!isRealToken(token)) return undefined;
  return { kind: 'Identifier', name: token.image, span: tokenSpan(token) };
}

export function numberLiteral(token: IToken): NumberLiteral {
  return { kind: 'Number', value: Number(token.image), raw: token.image, span: tokenSpan(token) };
}

export function stringLiteral(token: IToken): StringLiteral {
  return { kind: 'String', value: unquote(token), span: tokenSpan(token) };
}

const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0' };

/** The value of a string token; an unterminated one simply has no closing quote. */
export function unquote(token: IToken): string {
  const body = token.image.slice(1, token.tokenType === t.UnterminatedString ? undefined : -1);
  return body.replace(/\\(.?)/g, (_, c: string) => escapes[c] ?? c);
}

export function buildExpr(node: ExprCstNode | undefined, reporter: Reporter): Expr | undefined {
  if (!node) return undefined;
  const terms = (node.children.terms ?? []).flatMap((term) => buildTerm(term, reporter) ?? []);
  const [source, ...stages] = terms;
  if (!source || stages.length === 0) return source;
  const span = spanOver([...terms, ...(node.children.Arrow ?? [])])!;
  return { kind: 'Pipe', source, stages, span };
}

function buildTerm(node: TermCstNode, reporter: Reporter): Expr | undefined {
  const c = node.children;
  if (c.call) return buildCall(c.call[0]!, reporter);
  const token = c.number?.[0] ?? c.string?.[0] ?? c.boolean?.[0] ?? c.unknown?.[0];
  if (isRealToken(token)) {
    if (c.number) return numberLiteral(token);
    if (c.string) return stringLiteral(token);
    if (c.boolean) return { kind: 'Boolean', value: token.tokenType === t.True, span: tokenSpan(token) };
    return { kind: 'Unknown', span: tokenSpan(token) };
  }
  if (c.list) return buildList(c.list[0]!, reporter);
  if (c.dict) return buildDict(c.dict[0]!, reporter);
  if (c.parenthesized) return buildParenthesized(c.parenthesized[0]!, reporter);
  return undefined;
}

function buildCall(node: CallCstNode, reporter: Reporter): Expr | undefined {
  const c = node.children;
  const callee = identifier(c.callee);
  if (!callee) return undefined;
  if (!c.LParen) return callee;
  const args = buildArgs(c.args ?? [], reporter);
  const span = spanOver([callee, ...c.LParen, ...args, ...(c.Comma ?? []), ...(c.RParen ?? [])])!;
  return { kind: 'Call', callee, args, span };
}

function buildArgs(nodes: ArgCstNode[], reporter: Reporter): Argument[] {
  const args: Argument[] = [];
  let keywordSeen = false;
  for (const node of nodes) {
    const value = buildExpr(node.children.value?.[0], reporter);
    if (!value) continue;
    if (!node.children.Equals) {
      if (keywordSeen) reporter.report('positionalAfterKeyword', value.span, {});
      args.push({ value, span: value.span });
      continue;
    }
    keywordSeen = true;
    const keywordValue = buildExpr(node.children.keywordValue?.[0], reporter);
    const name = bareName(node.children.value?.[0]);
    if (!name) {
      reporter.report('invalidArgumentName', value.span, {}, { help: 'write `name=value`, e.g. `activation=relu`' });
      continue;
    }
    if (keywordValue) args.push({ name, value: keywordValue, span: spanOver([name, keywordValue])! });
  }
  return args;
}

/** `name` alone: one term, no parentheses, no call, no pipeline. */
function bareName(node: ExprCstNode | undefined): Identifier | undefined {
  const terms = node?.children.terms;
  if (!terms || terms.length !== 1 || node.children.Arrow) return undefined;
  const call = terms[0]!.children.call?.[0];
  if (!call || call.children.LParen) return undefined;
  return identifier(call.children.callee);
}

function buildList(node: ListCstNode, reporter: Reporter): Expr | undefined {
  const c = node.children;
  const items = (c.items ?? []).flatMap((item) => buildExpr(item, reporter) ?? []);
  const span = spanOver([...c.LBracket, ...items, ...(c.RBracket ?? [])]);
  return span && { kind: 'List', items, span };
}

function buildDict(node: DictCstNode, reporter: Reporter): Expr | undefined {
  const c = node.children;
  const entries = (c.entries ?? []).flatMap((entry) => buildEntry(entry, reporter) ?? []);
  const span = spanOver([...c.LBrace, ...entries, ...(c.RBrace ?? [])]);
  return span && { kind: 'Dict', entries, span };
}

function buildEntry(node: EntryCstNode, reporter: Reporter): DictEntry | undefined {
  const token = node.children.key?.[0];
  const value = buildExpr(node.children.value?.[0], reporter);
  if (!isRealToken(token) || !value) return undefined;
  // A quoted key names the same thing as a bare one: `{"price": mse}` is `{price: mse}`.
  const name = token.tokenType === t.Identifier ? token.image : unquote(token);
  const key: Identifier = { kind: 'Identifier', name, span: tokenSpan(token) };
  return { key, value, span: spanOver([key, value])! };
}

function buildParenthesized(node: ParenthesizedCstNode, reporter: Reporter): Expr | undefined {
  const c = node.children;
  const items = (c.items ?? []).flatMap((item) => buildExpr(item, reporter) ?? []);
  if (!c.commas) return items[0];
  const span = spanOver([...c.LParen, ...items, ...c.commas, ...(c.RParen ?? [])]);
  return span && { kind: 'Tuple', items, span };
}
