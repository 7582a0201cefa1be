import type { ExprCstNode } from '../../grammar/cst.js';
import type { Expr } from './ast.js';
import { buildExpr } from './build-expr.js';
import type { BuildContext } from './context.js';

/**
 * A statement's value followed by the parts the parser took without their `->` (`dense(8)` in
 * `h = x dense(8)`, labelled `missingArrow`, see NnParser): one pipeline, as if the arrows were
 * there, so that the statement still defines its name and nothing after it is a knock-on
 * error. Each gap is reported once, at the gap.
 */
export function withMissingArrows(value: Expr | undefined, missing: ExprCstNode[] | undefined, ctx: BuildContext): Expr | undefined {
  if (!value || !missing) return value;
  let source = value.kind === 'Pipe' ? value.source : value;
  const stages = value.kind === 'Pipe' ? [...value.stages] : [];
  for (const node of missing) {
    const part = buildExpr(node, ctx);
    if (!part) continue;
    const before = stages[stages.length - 1] ?? source;
    const after = part.kind === 'Pipe' ? part.source : part;
    const beforeText = excerpt(ctx, before);
    const afterText = excerpt(ctx, after);
    ctx.report('missingArrow', { start: before.span.end, end: after.span.start }, { before: beforeText, after: afterText }, {
      help: `layers are applied with \`->\`: \`${beforeText} -> ${afterText}\``,
    });
    stages.push(after, ...(part.kind === 'Pipe' ? part.stages : []));
  }
  if (stages.length === 0) return source;
  return { kind: 'Pipe', source, stages, span: { start: source.span.start, end: stages[stages.length - 1]!.span.end } };
}

/** The text of an expression for a message: one line, at most 30 characters. */
function excerpt(ctx: BuildContext, expr: Expr): string {
  const text = ctx.lines.source.slice(expr.span.start.offset, expr.span.end.offset).replace(/\s+/g, ' ');
  return text.length > 30 ? `${text.slice(0, 27)}...` : text;
}
