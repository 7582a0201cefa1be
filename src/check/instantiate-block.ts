import type { Span } from '../diagnostics/span.js';
import type { BlockDecl, CallExpr, Expr } from '../parse/ast.js';
import { formatShape } from '../registry/op.js';
import { deref, type ValueEnv } from './env.js';
import { evaluateScope, type ScopeContext } from './elaborate.js';
import type { TensorValue, Value } from './graph-builder.js';
import { InstanceReporter } from './instance-reporter.js';
import type { Scope } from './scope.js';
import { reportUnusedInScope } from './report-unused.js';

/** Expands one use of a block: binds its parameters and inputs, evaluates its body in a fresh scope. */
export function instantiateBlock(
  decl: BlockDecl,
  scope: Scope,
  args: CallExpr['args'],
  input: Value,
  span: Span,
  ctx: ScopeContext,
  instanceName: string,
): Value | undefined {
  const name = decl.name.name;
  const model = ctx.model;
  if (model.recursiveBlocks.has(name) || model.instantiating.includes(name)) return undefined;
  const env = bindParameters(decl, args, span, ctx);
  if (!env) return undefined;
  const inputs = input.kind === 'tuple' ? input.items : [input];
  if (inputs.length !== scope.inputs.length) {
    ctx.reporter.report('tupleArity', span, { target: name, expected: scope.inputs.length, found: inputs.length }, {
      labels: [{ span: decl.name.span, message: `\`${name}\` declares ${scope.inputs.map((i) => `\`${i.name.name}\``).join(', ') || 'no inputs'}` }],
    });
    return undefined;
  }
  const reporter = new InstanceReporter(ctx.reporter, span, name, seenFor(model.blockDiagnostics, name));
  const values = new Map<string, Value>();
  let ok = true;
  scope.inputs.forEach((statement, i) => {
    const value = inputs[i]!;
    const expected = statement.shape ? expectedShape(statement.shape.dims, env) : undefined;
    const actual = value.type.shape;
    if (expected && (expected.length !== actual.length || expected.some((d, k) => d !== null && actual[k] !== null && d !== actual[k]))) {
      ctx.reporter.report('incompatibleShapes', span, {
        op: name,
        detail: `input \`${statement.name.name}\` expects ${formatShape(expected)}, but ${value.describe} is ${formatShape(actual)}`,
      }, { labels: [{ span: statement.shape!.span, message: 'expected shape declared here' }] });
      ok = false;
    }
    values.set(statement.name.name, { ...value, describe: `\`${statement.name.name}\``, span: statement.name.span });
  });
  if (!ok) return undefined;
  const inner: ScopeContext = {
    model,
    scope,
    prefix: `${instanceName}/`,
    path: [...ctx.path, instanceName],
    env,
    reporter,
    values,
    poisoned: new Set(),
    sharedLayers: new Map(),
  };
  for (const statement of scope.inputs) model.trace?.definition(statement.name, values.get(statement.name.name)!, inner.path);
  model.instantiating.push(name);
  const firstNode = model.graph.nodes.length;
  try {
    evaluateScope(inner);
  } finally {
    model.instantiating.pop();
  }
  const outputs: TensorValue[] = [];
  let complete = true;
  for (const output of scope.outputs) {
    const value = values.get(output.name);
    // As in a model: a name that was never defined is E2001; one whose definition failed was reported.
    if (!value && !inner.poisoned.has(output.name)) reporter.report('undefinedName', output.span, { name: output.name }, { help: `define it: \`output ${output.name} = ...\`` });
    if (value?.kind === 'tuple') reporter.report('notATensor', output.span, { what: `output \`${output.name}\` is a tuple of ${value.items.length} tensors and` }, { help: 'declare one output per tensor' });
    if (value?.kind === 'tensor') outputs.push(value);
    else complete = false;
  }
  if (!complete) return undefined;
  reportUnusedInScope(inner, outputs.map((o) => o.node), firstNode);
  if (outputs.length === 0) return undefined;
  const result: Value = outputs.length === 1 ? { ...outputs[0]!, span } : { kind: 'tuple', items: outputs, span };
  model.trace?.instance({ decl, span, instance: instanceName, path: inner.path, bindings: boundExpressions(env), inputs, output: result });
  return result;
}

/** What each parameter stands for at this use, followed through enclosing blocks' parameters. */
function boundExpressions(env: ValueEnv): Map<string, Expr> {
  return new Map([...env.bindings].map(([name, bound]) => [name, deref(bound.expr, bound.env).expr]));
}

function expectedShape(dims: ReadonlyArray<Expr>, env: ValueEnv): Array<number | null> | undefined {
  const result: Array<number | null> = [];
  for (const dim of dims) {
    const { expr } = deref(dim, env);
    if (expr.kind === 'Number') result.push(expr.value);
    else if (expr.kind === 'Unknown') result.push(null);
    else return undefined;
  }
  return result;
}

function bindParameters(decl: BlockDecl, args: CallExpr['args'], span: Span, ctx: ScopeContext): ValueEnv | undefined {
  const bindings = new Map<string, { expr: Expr; env: ValueEnv }>();
  let ok = true;
  let positional = 0;
  const block = decl.name.name;
  for (const arg of args) {
    const param = arg.name ? decl.params.find((p) => p.name.name === arg.name!.name) : decl.params[positional++];
    if (!param) {
      const reason = arg.name
        ? `it has no parameter named \`${arg.name.name}\``
        : `it takes ${decl.params.length} argument${decl.params.length === 1 ? '' : 's'}, but ${args.filter((a) => !a.name).length} were given`;
      ctx.reporter.report('invalidBlockArgument', arg.span, { block, reason }, { labels: [{ span: decl.name.span, message: 'block declared here' }] });
      ok = false;
      continue;
    }
    if (bindings.has(param.name.name)) {
      ctx.reporter.report('invalidBlockArgument', arg.span, { block, reason: `parameter \`${param.name.name}\` is given twice` });
      ok = false;
      continue;
    }
    bindings.set(param.name.name, { expr: arg.value, env: ctx.env });
  }
  for (const param of decl.params) {
    if (bindings.has(param.name.name)) continue;
    if (param.default) {
      bindings.set(param.name.name, { expr: param.default, env: { bindings } });
      continue;
    }
    ctx.reporter.report('invalidBlockArgument', span, { block, reason: `missing argument for parameter \`${param.name.name}\`` }, {
      labels: [{ span: param.span, message: 'parameter declared here' }],
    });
    ok = false;
  }
  return ok ? { bindings } : undefined;
}


/** Each block's diagnostics are de-duplicated across all its uses. */
function seenFor(all: Map<string, Set<string>>, block: string): Set<string> {
  let seen = all.get(block);
  if (!seen) all.set(block, (seen = new Set()));
  return seen;
}
