import type { Span } from '../diagnostics/span.js';
import type { CallExpr, Expr, Identifier } from '../parse/ast.js';
import { registry } from '../registry/registry.js';
import { applyLayer, createLayer } from './apply-layer.js';
import { isLayerName, reportUnknownLayer, type DefinitionNaming, type ScopeContext } from './elaborate.js';
import { deref, describeExpr } from './env.js';
import type { LayerBuild, Value } from './graph-builder.js';
import { instantiateBlock } from './instantiate-block.js';
import { estimateStage, formatCount, LIMITS } from './limits.js';
import { resolveArgs } from './resolve-args.js';

/** One `-> stage` of a pipeline. */
export function applyStage(input: Value, stage: Expr, ctx: ScopeContext, naming: DefinitionNaming): Value | undefined {
  if (overLayerLimit(stage.span, ctx)) return undefined;
  const value = applyDerefStage(input, stage, ctx, naming);
  if (value) ctx.model.trace?.stage(stage, value, ctx.path);
  return value;
}

function applyDerefStage(input: Value, stage: Expr, ctx: ScopeContext, naming: DefinitionNaming): Value | undefined {
  const { expr, env } = deref(stage, ctx.env);
  const stageCtx = env === ctx.env ? ctx : { ...ctx, env };
  if (expr.kind === 'Identifier') return applyNamedStage(input, expr, [], expr.span, stageCtx, naming);
  if (expr.kind === 'Call') {
    if (expr.callee.name === 'repeat' && !isLayerName('repeat', ctx)) return applyRepeat(input, expr, stageCtx, naming);
    return applyNamedStage(input, expr.callee, expr.args, expr.span, stageCtx, naming);
  }
  // Only a parameter's word may be quoted; a layer's name never is.
  const unquoted = expr.kind === 'String' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(expr.value) ? { help: `write the layer's name without quotes: \`-> ${expr.value}\`` } : {};
  ctx.reporter.report('notALayer', expr.span, { what: describeExpr(expr) }, unquoted);
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
export function lintStage(stage: Expr, ctx: ScopeContext): void {
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
  if (count.value > LIMITS.repeat) {
    ctx.reporter.report('repeatTooLarge', count.span, { count: formatCount(count.value), limit: formatCount(LIMITS.repeat) }, {
      help: 'see the limits in docs/language.md',
    });
    return undefined;
  }
  // Before the first copy is built: nested repeats multiply, and a million layers would run out of memory.
  const total = ctx.model.graph.nodes.length + count.value * estimateStage(layerArg.value, ctx.env, ctx.model.blocks);
  if (total > LIMITS.layers) {
    reportTooManyLayers(`at least ${formatCount(total)}`, expr.span, ctx);
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

/**
 * The backstop of the layer limit, for what the estimate from the source cannot see (a count
 * given to a block at its call): expansion stops once the graph is over the limit.
 */
function overLayerLimit(span: Span, ctx: ScopeContext): boolean {
  if (ctx.model.overLimit) return true;
  if (ctx.model.graph.nodes.length <= LIMITS.layers) return false;
  reportTooManyLayers(`more than ${formatCount(LIMITS.layers)}`, span, ctx);
  return true;
}

function reportTooManyLayers(count: string, span: Span, ctx: ScopeContext): void {
  if (ctx.model.overLimit) return;
  ctx.model.overLimit = true;
  ctx.reporter.report('tooManyLayers', span, { count, limit: formatCount(LIMITS.layers) }, {
    help: 'see the limits in docs/language.md',
  });
}
