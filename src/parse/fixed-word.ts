import type { Expr, Identifier } from './ast.js';

/**
 * A fixed word (an activation, initializer, loss, optimizer, metric or one of a parameter's
 * words such as `same`) may be quoted, as Keras users write it: `activation="relu"`,
 * `loss = "mse"`, `metrics = ["mae"]`. The checker and the language service read either form
 * through this, so a quoted word means, reports and hovers exactly as the bare one; its span
 * keeps the quotes. Names of tensors, layers and ops are never quoted.
 */
export function fixedWord(expr: Expr): Identifier | undefined {
  if (expr.kind === 'Identifier') return expr;
  if (expr.kind === 'String') return { kind: 'Identifier', name: expr.value, span: expr.span };
  return undefined;
}
