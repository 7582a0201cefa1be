import type { Reporter } from '../diagnostics/reporter.js';
import type { IRLayer, IRModel, IRPort, TensorType } from '../ir/ir.js';
import { partitionGraph, TOP_DEPTH_LIMIT } from '../ir/partition.js';
import type { InputStatement, ModelDecl } from '../parse/ast.js';
import { registry } from '../registry/registry.js';
import { analyzeSignal } from '../analysis/signal.js';
import type { MomentTables } from '../analysis/moments.js';
import { DEFAULT_BAND, reportSignal, type SignalBand } from '../analysis/report-signal.js';
import { checkTrain } from './check-train.js';
import { EMPTY_ENV } from './env.js';
import { evaluateScope, type ModelContext, type ScopeContext } from './elaborate.js';
import { GraphBuilder, type NodeBuild, type Value } from './graph-builder.js';
import { reportUnusedInScope } from './report-unused.js';
import { collectScope } from './scope.js';
import type { ElaborationTrace } from './trace.js';

export type BlockTable = ModelContext['blocks'];

/** Elaborates one model into IR: expands blocks and repeats, infers every shape, checks training. */
export function checkModel(
  decl: ModelDecl,
  blocks: BlockTable,
  recursiveBlocks: ReadonlySet<string>,
  reporter: Reporter,
  band: SignalBand = DEFAULT_BAND,
  trace?: ElaborationTrace,
  moments?: MomentTables,
): IRModel | undefined {
  const errorsBefore = reporter.errorCount;
  const scope = collectScope(decl.body, reporter);
  const graph = new GraphBuilder();
  const modelContext: ModelContext = { graph, blocks, recursiveBlocks, reporter, instantiating: [], blockDiagnostics: new Map(), trace };
  const ctx: ScopeContext = { model: modelContext, scope, prefix: '', path: [], env: EMPTY_ENV, reporter, values: new Map(), poisoned: new Set(), sharedLayers: new Map() };

  if (scope.inputs.length === 0) reporter.report('noInputs', decl.name.span, { name: decl.name.name });
  if (scope.outputs.length === 0) reporter.report('noOutputs', decl.name.span, { name: decl.name.name }, { help: 'mark the result with `output NAME = ...`' });
  for (const statement of scope.inputs) {
    const type = inputType(statement, reporter);
    if (!type) {
      ctx.poisoned.add(statement.name.name);
      continue;
    }
    graph.names.claim(statement.name.name);
    const node = graph.addNode({ kind: 'input', application: 0, inputs: [], type, span: statement.span, inputName: statement.name.name });
    const value: Value = { kind: 'tensor', node, type, describe: `\`${statement.name.name}\``, span: statement.name.span };
    ctx.values.set(statement.name.name, value);
    trace?.definition(statement.name, value, []);
  }

  evaluateScope(ctx);

  const outputNodes: NodeBuild[] = [];
  const outputValues: Array<{ name: string; value: Value | undefined }> = [];
  for (const output of scope.outputs) {
    const value = ctx.values.get(output.name);
    if (!value && !ctx.poisoned.has(output.name)) reporter.report('undefinedName', output.span, { name: output.name }, { help: `define it: \`output ${output.name} = ...\`` });
    if (value?.kind === 'tuple') reporter.report('notATensor', output.span, { what: `output \`${output.name}\` is a tuple of ${value.items.length} tensors and` }, { help: 'declare one output per tensor' });
    if (value?.kind === 'tensor') outputNodes.push(value.node);
    outputValues.push({ name: output.name, value });
  }
  reportUnusedInScope(ctx, outputNodes);
  for (const extra of scope.trains.slice(1)) reporter.report('duplicateTrainBlock', extra.span, {});
  if (reporter.errorCount > errorsBefore || outputValues.some((o) => o.value?.kind !== 'tensor')) {
    // The graph is unsound, but the training settings can still be checked by name.
    const ports = scope.outputs.map((o): IRPort => ({ name: o.name, node: o.name, type: { shape: [], dtype: 'float32' }, span: o.span }));
    if (scope.trains[0]) checkTrain(scope.trains[0], { inputs: scope.inputs.map((i) => i.name.name), outputs: ports, reporter, outputActivation: () => undefined });
    trace?.model(decl, {});
    return undefined;
  }

  const { layers, nodes, idOf } = graph.finish(outputNodes);
  const inputs: IRPort[] = scope.inputs.map((statement) => {
    const value = ctx.values.get(statement.name.name)!;
    return { name: statement.name.name, node: statement.name.name, type: (value as { type: TensorType }).type, span: statement.span };
  });
  const outputs: IRPort[] = outputValues.map(({ name, value }) => {
    const tensor = value as Extract<Value, { kind: 'tensor' }>;
    return { name, node: idOf(tensor.node), type: tensor.type, span: scope.outputs.find((o) => o.name === name)!.span };
  });
  // The layers producing the outputs, for the checks of their losses.
  const outputIds = new Set(outputs.map((o) => o.node));
  const outputLayers = new Map<string, string>();
  for (const node of nodes) if (node.kind === 'apply' && outputIds.has(node.id)) outputLayers.set(node.id, node.layer);
  const usedByOutputs = new Set(outputLayers.values());
  const layerById = new Map(layers.filter((l) => usedByOutputs.has(l.id)).map((l) => [l.id, l]));
  // What the graph was built from is not needed any more: let it go before the analyses allocate.
  graph.release();
  ctx.values.clear();
  outputValues.length = 0;
  outputNodes.length = 0;
  const train = scope.trains[0]
    ? checkTrain(scope.trains[0], {
        inputs: inputs.map((i) => i.name),
        outputs,
        reporter,
        outputActivation: (name) => {
          const layerId = outputLayers.get(outputs.find((o) => o.name === name)!.node);
          const layer = layerId === undefined ? undefined : layerById.get(layerId);
          if (!layer) return undefined;
          const op = registry.op(layer.op)!;
          return op.activation?.(layer.attrs)?.name ?? (op.category === 'activation' ? op.name : undefined);
        },
      })
    : null;
  if (reporter.errorCount > errorsBefore || train === undefined) {
    trace?.model(decl, { idOf });
    return undefined;
  }
  const model: IRModel = { name: decl.name.name, span: decl.span, inputs, outputs, layers, nodes, train };
  if (!buildable(model, reporter)) return undefined;
  const signal = analyzeSignal(model, moments);
  reportSignal(model, signal, band, reporter);
  trace?.model(decl, { ir: model, signal, idOf });
  return model;
}

/**
 * Whether the generated TensorFlow.js code can build the model: a large graph is built in parts
 * (src/ir/partition.ts), except for what must stay in one piece (shared layers' applications,
 * and dropout or batch_norm where several tensors flow side by side); tfjs overflows its stack
 * on a long enough chain of those.
 */
function buildable(model: IRModel, reporter: Reporter): boolean {
  // No chain is longer than the graph.
  if (model.nodes.length <= TOP_DEPTH_LIMIT) return true;
  const partition = partitionGraph(model);
  if (!partition || partition.topDepth <= TOP_DEPTH_LIMIT) return true;
  const applications = new Map<string, number>();
  for (const node of model.nodes) if (node.kind === 'apply') applications.set(node.layer, (applications.get(node.layer) ?? 0) + 1);
  let shared: IRLayer | undefined;
  for (const layer of model.layers) if (applications.get(layer.id)! > Math.max(1, shared ? applications.get(shared.id)! : 0)) shared = layer;
  const params = { depth: partition.topDepth, limit: TOP_DEPTH_LIMIT };
  if (shared) {
    reporter.report('tooDeepForTfjs', shared.span, params, {
      labels: [{ span: model.nodes.find((n) => n.kind === 'apply' && n.layer === shared.id)!.span, message: `applied ${applications.get(shared.id)} times` }],
      help: 'a shared layer lives in one piece of the model with all its applications: apply it fewer times in a row, or give each step its own weights (an op in place of the `layer`)',
    });
  } else {
    reporter.report('tooDeepForTfjs', model.span, params, {
      help: 'several tensors flow side by side through dropout or batch_norm layers, which must not run twice per step: join the streams more often, or move those layers out of them',
    });
  }
  return false;
}
function inputType(statement: InputStatement, reporter: Reporter): TensorType | undefined {
  const shape = statement.shape;
  if (!shape) {
    reporter.report('missingInputShape', statement.name.span, { name: statement.name.name });
    return undefined;
  }
  let dtype: TensorType['dtype'] = 'float32';
  if (shape.dtype) {
    if (shape.dtype.name !== 'float32' && shape.dtype.name !== 'int32') {
      reporter.report('unknownDtype', shape.dtype.span, { name: shape.dtype.name });
      return undefined;
    }
    dtype = shape.dtype.name;
  }
  const dims: Array<number | null> = [];
  for (const dim of shape.dims) {
    if (dim.kind === 'Unknown') dims.push(null);
    else if (dim.kind === 'Number') dims.push(dim.value);
    else {
      reporter.report('invalidShape', dim.span, { found: `\`${dim.name}\` (names stand for sizes only inside blocks)` });
      return undefined;
    }
  }
  return { shape: dims, dtype };
}
