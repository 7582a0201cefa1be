import type { DimCstNode, ShapeCstNode } from '../../grammar/cst.js';
import type { Reporter } from '../diagnostics/reporter.js';
import type { Identifier, NumberLiteral, ShapeExpr, UnknownLiteral } from './ast.js';
import { identifier, numberLiteral } from './build-expr.js';
import { isRealToken, spanOver, tokenSpan } from './spans.js';

/** `[3, ?, n]` or `int32[20]`; a shape without its brackets is dropped. */
export function buildShape(node: ShapeCstNode | undefined, reporter: Reporter): ShapeExpr | undefined {
  if (!node) return undefined;
  const c = node.children;
  if (!isRealToken(c.LBracket?.[0])) return undefined;
  const dtype = identifier(c.dtype);
  const dims = (c.dims ?? []).flatMap((dim) => buildDim(dim, reporter) ?? []);
  const span = spanOver([dtype, ...c.LBracket, ...dims, ...(c.Comma ?? []), ...(c.RBracket ?? [])])!;
  const shape: ShapeExpr = { kind: 'Shape', dims, span };
  if (dtype) shape.dtype = dtype;
  return shape;
}

function buildDim(node: DimCstNode, reporter: Reporter): NumberLiteral | UnknownLiteral | Identifier | undefined {
  const c = node.children;
  if (c.name) return identifier(c.name);
  const token = c.number?.[0] ?? c.unknown?.[0];
  if (!isRealToken(token)) return undefined;
  if (c.unknown) return { kind: 'Unknown', span: tokenSpan(token) };
  const dim = numberLiteral(token);
  // Written as digits, so `2.0`, `1e2` and `-1` are refused even where their value is whole.
  if (!/^\d+$/.test(dim.raw) || !Number.isSafeInteger(dim.value) || dim.value <= 0) {
    reporter.report('invalidShape', dim.span, { found: `\`${dim.raw}\`` });
  }
  return dim;
}
