import { didYouMean } from '../diagnostics/suggest.js';
import type { BlockDecl, CallExpr, Expr, Identifier } from '../parse/ast.js';
import type { OpDef } from '../registry/op.js';
import { registry } from '../registry/registry.js';
import type { Reporter } from '../diagnostics/reporter.js';
import { describeExpr, type ValueEnv } from './env.js';
import type { GraphBuilder, LayerBuild, TensorValue, Value } from './graph-builder.js';
import { applyLayer, createLayer } from './apply-layer.js';
import { applyStage, lintStage } from './apply-stage.js';
import { orderDefinitions, type Scope } from './scope.js';
import type { ElaborationTrace } from './trace.js';

/** Everything shared by the scopes of one model: the graph, the file's blocks, the reporter. */
export interface ModelContext {
  graph: GraphBuilder;
  blocks: ReadonlyMap<string, { decl: BlockDecl; scope: Scope }>;
  /** Blocks already reported as recursive: their uses are skipped silently. */
  recursiveBlocks: ReadonlySet<string>;
  reporter: Reporter;
  /** Blocks being instantiated, innermost last: a guard against recursion. */
  instantiating: string[];
  /** Fingerprints of diagnostics already reported per block, so that many uses report once. */
  blockDiagnostics: Map<string, Set<string>>;
  /** Told the value of every stage and definition, for tools (see trace.ts). */
  trace?: ElaborationTrace;
  /** Set once the model is over the layer limit (limits.ts): nothing more is expanded. */
  overLimit?: boolean;
}

/** One model body or block instance being evaluated. */
export interface ScopeContext {
  model: ModelContext;
  scope: Scope;
  /** Prefix of every layer name in this scope: `''` in the model, `same/residual_1/` in a block. */
  prefix: string;
  /** Block instances enclosing this scope, outermost first. Never changed: its layers share it as their `scope`. */
  path: string[];
  env: ValueEnv;
  reporter: Reporter;
  values: Map<string, Value>;
  /** Names whose definition failed or sits in a cycle: reading them reports nothing more. */
  poisoned: Set<string>;
  /** Shared layers, built at their first use. */
  sharedLayers: Map<string, LayerBuild | null>;
}

/** Names layers within one definition: `hidden/dense_1`, `hidden/dense_2`... */
export class DefinitionNaming {
  private readonly counts = new Map<string, number>();
  /** `base` prefixes the layer names; `defining` is the name being defined, never its own suggestion. */
  constructor(readonly base: string, readonly defining: string) {}

  next(kind: string): string {
    const k = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, k);
    return `${this.base}/${kind}_${k}`;
  }
}

/** Evaluates every definition of a scope in dependency order; results land in `ctx.values`. */
export function evaluateScope(ctx: ScopeContext): void {
  const ordered = orderDefinitions(ctx.scope, ctx.reporter);
  const orderedNames = new Set(ordered.map((d) => d.name.name));
  for (const name of ctx.scope.tensors.keys()) if (!orderedNames.has(name)) ctx.poisoned.add(name);
  for (const name of ctx.scope.rejected.names) if (!ctx.values.has(name)) ctx.poisoned.add(name);
  for (const def of ordered) {
    const naming = new DefinitionNaming(`${ctx.prefix}${def.name.name}`, def.name.name);
    const created = ctx.model.graph.layers.length;
    const value = evaluateTensor(def.value, ctx, naming);
    if (!value) {
      ctx.poisoned.add(def.name.name);
      continue;
    }
    if (value.kind === 'tensor') {
      const node = value.node;
      const layer = node.layer;
      // The layer that produces a definition is named after it, so that `output price` is the
      // tfjs layer `price` and `hidden = ... -> dense` ends in the layer `hidden`.
      if (layer && !layer.shared && layer.applications === 1 && layer.index >= created && layer.scope.length === ctx.path.length) {
        ctx.model.graph.rename(layer, `${ctx.prefix}${def.name.name}`);
      }
      node.name ??= def.name.name;
      ctx.values.set(def.name.name, { kind: 'tensor', node, type: value.type, describe: `\`${def.name.name}\``, span: def.name.span });
    } else {
      ctx.values.set(def.name.name, value);
    }
    ctx.model.trace?.definition(def.name, value, ctx.path);
  }
}

/** An expression in tensor position: a name, a merge call, a tuple or a pipeline. */
export function evaluateTensor(expr: Expr, ctx: ScopeContext, naming: DefinitionNaming): Value | undefined {
  switch (expr.kind) {
    case 'Identifier':
      return readName(expr, ctx, naming.defining);
    case 'Tuple': {
      const items: TensorValue[] = [];
      let ok = true;
      for (const item of expr.items) {
        const value = evaluateTensor(item, ctx, naming);
        if (value?.kind === 'tensor') items.push(value);
        else {
          if (value?.kind === 'tuple') ctx.reporter.report('notATensor', item.span, { what: 'a nested tuple' });
          ok = false;
        }
      }
      return ok ? { kind: 'tuple', items, span: expr.span } : undefined;
    }
    case 'Pipe': {
      let value = evaluateTensor(expr.source, ctx, naming);
      for (const stage of expr.stages) {
        if (value) value = applyStage(value, stage, ctx, naming);
        else lintStage(stage, ctx);
      }
      return value;
    }
    case 'Call': {
      const op = registry.op(expr.callee.name);
      if (op?.tensorArgs && !isLayerName(expr.callee.name, ctx)) {
        const value = evaluateMergeCall(expr, op, ctx, naming);
        if (value) ctx.model.trace?.stage(expr, value, ctx.path);
        return value;
      }
      if (op || ctx.model.blocks.has(expr.callee.name) || expr.callee.name === 'repeat') {
        ctx.reporter.report('notATensor', expr.span, { what: `\`${expr.callee.name}(...)\` is a layer and` }, {
          help: `apply it to a tensor: \`x -> ${expr.callee.name}(...)\``,
        });
        return undefined;
      }
      reportUnknownLayer(expr.callee, ctx);
      return undefined;
    }
    default:
      ctx.reporter.report('notATensor', expr.span, { what: describeExpr(expr) });
      return undefined;
  }
}

export function isLayerName(name: string, ctx: ScopeContext): boolean {
  return ctx.scope.layers.has(name) || ctx.model.blocks.has(name);
}

function readName(id: Identifier, ctx: ScopeContext, defining: string): Value | undefined {
  const value = ctx.values.get(id.name);
  if (value) return value;
  if (ctx.poisoned.has(id.name)) return undefined;
  if (ctx.scope.layers.has(id.name) || ctx.model.blocks.has(id.name) || registry.op(id.name)) {
    ctx.reporter.report('notATensor', id.span, { what: `\`${id.name}\` is a layer and` }, {
      help: `apply it to a tensor: \`x -> ${id.name}\``,
    });
    return undefined;
  }
  const candidates = [...ctx.scope.tensors.keys(), ...ctx.scope.inputs.map((i) => i.name.name)].filter((n) => n !== defining);
  const help = didYouMean(id.name, candidates);
  ctx.reporter.report('undefinedName', id.span, { name: id.name }, help ? { help } : {});
  return undefined;
}

export function reportUnknownLayer(id: Identifier, ctx: ScopeContext): void {
  const candidates = [...registry.opNames(), ...ctx.model.blocks.keys(), ...ctx.scope.layers.keys(), 'repeat'];
  const help = didYouMean(id.name, candidates);
  ctx.reporter.report('unknownOp', id.span, { name: id.name }, help ? { help } : {});
}

/** `concat(a, b, axis=1)`: positional arguments are tensors, keyword arguments configure the op. */
function evaluateMergeCall(expr: CallExpr, op: OpDef, ctx: ScopeContext, naming: DefinitionNaming): Value | undefined {
  const inputs: TensorValue[] = [];
  let ok = true;
  for (const arg of expr.args) {
    if (arg.name) continue;
    const value = evaluateTensor(arg.value, ctx, naming);
    if (value?.kind === 'tensor') inputs.push(value);
    else if (value?.kind === 'tuple') inputs.push(...value.items);
    else ok = false;
  }
  const keywordArgs = expr.args.filter((a) => a.name);
  const layer = createLayer(op, { callee: op.name, span: expr.span, args: keywordArgs, env: ctx.env }, ctx, naming.next(op.name));
  if (!ok || !layer) return undefined;
  return applyLayer(layer, { kind: 'tuple', items: inputs, span: expr.span }, expr.span, ctx);
}
