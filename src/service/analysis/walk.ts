import type { Expr, Program, Statement } from '../../parse/ast.js';

/** The expressions directly inside one, per kind: a new kind of expression lists its children here. */
const children: { [K in Expr['kind']]: (e: Extract<Expr, { kind: K }>) => readonly Expr[] } = {
  Identifier: () => [],
  Number: () => [],
  String: () => [],
  Boolean: () => [],
  Unknown: () => [],
  List: (e) => e.items,
  Tuple: (e) => e.items,
  Dict: (e) => e.entries.map((entry) => entry.value),
  Call: (e) => e.args.map((arg) => arg.value),
  Pipe: (e) => [e.source, ...e.stages],
};

export function childExprs(expr: Expr): readonly Expr[] {
  return (children[expr.kind] as (e: Expr) => readonly Expr[])(expr);
}

/** The expressions a statement holds at its top. */
export function statementExprs(statement: Statement): readonly Expr[] {
  switch (statement.kind) {
    case 'Input':
      return statement.shape?.dims ?? [];
    case 'Output':
      return statement.value ? [statement.value] : [];
    case 'Layer':
    case 'Assign':
      return [statement.value];
    case 'Train':
      return statement.settings.map((s) => s.value);
  }
}

/** Every expression of the program, outer before inner, without recursion. */
export function* allExprs(program: Program): Generator<Expr> {
  const stack: Expr[] = [];
  for (const decl of program.declarations) {
    if (decl.kind === 'Block') for (const p of decl.params) if (p.default) stack.push(p.default);
    for (const statement of decl.body) stack.push(...statementExprs(statement));
    while (stack.length > 0) {
      const expr = stack.pop()!;
      yield expr;
      stack.push(...childExprs(expr));
    }
  }
}
