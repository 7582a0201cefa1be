import type { Reporter } from '../diagnostics/reporter.js';
import type { Expr, Identifier, IncompleteStatement, InputStatement, LayerStatement, Statement, TrainStatement } from '../parse/ast.js';
import { registry } from '../registry/registry.js';
import { MinHeap } from './min-heap.js';

/** A named tensor definition: `name = expr` or `output name = expr`. */
export interface TensorDef {
  name: Identifier;
  value: Expr;
  isOutput: boolean;
}

/** The names a model or block body defines, with duplicates already reported. */
export interface Scope {
  inputs: InputStatement[];
  tensors: Map<string, TensorDef>;
  layers: Map<string, LayerStatement>;
  /** Output names in source order; `output y` without a value refers to the tensor `y`. */
  outputs: Identifier[];
  trains: TrainStatement[];
  /**
   * What statements that were rejected (a duplicate name, reported as E2002) or that failed to
   * parse would have meant, so that none of it is reported again as a consequence: an output
   * was declared (no E3002), these names are defined (no E2001 on their uses) and these names
   * are read (no "never used" warning).
   */
  rejected: { outputs: string[]; names: Set<string>; reads: Set<string> };
}

export function collectScope(body: readonly Statement[], reporter: Reporter, incomplete: readonly IncompleteStatement[] = []): Scope {
  const rejected: Scope['rejected'] = { outputs: [], names: new Set(), reads: new Set() };
  const scope: Scope = { inputs: [], tensors: new Map(), layers: new Map(), outputs: [], trains: [], rejected };
  for (const statement of incomplete) {
    rejected.names.add(statement.name.name);
    if (statement.kind === 'Output') rejected.outputs.push(statement.name.name);
  }
  const firstSeen = new Map<string, Identifier>();
  const claim = (name: Identifier, value?: Expr): boolean => {
    const first = firstSeen.get(name.name);
    if (first) {
      reporter.report('duplicateDefinition', name.span, { name: name.name }, {
        labels: [{ span: first.span, message: 'first defined here' }],
      });
      if (value) for (const read of tensorReferences(value)) rejected.reads.add(read.name);
      return false;
    }
    firstSeen.set(name.name, name);
    return true;
  };
  for (const statement of body) {
    switch (statement.kind) {
      case 'Input':
        if (claim(statement.name)) scope.inputs.push(statement);
        break;
      case 'Layer':
        if (claim(statement.name)) scope.layers.set(statement.name.name, statement);
        break;
      case 'Assign':
        if (claim(statement.name, statement.value)) scope.tensors.set(statement.name.name, { name: statement.name, value: statement.value, isOutput: false });
        break;
      case 'Output':
        if (statement.value) {
          if (claim(statement.name, statement.value)) {
            scope.tensors.set(statement.name.name, { name: statement.name, value: statement.value, isOutput: true });
            scope.outputs.push(statement.name);
          } else {
            rejected.outputs.push(statement.name.name);
          }
        } else if (scope.outputs.some((o) => o.name === statement.name.name)) {
          reporter.report('duplicateDefinition', statement.name.span, { name: statement.name.name });
        } else {
          scope.outputs.push(statement.name);
        }
        break;
      case 'Train':
        scope.trains.push(statement);
        break;
    }
  }
  return scope;
}

/**
 * The tensor names an expression reads, found without evaluating it: a pipeline's source,
 * the tensor arguments of merge calls, the items of tuples. Layer positions are not tensors.
 */
export function tensorReferences(expr: Expr, out: Identifier[] = []): Identifier[] {
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    const e = stack.pop()!;
    switch (e.kind) {
      case 'Identifier':
        out.push(e);
        break;
      case 'Tuple':
        stack.push(...e.items);
        break;
      case 'Pipe':
        stack.push(e.source);
        break;
      case 'Call':
        if (registry.op(e.callee.name)?.tensorArgs) for (const arg of e.args) if (!arg.name) stack.push(arg.value);
        break;
      default:
        break;
    }
  }
  return out;
}

/**
 * Orders tensor definitions so each comes after the ones it reads (Kahn's algorithm, no
 * recursion, so ten-thousand-long chains are fine). Definitions caught in a cycle are
 * reported once per cycle and left out of the order.
 */
export function orderDefinitions(scope: Scope, reporter: Reporter): TensorDef[] {
  const deps = new Map<string, string[]>();
  const dependents = new Map<string, string[]>();
  const pending = new Map<string, number>();
  const position = new Map<string, number>();
  for (const name of scope.tensors.keys()) position.set(name, position.size);
  // Written in dependency order, as most bodies are: that order is the answer.
  let inOrder = true;
  for (const [name, def] of scope.tensors) {
    const refs = [...new Set(tensorReferences(def.value).map((r) => r.name))].filter((r) => scope.tensors.has(r));
    const at = position.get(name)!;
    if (inOrder && refs.some((r) => position.get(r)! >= at)) inOrder = false;
    deps.set(name, refs);
  }
  if (inOrder) return [...scope.tensors.values()];
  for (const [name, refs] of deps) {
    pending.set(name, refs.length);
    for (const r of refs) {
      const list = dependents.get(r) ?? [];
      list.push(name);
      dependents.set(r, list);
    }
  }
  // Among the definitions that are ready, the one written first goes first: layers then
  // appear in source order wherever the dependencies allow it.
  const ready = new MinHeap<string>((a, b) => position.get(a)! - position.get(b)!);
  for (const name of scope.tensors.keys()) if (pending.get(name) === 0) ready.push(name);
  const order: TensorDef[] = [];
  while (ready.size > 0) {
    const name = ready.pop()!;
    order.push(scope.tensors.get(name)!);
    for (const d of dependents.get(name) ?? []) {
      const left = pending.get(d)! - 1;
      pending.set(d, left);
      if (left === 0) ready.push(d);
    }
  }
  if (order.length < scope.tensors.size) reportCycles(scope, deps, new Set(order.map((d) => d.name.name)), reporter);
  return order;
}

function reportCycles(scope: Scope, deps: Map<string, string[]>, done: Set<string>, reporter: Reporter): void {
  const reported = new Set<string>();
  for (const start of scope.tensors.keys()) {
    if (done.has(start) || reported.has(start)) continue;
    // Walk unresolved dependencies until a name repeats: that tail is a cycle.
    const path: string[] = [];
    const index = new Map<string, number>();
    let current: string | undefined = start;
    while (current !== undefined && !index.has(current)) {
      index.set(current, path.length);
      path.push(current);
      current = deps.get(current)!.find((d) => !done.has(d));
    }
    if (current === undefined) continue;
    const cycle = path.slice(index.get(current)!);
    if (cycle.some((n) => reported.has(n))) {
      for (const n of path) reported.add(n);
      continue;
    }
    for (const n of path) reported.add(n);
    const defs = cycle.map((n) => scope.tensors.get(n)!);
    reporter.report('cycle', defs[0]!.name.span, { path: [...cycle, cycle[0]].join(' -> ') }, {
      labels: defs.slice(1).map((d, i) => ({ span: d.name.span, message: `\`${d.name.name}\` reads \`${cycle[(i + 2) % cycle.length]}\`` })),
      help: 'definitions are declarative: a tensor cannot depend on itself, directly or through others',
    });
  }
}
