import type { Span } from '../diagnostics/span.js';
import type { IRApplyNode, IRLayer, IRModel } from '../ir/ir.js';
import { ReferenceModel } from '../reference/engine.js';
import { registry } from '../registry/registry.js';
import { inputDims, outputDims } from './dims.js';
import { BATCH, GraphBuilder, type WeightValues } from './graph-builder.js';
import { LoweringContext } from './lowering-context.js';
import { DEFAULT_OPSET, irVersion } from './opset.js';
import { encodeModelProto, type ModelProto, type ValueInfoProto } from './proto/onnx.js';
import { sha256 } from './sha256.js';
import { valueInfo } from './tensors.js';

export interface OnnxExportOptions {
  /** The default-domain opset, 13 to 21; default 17. */
  opset?: number;
  /**
   * The weights by layer id, each layer's in `IRLayer.weights` order (`ReferenceModel.params`
   * has this form). Default: the reference engine's initialization with `seed`.
   */
  weights?: WeightValues;
  /** Seed of the default weights; default 0. */
  seed?: number;
  /** The .nn source: its name and text go into doc strings and metadata (line:col, the layer's text, a hash). */
  source?: { filename: string; text?: string };
  /** nnc's version, the model's producer_version. */
  producerVersion?: string;
  /** More metadata_props, e.g. where trained weights come from or the class names of an output. */
  metadata?: Readonly<Record<string, string>>;
}

/** A layer's text as written, on one line and short enough for a tooltip. */
function snippet(text: string | undefined, span: Span): string {
  if (text === undefined) return '';
  const raw = text.slice(span.start.offset, span.end.offset).replace(/\s+/g, ' ').trim();
  return raw.length > 80 ? `${raw.slice(0, 77)}...` : raw;
}

/**
 * The checked model as an ONNX ModelProto: the inference graph (dropout removed, batch_norm on
 * its moving statistics), every tensor with its shape, named after the source. Throws a
 * RangeError for an unsupported opset and an Error when `weights` lacks a layer's values.
 */
export function buildOnnxModel(model: IRModel, options: OnnxExportOptions = {}): ModelProto {
  const opset = options.opset ?? DEFAULT_OPSET;
  const ir = irVersion(opset);
  const filename = options.source?.filename ?? '<input>';
  const weights = options.weights ?? new ReferenceModel(model, options.seed ?? 0).params;
  const graph = new GraphBuilder(opset, weights);
  const layers = new Map<string, IRLayer>(model.layers.map((l) => [l.id, l]));
  const tensors = tensorNames(model);
  for (const name of [...model.inputs.map((p) => p.name), ...model.outputs.map((p) => p.name), ...tensors.values()]) graph.names.reserve(name);
  for (const layer of model.layers) for (const w of layer.weights) graph.names.reserve(`${layer.id}/${w.name}`);

  const inputs: ValueInfoProto[] = model.inputs.map((port) => {
    const dims = inputDims(port.name, port.type.shape);
    graph.hold(port.node, { name: graph.names.take(port.name), layout: 'last', dtype: port.type.dtype, dims });
    return valueInfo(port.name, port.type.dtype, [BATCH, ...dims]);
  });
  const outputNodes = new Set(model.outputs.map((o) => o.node));
  for (const node of model.nodes) {
    if (node.kind !== 'apply') continue;
    const layer = layers.get(node.layer)!;
    const doc = `${filename}:${node.span.start.line}:${node.span.start.column} ${snippet(options.source?.text, layer.span)}`.trimEnd();
    lowerNode(graph, node, layer, doc, tensors.get(node.id)!, outputNodes.has(node.id));
  }

  const outputs: ValueInfoProto[] = [];
  const taken = new Set<string>();
  for (const port of model.outputs) {
    const doc = `${filename}:${port.span.start.line}:${port.span.start.column} output ${port.name}`;
    let value = graph.value(port.node, 'last', doc);
    // A graph output is named after the output; an alias, an input or a second output of one tensor needs a copy.
    if (value.name !== port.name || taken.has(value.name)) {
      value = graph.rename(graph.addNode('Identity', [value.name], {}, value, `${port.name}/Identity`, doc), port.name);
    }
    taken.add(value.name);
    outputs.push(graph.infoOf(value.name)!);
  }

  const hash = options.source?.text === undefined ? undefined : sha256(options.source.text);
  const metadata: Record<string, string> = {
    'nnc.model': model.name,
    'nnc.source': filename,
    ...(hash ? { 'nnc.source_sha256': hash } : {}),
    ...(options.producerVersion ? { 'nnc.version': options.producerVersion } : {}),
    'nnc.weights': options.weights ? 'given' : `initialized, seed ${options.seed ?? 0}`,
    ...options.metadata,
  };
  return {
    ir_version: ir,
    opset_import: [{ domain: '', version: opset }],
    producer_name: 'nnc',
    ...(options.producerVersion ? { producer_version: options.producerVersion } : {}),
    doc_string: `${model.name} from ${filename}: the inference graph (dropout removed, batch_norm on its moving statistics)`,
    graph: {
      name: model.name,
      node: graph.nodes,
      initializer: graph.initializers,
      input: inputs,
      output: outputs,
      value_info: graph.valueInfo(taken),
      doc_string: `${filename}:${model.span.start.line}:${model.span.start.column} model ${model.name}`,
    },
    metadata_props: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  };
}

/**
 * The tensor of each IR node: its id (`hidden/dense_1`, scoped by blocks and repeat), except that
 * the applications of a shared layer (`encoder`, `encoder:1`) take the names they are bound to
 * (`a = left -> encoder`) when no other tensor has them.
 */
function tensorNames(model: IRModel): Map<string, string> {
  const ids = new Set(model.nodes.map((n) => n.id));
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const node of model.nodes) {
    let name = node.id;
    const last = node.id.split('/').pop()!.replace(/:\d+$/, '');
    if (node.kind === 'apply' && node.name !== undefined && node.name !== last) {
      const bound = [...node.id.split('/').slice(0, -1), node.name].join('/');
      if (!ids.has(bound) && !taken.has(bound) && !model.outputs.some((o) => o.name === bound && o.node !== node.id)) name = bound;
    }
    taken.add(name);
    names.set(node.id, name);
  }
  return names;
}

function lowerNode(graph: GraphBuilder, node: IRApplyNode, layer: IRLayer, doc: string, tensor: string, isOutput: boolean): void {
  const op = registry.op(layer.op);
  if (!op) throw new Error(`internal: unknown op \`${layer.op}\``);
  const given = node.inputs.map((id) => graph.value(id, 'any', doc).dims);
  const dims = outputDims(tensor, node.type.shape, given, op.onnx.dims, layer);
  const start = graph.nodes.length;
  let value = op.onnx.lower(new LoweringContext(graph, node, layer, dims, doc, tensor));
  if (!graph.computedSince(value.name, start)) {
    // An alias of an earlier tensor (dropout, linear): no node of its own.
    graph.hold(node.id, value);
    return;
  }
  // The tensor named after the source is the one in the IR's order when it leaves the graph.
  graph.hold(node.id, value);
  if (isOutput && value.layout === 'first') value = graph.value(node.id, 'last', doc);
  graph.rename(value, tensor);
}

export function encodeOnnx(model: ModelProto): Uint8Array {
  return encodeModelProto(model).finish();
}
