import type { IToken } from 'chevrotain';
import type {
  BlockCstNode,
  BodyCstNode,
  FileCstNode,
  ModelCstNode,
  ParamCstNode,
  SettingCstNode,
} from '../../grammar/cst.js';
import * as t from '../../grammar/tokens.js';
import type { BlockDecl, BlockParam, Declaration, Identifier, IncompleteStatement, ModelDecl, Program, Statement, TrainSetting } from './ast.js';
import { buildExpr, identifier } from './build-expr.js';
import { buildShape } from './build-shape.js';
import { listInOrder } from './comma-lists.js';
import type { BuildContext } from './context.js';
import { withMissingArrows } from './missing-arrows.js';
import { isRealToken, spanOver, type Spanned } from './spans.js';

/**
 * CST to AST for declarations and statements. Nodes that error recovery left without a
 * required part (a name, a value) are skipped: the parser has reported why.
 */
export function buildProgram(file: FileCstNode | undefined, comments: IToken[], ctx: BuildContext): Program {
  const declarations: Declaration[] = [];
  for (const node of file?.children.declarations ?? []) {
    const declaration = node.name === 'model' ? buildModel(node, ctx) : buildBlock(node, ctx);
    if (declaration) declarations.push(declaration);
  }
  return {
    kind: 'Program',
    declarations,
    comments: comments.map((token) => ({ text: token.image, span: ctx.lines.tokenSpan(token) })),
    span: ctx.lines.span(0, ctx.lines.source.length),
  };
}

function buildModel(node: ModelCstNode, ctx: BuildContext): ModelDecl | undefined {
  const c = node.children;
  const name = identifier(c.name, ctx);
  if (!name) return undefined;
  const body = buildBody(c.body?.[0], ctx);
  const span = spanOver([c.keyword[0], name, ...body.parts], ctx.lines)!;
  return { kind: 'Model', name, body: body.statements, ...withIncomplete(body.incomplete), span };
}

function buildBlock(node: BlockCstNode, ctx: BuildContext): BlockDecl | undefined {
  const c = node.children;
  const name = identifier(c.name, ctx);
  if (!name) return undefined;
  const params = listInOrder(c.params, c.missingComma, t.RParen, ctx).flatMap((param) => buildParam(param, ctx) ?? []);
  const body = buildBody(c.body?.[0], ctx);
  const span = spanOver([c.keyword[0], name, c.LParen?.[0], params[params.length - 1], c.RParen?.[0], ...body.parts], ctx.lines)!;
  return { kind: 'Block', name, params, body: body.statements, ...withIncomplete(body.incomplete), span };
}

function buildParam(node: ParamCstNode, ctx: BuildContext): BlockParam | undefined {
  const name = identifier(node.children.name, ctx);
  if (!name) return undefined;
  const value = buildExpr(node.children.default?.[0], ctx);
  return value ? { name, default: value, span: { start: name.span.start, end: value.span.end } } : { name, span: name.span };
}

type StatementCstNode = NonNullable<BodyCstNode['children']['statements']>[number];

/** Only present when there is something in it: most bodies parse whole. */
function withIncomplete(incomplete: IncompleteStatement[]): { incomplete?: IncompleteStatement[] } {
  return incomplete.length > 0 ? { incomplete } : {};
}

const statementKinds = { inputStatement: 'Input', outputStatement: 'Output', layerStatement: 'Layer', assignStatement: 'Assign' } as const;

/** The statements, those that failed by name, and everything located in the body for the enclosing span. */
function buildBody(node: BodyCstNode | undefined, ctx: BuildContext): { statements: Statement[]; incomplete: IncompleteStatement[]; parts: Spanned[] } {
  if (!node) return { statements: [], incomplete: [], parts: [] };
  const c = node.children;
  const statements: Statement[] = [];
  const incomplete: IncompleteStatement[] = [];
  const children: Array<StatementCstNode | undefined> = c.statements ?? [];
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    const statement = buildStatement(child, ctx);
    if (!statement && child.name !== 'trainStatement') {
      const name = identifier(child.children.name, ctx);
      if (name) incomplete.push({ kind: statementKinds[child.name], name });
    }
    // Each statement's parse tree is let go once its syntax tree is built, so that a large
    // model never holds both whole trees at once.
    children[i] = undefined;
    if (statement) statements.push(statement);
  }
  const parts = [c.LBrace?.[0], statements[0], statements[statements.length - 1], incomplete[0]?.name, incomplete[incomplete.length - 1]?.name, c.RBrace?.[0]];
  return { statements, incomplete, parts };
}

function buildStatement(node: StatementCstNode, ctx: BuildContext): Statement | undefined {
  switch (node.name) {
    case 'inputStatement': {
      const c = node.children;
      const name = identifier(c.name, ctx);
      if (!name) return undefined;
      const shape = buildShape(c.shape?.[0], ctx);
      const span = spanOver([c.keyword[0], name, shape], ctx.lines)!;
      return shape ? { kind: 'Input', name, shape, span } : { kind: 'Input', name, span };
    }
    case 'outputStatement': {
      const c = node.children;
      const name = identifier(c.name, ctx);
      if (!name) return undefined;
      const value = withMissingArrows(buildExpr(c.value?.[0], ctx), c.missingArrow, ctx);
      // `output y =` and a value that failed to parse is not `output y` (export the tensor `y`).
      if (!value && c.Equals) return undefined;
      const span = spanOver([c.keyword[0], name, value], ctx.lines)!;
      return value ? { kind: 'Output', name, value, span } : { kind: 'Output', name, span };
    }
    case 'trainStatement': {
      const c = node.children;
      const settings: TrainSetting[] = [];
      const incomplete: Identifier[] = [];
      for (const node of c.settings ?? []) {
        const setting = buildSetting(node, ctx);
        const key = setting ? undefined : identifier(node.children.key, ctx);
        if (setting) settings.push(setting);
        else if (key) incomplete.push(key);
      }
      const span = spanOver([c.keyword[0], c.LBrace?.[0], settings[settings.length - 1], incomplete[incomplete.length - 1], c.RBrace?.[0]], ctx.lines)!;
      return incomplete.length > 0 ? { kind: 'Train', settings, incomplete, span } : { kind: 'Train', settings, span };
    }
    case 'layerStatement':
    case 'assignStatement': {
      const c = node.children;
      const name = identifier(c.name, ctx);
      const built = buildExpr(c.value?.[0], ctx);
      const joined = withMissingArrows(built, c.missingArrow, ctx);
      // A shared layer is one layer, never a pipeline: the parts after the gap are reported and dropped.
      const value = node.name === 'layerStatement' ? built : joined;
      if (!name || !value) return undefined;
      const start = 'keyword' in c ? ctx.lines.tokenSpan(c.keyword[0]!) : name.span;
      const kind = node.name === 'layerStatement' ? 'Layer' : 'Assign';
      return { kind, name, value, span: { start: start.start, end: value.span.end } };
    }
  }
}

function buildSetting(node: SettingCstNode, ctx: BuildContext): TrainSetting | undefined {
  const key = identifier(node.children.key, ctx);
  const value = buildExpr(node.children.value?.[0], ctx);
  const colon = node.children.colon?.[0];
  // `loss: mse`, written as in a dictionary: the setting still counts, so `loss` is not also missing.
  if (key && isRealToken(colon)) {
    const written = value ? ctx.lines.source.slice(value.span.start.offset, value.span.end.offset) : '...';
    ctx.report('colonForEquals', ctx.lines.tokenSpan(colon), { name: key.name }, {
      help: `use \`=\` here: \`${key.name} = ${written.length > 30 ? `${written.slice(0, 27)}...` : written}\` (\`:\` is for dictionary entries)`,
    });
  }
  if (!key || !value) return undefined;
  return { key, value, span: { start: key.span.start, end: value.span.end } };
}
