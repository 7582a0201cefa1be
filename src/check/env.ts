import type { Expr } from '../parse/ast.js';

/**
 * Block parameters in scope: `units` inside `Residual(64)` stands for the argument `64`
 * as written at the call site, evaluated in the caller's own environment.
 */
export interface ValueEnv {
  readonly bindings: ReadonlyMap<string, { expr: Expr; env: ValueEnv }>;
}

export const EMPTY_ENV: ValueEnv = { bindings: new Map() };

/** Follows block-parameter identifiers to the expression they stand for. */
export function deref(expr: Expr, env: ValueEnv): { expr: Expr; env: ValueEnv } {
  let current = { expr, env };
  for (let hops = 0; current.expr.kind === 'Identifier' && hops < 1000; hops++) {
    const bound = current.env.bindings.get(current.expr.name);
    if (!bound) break;
    current = bound;
  }
  return current;
}

export function describeExpr(expr: Expr): string {
  switch (expr.kind) {
    case 'Identifier':
      return `\`${expr.name}\``;
    case 'Number':
      return `number \`${expr.raw}\``;
    case 'String':
      return `string ${JSON.stringify(expr.value)}`;
    case 'Boolean':
      return `\`${expr.value}\``;
    case 'Unknown':
      return '`?`';
    case 'List':
      return 'a list';
    case 'Tuple':
      return 'a tuple';
    case 'Dict':
      return 'a dictionary';
    case 'Call':
      return `\`${expr.callee.name}(...)\``;
    case 'Pipe':
      return 'a pipeline';
  }
}
