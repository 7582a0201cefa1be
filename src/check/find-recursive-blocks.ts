import type { Reporter } from '../diagnostics/reporter.js';
import type { Span } from '../diagnostics/span.js';
import type { BlockDecl, Expr, Statement } from '../parse/ast.js';
import type { Scope } from './scope.js';

/** The blocks that a body's expressions apply, with the span of each use. */
export function blockUses(body: readonly Statement[], blocks: ReadonlyMap<string, unknown>): Array<{ name: string; span: Span }> {
  const uses: Array<{ name: string; span: Span }> = [];
  const stack: Expr[] = body.flatMap((s) => (s.kind === 'Assign' || s.kind === 'Layer' || (s.kind === 'Output' && s.value) ? [s.value!] : []));
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.kind === 'Identifier' && blocks.has(e.name)) uses.push({ name: e.name, span: e.span });
    if (e.kind === 'Call') {
      if (blocks.has(e.callee.name)) uses.push({ name: e.callee.name, span: e.callee.span });
      for (const arg of e.args) stack.push(arg.value);
    }
    if (e.kind === 'Pipe') stack.push(e.source, ...e.stages);
    if (e.kind === 'Tuple' || e.kind === 'List') stack.push(...e.items);
  }
  return uses;
}

/** Reports each cycle of blocks using themselves (directly or through others) once; returns their names. */
export function findRecursiveBlocks(blocks: ReadonlyMap<string, { decl: BlockDecl; scope: Scope }>, reporter: Reporter): Set<string> {
  const edges = new Map<string, Array<{ name: string; span: Span }>>();
  for (const [name, { decl }] of blocks) edges.set(name, blockUses(decl.body, blocks));
  const recursive = new Set<string>();
  const state = new Map<string, 'active' | 'done'>();
  for (const root of blocks.keys()) {
    if (state.has(root)) continue;
    // Iterative depth-first search keeping the current path, so a cycle can be printed.
    const path: Array<{ name: string; next: number; via?: Span }> = [{ name: root, next: 0 }];
    state.set(root, 'active');
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      const out = edges.get(top.name)!;
      if (top.next >= out.length) {
        state.set(top.name, 'done');
        path.pop();
        continue;
      }
      const use = out[top.next++]!;
      const s = state.get(use.name);
      if (s === 'active') {
        const start = path.findIndex((p) => p.name === use.name);
        const cycle = path.slice(start).map((p) => p.name);
        if (!cycle.some((n) => recursive.has(n))) {
          reporter.report('blockRecursion', use.span, { path: [...cycle, use.name].join(' -> ') }, {
            help: 'unroll the repetition with `repeat(N, Block(...))` instead',
          });
        }
        for (const n of cycle) recursive.add(n);
      } else if (s === undefined) {
        state.set(use.name, 'active');
        path.push({ name: use.name, next: 0, via: use.span });
      }
    }
  }
  return recursive;
}
