import type { DiagnosticKey, DiagnosticParams } from '../diagnostics/codes.js';
import type { Reporter, DiagnosticExtras } from '../diagnostics/reporter.js';
import type { Span } from '../diagnostics/span.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { Attrs, InitSpec, IRWeight } from '../ir/ir.js';
import type { BlockDecl, CallExpr, Expr, Identifier } from '../parse/ast.js';
import { formatType, type OpDef, type ShapeContext } from '../registry/op.js';
import { registry } from '../registry/registry.js';
import { deref, describeExpr, type ValueEnv } from './env.js';
import type { GraphBuilder, LayerBuild, TensorValue, Value } from './graph-builder.js';
import { resolveArgs } from './resolve-args.js';
import { orderDefinitions, type Scope } from './scope.js';
import { instantiateBlock } from './instantiate-block.js';

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
}

/** One model body or block instance being evaluated. */
export interface ScopeContext {
  model: ModelContext;
  scope: Scope;
  /** Prefix of every layer name in this scope: `''` in the model, `same/residual_1/` in a block. */
  prefix: string;
  /** Block instances enclosing this scope, outermost first. */
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
      ctx.values.set(def.name.name, { ...value, describe: `\`${def.name.name}\``, span: def.name.span });
    } else {
      ctx.values.set(def.name.name, value);
    }
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
      if (op?.tensorArgs && !isLayerName(expr.callee.name, ctx)) return evaluateMergeCall(expr, op, ctx, naming);
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

function isLayerName(name: string, ctx: ScopeContext): boolean {
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

function reportUnknownLayer(id: Identifier, ctx: ScopeContext): void {
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

/** One `-> stage` of a pipeline. */
export function applyStage(input: Value, stage: Expr, ctx: ScopeContext, naming: DefinitionNaming): Value | undefined {
  const { expr, env } = deref(stage, ctx.env);
  const stageCtx = env === ctx.env ? ctx : { ...ctx, env };
  if (expr.kind === 'Identifier') return applyNamedStage(input, expr, [], expr.span, stageCtx, naming);
  if (expr.kind === 'Call') {
    if (expr.callee.name === 'repeat' && !isLayerName('repeat', ctx)) return applyRepeat(input, expr, stageCtx, naming);
    return applyNamedStage(input, expr.callee, expr.args, expr.span, stageCtx, naming);
  }
  ctx.reporter.report('notALayer', expr.span, { what: describeExpr(expr) });
  return undefined;
}

function applyNamedStage(
  input: Value,
  callee: Identifier,
  args: CallExpr['args'],
  span: Span,
  ctx: ScopeContext,
  naming: DefinitionNaming,
): Value | undefined {
  const name = callee.name;
  if (ctx.scope.layers.has(name)) {
    if (args.length > 0) {
      ctx.reporter.report('notALayer', span, { what: `shared layer \`${name}\` takes no arguments here; it` }, {
        help: `configure it where it is declared and apply it as \`-> ${name}\``,
      });
      return undefined;
    }
    const layer = sharedLayer(name, ctx);
    return layer ? applyLayer(layer, input, span, ctx) : undefined;
  }
  const block = ctx.model.blocks.get(name);
  if (block) return instantiateBlock(block.decl, block.scope, args, input, span, ctx, naming.next(name.toLowerCase()));
  const op = registry.op(name);
  if (op) {
    const layer = createLayer(op, { callee: name, span, args, env: ctx.env }, ctx, naming.next(op.name));
    return layer ? applyLayer(layer, input, span, ctx) : undefined;
  }
  if (ctx.values.has(name) || ctx.scope.tensors.has(name) || ctx.scope.inputs.some((i) => i.name.name === name)) {
    ctx.reporter.report('notALayer', callee.span, { what: `\`${name}\` is a tensor and` }, {
      help: `to combine tensors use a merge op, e.g. \`add(x, ${name})\``,
    });
    return undefined;
  }
  reportUnknownLayer(callee, ctx);
  return undefined;
}

/**
 * Checks what can be checked of a stage whose input failed: its name and arguments. Without
 * this, one mistake early in a pipeline would hide every later one.
 */
function lintStage(stage: Expr, ctx: ScopeContext): void {
  const { expr, env } = deref(stage, ctx.env);
  const callee = expr.kind === 'Call' ? expr.callee : expr.kind === 'Identifier' ? expr : undefined;
  if (!callee) return;
  const args = expr.kind === 'Call' ? expr.args : [];
  if (callee.name === 'repeat' && !isLayerName('repeat', ctx)) {
    const inner = args[1];
    if (inner && !inner.name) lintStage(inner.value, { ...ctx, env });
    return;
  }
  if (isLayerName(callee.name, ctx)) return;
  const op = registry.op(callee.name);
  if (op) resolveArgs({ callee: callee.name, span: expr.span, args, env }, op.params, ctx.reporter);
  else if (!ctx.scope.tensors.has(callee.name) && !ctx.values.has(callee.name)) reportUnknownLayer(callee, ctx);
}

/** `repeat(N, layer)`: N copies in sequence, each with its own weights. */
function applyRepeat(input: Value, expr: CallExpr, ctx: ScopeContext, naming: DefinitionNaming): Value | undefined {
  const [countArg, layerArg, ...extra] = expr.args;
  const count = countArg && !countArg.name ? deref(countArg.value, ctx.env).expr : undefined;
  if (!count || !layerArg || layerArg.name || extra.length > 0) {
    ctx.reporter.report('wrongArity', expr.span, { op: 'repeat', expected: '2', found: expr.args.length, what: 'arguments (a count and a layer)' }, {
      help: 'write it as `repeat(3, dense(64, relu))`',
    });
    return undefined;
  }
  if (count.kind !== 'Number' || !Number.isInteger(count.value) || count.value < 1) {
    ctx.reporter.report('argumentType', count.span, { op: 'repeat', name: 'count', expected: 'a positive integer', found: describeExpr(count) });
    return undefined;
  }
  let value: Value | undefined = input;
  for (let i = 0; i < count.value && value; i++) value = applyStage(value, layerArg.value, ctx, naming);
  return value;
}

function sharedLayer(name: string, ctx: ScopeContext): LayerBuild | undefined {
  if (ctx.sharedLayers.has(name)) return ctx.sharedLayers.get(name) ?? undefined;
  const statement = ctx.scope.layers.get(name)!;
  const { expr, env } = deref(statement.value, ctx.env);
  let layer: LayerBuild | undefined;
  const callee = expr.kind === 'Call' ? expr.callee : expr.kind === 'Identifier' ? expr : undefined;
  const op = callee && registry.op(callee.name);
  if (!callee) {
    ctx.reporter.report('notALayer', expr.span, { what: describeExpr(expr) });
  } else if (!op) {
    if (ctx.model.blocks.has(callee.name)) {
      ctx.reporter.report('notALayer', callee.span, { what: `block \`${callee.name}\` cannot be shared with \`layer\`;` }, {
        help: 'a shared layer is one op with one set of weights; apply the block directly',
      });
    } else {
      reportUnknownLayer(callee, ctx);
    }
  } else {
    const args = expr.kind === 'Call' ? expr.args : [];
    layer = createLayer(op, { callee: callee.name, span: expr.span, args, env }, ctx, `${ctx.prefix}${name}`);
    if (layer) layer.shared = true;
  }
  ctx.sharedLayers.set(name, layer ?? null);
  return layer;
}

function createLayer(
  op: OpDef,
  site: { callee: string; span: Span; args: CallExpr['args']; env: ValueEnv },
  ctx: ScopeContext,
  id: string,
): LayerBuild | undefined {
  const attrs = resolveArgs(site, op.params, ctx.reporter);
  if (!attrs) return undefined;
  resolveAutoInit(op, attrs);
  return ctx.model.graph.addLayer({ id, op, attrs, span: site.span, scope: [...ctx.path], shared: false });
}

/** `init=auto` becomes the scheme that keeps the layer's activation variance stable. */
function resolveAutoInit(op: OpDef, attrs: Attrs): void {
  for (const param of op.params) {
    if (param.type.kind !== 'init') continue;
    const init = attrs[param.name] as InitSpec;
    if (init.name !== 'auto') continue;
    const activation = op.activation?.(attrs);
    const scheme = (activation && registry.activation(activation.name)?.autoInit) ?? 'xavier';
    attrs[param.name] = { name: scheme, params: {}, auto: true };
  }
}

export function applyLayer(layer: LayerBuild, input: Value, span: Span, ctx: ScopeContext): TensorValue | undefined {
  const inputs = input.kind === 'tuple' ? input.items : [input];
  const { min, max } = layer.op.arity;
  if (inputs.length < min || inputs.length > max) {
    ctx.reporter.report('tupleArity', span, { target: layer.op.name, expected: inputs.length < min ? min : max, found: inputs.length }, {
      help: min >= 2 ? `combine tensors with a tuple: \`(a, b) -> ${layer.op.name}\` or \`${layer.op.name}(a, b)\`` : undefined,
    });
    return undefined;
  }
  const shapeContext: ShapeContext = {
    op: layer.op.name,
    describe: (i) => inputs[i]!.describe,
    inputSpan: (i) => inputs[i]!.span,
    report: <K extends DiagnosticKey>(key: K, params: DiagnosticParams<K>, extras?: DiagnosticExtras) => {
      ctx.reporter.report(key, span, params, extras);
    },
  };
  const types = inputs.map((i) => i.type);
  const type = layer.op.inferType(types, layer.attrs, shapeContext);
  if (!type) return undefined;
  const weights = layer.op.weights?.(types, layer.attrs) ?? [];
  if (layer.weights === undefined) {
    if (!initializersFit(weights, span, ctx)) return undefined;
    layer.weights = weights;
  } else if (!sameWeightShapes(layer.weights, weights)) {
    ctx.reporter.report('sharedLayerShape', span, {
      name: layer.id,
      input: types.map((t) => formatType(t)).join(', '),
      needs: weightShapes(weights),
      has: weightShapes(layer.weights),
    }, { labels: [{ span: layer.span, message: 'the layer is declared here; its weights are sized at its first use' }] });
    return undefined;
  }
  layer.applications++;
  const node = ctx.model.graph.addNode({ kind: 'apply', layer, application: layer.applications, inputs: inputs.map((i) => i.node), type, span });
  return { kind: 'tensor', node, type, describe: `the output of \`${layer.op.name}\``, span };
}

function weightShapes(weights: readonly { name: string; shape: number[] }[]): string {
  return weights.map((w) => `${w.name} ${formatType({ shape: w.shape, dtype: 'float32' })}`).join(', ') || 'no weights';
}

function sameWeightShapes(a: readonly { shape: number[] }[], b: readonly { shape: number[] }[]): boolean {
  return a.length === b.length && a.every((w, i) => w.shape.join() === b[i]!.shape.join());
}

function initializersFit(weights: readonly IRWeight[], span: Span, ctx: ScopeContext): boolean {
  let ok = true;
  for (const weight of weights) {
    const problem = registry.initializer(weight.init.name)?.fits?.(weight.init, weight);
    if (problem) {
      ctx.reporter.report('initializerShape', span, { init: weight.init.name, detail: problem });
      ok = false;
    }
  }
  return ok;
}
