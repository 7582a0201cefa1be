import type { IToken } from 'chevrotain';
import type {
  BlockCstNode,
  BodyCstNode,
  FileCstNode,
  ModelCstNode,
  ParamCstNode,
  SettingCstNode,
  StatementCstNode,
} from '../../grammar/cst.js';
import type { Reporter } from '../diagnostics/reporter.js';
import type { Span } from '../diagnostics/span.js';
import type { BlockDecl, BlockParam, Declaration, ModelDecl, Program, Statement, TrainSetting } from './ast.js';
import { buildExpr, identifier } from './build-expr.js';
import { buildShape } from './build-shape.js';
import { spanOver, tokenSpan } from './spans.js';

/**
 * CST to AST for declarations and statements. Nodes that error recovery left without a
 * required part (a name, a value) are skipped: the parser has reported why.
 */
export function buildProgram(file: FileCstNode | undefined, comments: IToken[], span: Span, reporter: Reporter): Program {
  const declarations: Declaration[] = [];
  for (const node of file?.children.declarations ?? []) {
    const declaration = node.name === 'model' ? buildModel(node, reporter) : buildBlock(node, reporter);
    if (declaration) declarations.push(declaration);
  }
  return {
    kind: 'Program',
    declarations,
    comments: comments.map((token) => ({ text: token.image, span: tokenSpan(token) })),
    span,
  };
}

function buildModel(node: ModelCstNode, reporter: Reporter): ModelDecl | undefined {
  const c = node.children;
  const name = identifier(c.name);
  if (!name) return undefined;
  const body = buildBody(c.body?.[0], reporter);
  return { kind: 'Model', name, body: body.statements, span: spanOver([...c.keyword, name, ...body.parts])! };
}

function buildBlock(node: BlockCstNode, reporter: Reporter): BlockDecl | undefined {
  const c = node.children;
  const name = identifier(c.name);
  if (!name) return undefined;
  const params = (c.params ?? []).flatMap((param) => buildParam(param, reporter) ?? []);
  const body = buildBody(c.body?.[0], reporter);
  const span = spanOver([...c.keyword, name, ...(c.LParen ?? []), ...params, ...(c.RParen ?? []), ...body.parts])!;
  return { kind: 'Block', name, params, body: body.statements, span };
}

function buildParam(node: ParamCstNode, reporter: Reporter): BlockParam | undefined {
  const name = identifier(node.children.name);
  if (!name) return undefined;
  const value = buildExpr(node.children.default?.[0], reporter);
  return value ? { name, default: value, span: spanOver([name, value])! } : { name, span: name.span };
}

/** The statements, and everything located in the body for the enclosing span. */
function buildBody(node: BodyCstNode | undefined, reporter: Reporter): { statements: Statement[]; parts: Array<IToken | Statement> } {
  if (!node) return { statements: [], parts: [] };
  const c = node.children;
  const statements = (c.statements ?? []).flatMap((statement) => buildStatement(statement, reporter) ?? []);
  return { statements, parts: [...(c.LBrace ?? []), ...statements, ...(c.RBrace ?? [])] };
}

function buildStatement(node: StatementCstNode, reporter: Reporter): Statement | undefined {
  const { inputStatement, outputStatement, layerStatement, trainStatement, assignStatement } = node.children;
  if (inputStatement) {
    const c = inputStatement[0]!.children;
    const name = identifier(c.name);
    if (!name) return undefined;
    const shape = buildShape(c.shape?.[0], reporter);
    const span = spanOver([...c.keyword, name, shape])!;
    return shape ? { kind: 'Input', name, shape, span } : { kind: 'Input', name, span };
  }
  if (outputStatement) {
    const c = outputStatement[0]!.children;
    const name = identifier(c.name);
    if (!name) return undefined;
    const value = buildExpr(c.value?.[0], reporter);
    const span = spanOver([...c.keyword, name, value])!;
    return value ? { kind: 'Output', name, value, span } : { kind: 'Output', name, span };
  }
  if (trainStatement) {
    const c = trainStatement[0]!.children;
    const settings = (c.settings ?? []).flatMap((setting) => buildSetting(setting, reporter) ?? []);
    const span = spanOver([...c.keyword, ...(c.LBrace ?? []), ...settings, ...(c.RBrace ?? [])])!;
    return { kind: 'Train', settings, span };
  }
  const definition = layerStatement?.[0] ?? assignStatement?.[0];
  if (!definition) return undefined;
  const c = definition.children;
  const name = identifier(c.name);
  const value = buildExpr(c.value?.[0], reporter);
  if (!name || !value) return undefined;
  const keyword = 'keyword' in c ? c.keyword : [];
  const span = spanOver([...keyword, name, value])!;
  return { kind: definition.name === 'layerStatement' ? 'Layer' : 'Assign', name, value, span };
}

function buildSetting(node: SettingCstNode, reporter: Reporter): TrainSetting | undefined {
  const key = identifier(node.children.key);
  const value = buildExpr(node.children.value?.[0], reporter);
  if (!key || !value) return undefined;
  return { key, value, span: spanOver([key, value])! };
}
