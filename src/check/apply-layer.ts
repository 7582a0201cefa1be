import type { DiagnosticKey, DiagnosticParams } from '../diagnostics/codes.js';
import type { DiagnosticExtras } from '../diagnostics/reporter.js';
import type { Span } from '../diagnostics/span.js';
import type { Attrs, InitSpec, IRWeight } from '../ir/ir.js';
import type { CallExpr } from '../parse/ast.js';
import { formatType, type OpDef, type ShapeContext } from '../registry/op.js';
import { registry } from '../registry/registry.js';
import type { ScopeContext } from './elaborate.js';
import type { ValueEnv } from './env.js';
import type { LayerBuild, TensorValue, Value } from './graph-builder.js';
import { resolveArgs } from './resolve-args.js';

/** A new layer for `op` with its arguments resolved; undefined after reporting why not. */
export function createLayer(
  op: OpDef,
  site: { callee: string; span: Span; args: CallExpr['args']; env: ValueEnv },
  ctx: ScopeContext,
  id: string,
): LayerBuild | undefined {
  const attrs = resolveArgs(site, op.params, ctx.reporter);
  if (!attrs) return undefined;
  resolveAutoInit(op, attrs);
  return ctx.model.graph.addLayer({ id, op, attrs, span: site.span, scope: ctx.path, shared: false });
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
