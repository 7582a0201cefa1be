import type { Reporter } from '../diagnostics/reporter.js';
import type { IRModel, IRPort, TensorType } from '../ir/ir.js';
import type { InputStatement, ModelDecl } from '../parse/ast.js';
import { registry } from '../registry/registry.js';
import { analyzeSignal } from '../analysis/signal.js';
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

  const { layers, nodes, ids } = graph.finish(outputNodes);
  const inputs: IRPort[] = scope.inputs.map((statement) => {
    const value = ctx.values.get(statement.name.name)!;
    return { name: statement.name.name, node: statement.name.name, type: (value as { type: TensorType }).type, span: statement.span };
  });
  const outputs: IRPort[] = outputValues.map(({ name, value }) => {
    const tensor = value as Extract<Value, { kind: 'tensor' }>;
    return { name, node: ids.get(tensor.node)!, type: tensor.type, span: scope.outputs.find((o) => o.name === name)!.span };
  });
  const layerById = new Map(layers.map((l) => [l.id, l]));
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  const train = scope.trains[0]
    ? checkTrain(scope.trains[0], {
        inputs: inputs.map((i) => i.name),
        outputs,
        reporter,
        outputActivation: (name) => {
          const node = nodeById.get(outputs.find((o) => o.name === name)!.node);
          const layer = node?.kind === 'apply' ? layerById.get(node.layer) : undefined;
          if (!layer) return undefined;
          const op = registry.op(layer.op)!;
          return op.activation?.(layer.attrs)?.name ?? (op.category === 'activation' ? op.name : undefined);
        },
      })
    : null;
  if (reporter.errorCount > errorsBefore || train === undefined) {
    trace?.model(decl, { ids });
    return undefined;
  }
  const model: IRModel = { name: decl.name.name, span: decl.span, inputs, outputs, layers, nodes, train };
  const signal = analyzeSignal(model);
  reportSignal(model, signal, band, reporter);
  trace?.model(decl, { ir: model, signal, ids });
  return model;
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
