import type { DimCstNode, ShapeCstNode } from '../../grammar/cst.js';
import * as t from '../../grammar/tokens.js';
import type { Identifier, NumberLiteral, ShapeExpr, UnknownLiteral } from './ast.js';
import { identifier, numberLiteral } from './build-expr.js';
import { listInOrder } from './comma-lists.js';
import type { BuildContext } from './context.js';
import { isRealToken, spanOver } from './spans.js';

/** `[3, ?, n]` or `int32[20]`; a shape without its brackets is dropped. */
export function buildShape(node: ShapeCstNode | undefined, ctx: BuildContext): ShapeExpr | undefined {
  if (!node) return undefined;
  const c = node.children;
  if (!isRealToken(c.LBracket?.[0])) return undefined;
  const dtype = identifier(c.dtype, ctx);
  const dims = listInOrder(c.dims, c.missingComma, t.RBracket, ctx).flatMap((dim) => buildDim(dim, ctx) ?? []);
  const span = spanOver([dtype, c.LBracket[0], dims[dims.length - 1], c.Comma?.[c.Comma.length - 1], c.RBracket?.[0]], ctx.lines)!;
  return dtype ? { kind: 'Shape', dtype, dims, span } : { kind: 'Shape', dims, span };
}

function buildDim(node: DimCstNode, ctx: BuildContext): NumberLiteral | UnknownLiteral | Identifier | undefined {
  const c = node.children;
  if (c.name) return identifier(c.name, ctx);
  const token = c.number?.[0] ?? c.unknown?.[0];
  if (!isRealToken(token)) return undefined;
  if (c.unknown) return { kind: 'Unknown', span: ctx.lines.tokenSpan(token) };
  const dim = numberLiteral(token, ctx);
  // Written as digits, so `2.0`, `1e2` and `-1` are refused even where their value is whole.
  if (Number.isFinite(dim.value) && (!/^\d+$/.test(dim.raw) || !Number.isSafeInteger(dim.value) || dim.value <= 0)) {
    ctx.report('invalidShape', dim.span, { found: `\`${dim.raw}\`` });
  }
  return dim;
}
