import type { IRModel } from './ir/ir.js';
import { initText } from './analysis/signal.js';
import { formatShape } from './registry/op.js';

/** One row of the Keras-style summary table that `nnc check` prints. */
export interface SummaryRow {
  /** The tfjs layer name (or input name). */
  layer: string;
  /** The op, e.g. `dense`, `input`, `concat`. */
  op: string;
  /** Output shape with the batch dimension, e.g. `[?, 30]`; several for shared layers. */
  outputShape: string;
  params: number;
  /** Initializers of the weights, e.g. `he (auto)`; empty when the layer has none. */
  init: string;
  /** Source line of the layer expression. */
  line: number;
  /**
   * The tensors the layer is applied to, as Keras's summary names them: `layer[node][tensor]`,
   * where `node` counts the applications of a shared layer (0 for the first) and `tensor` the
   * outputs of that application (always 0: every nnc op has one). Every application's inputs,
   * in order; empty for an input.
   */
  connectedTo: string[];
}

export interface ModelSummary {
  model: string;
  /**
   * Whether the graph is a plain chain (one input, one output, each layer applied once to one
   * tensor, nothing branching), Keras's "sequential-like": its summary then has no "Connected
   * to" column, since each row is connected to the one above.
   */
  chain: boolean;
  rows: SummaryRow[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
}

function withBatch(shape: IRModel['nodes'][number]['type']['shape']): string {
  return formatShape([null, ...shape]);
}

export function summarize(model: IRModel): ModelSummary {
  const rows: SummaryRow[] = [];
  for (const input of model.inputs) {
    rows.push({ layer: input.name, op: 'input', outputShape: withBatch(input.type.shape), params: 0, init: '', line: input.span.start.line, connectedTo: [] });
  }
  const shapesByLayer = new Map<string, string[]>();
  // `layer[node][0]` of every node: which application of its layer it is.
  const reference = new Map<string, string>();
  const applications = new Map<string, number>();
  const connections = new Map<string, string[]>();
  const consumers = new Map<string, number>();
  for (const node of model.nodes) {
    if (node.kind !== 'apply') {
      reference.set(node.id, `${node.id}[0][0]`);
      continue;
    }
    const shapes = shapesByLayer.get(node.layer) ?? [];
    const shape = withBatch(node.type.shape);
    if (!shapes.includes(shape)) shapes.push(shape);
    shapesByLayer.set(node.layer, shapes);
    const application = applications.get(node.layer) ?? 0;
    applications.set(node.layer, application + 1);
    reference.set(node.id, `${node.layer}[${application}][0]`);
    const list = connections.get(node.layer) ?? [];
    for (const input of node.inputs) {
      list.push(reference.get(input) ?? input);
      consumers.set(input, (consumers.get(input) ?? 0) + 1);
    }
    connections.set(node.layer, list);
  }
  const chain =
    model.inputs.length === 1 &&
    model.outputs.length === 1 &&
    [...applications.values()].every((n) => n === 1) &&
    [...consumers.values()].every((n) => n === 1) &&
    model.nodes.every((node) => node.kind !== 'apply' || node.inputs.length === 1);
  let total = 0;
  let trainable = 0;
  for (const layer of model.layers) {
    const inits = layer.weights
      .filter((w) => w.trainable)
      .map((w) => `${initText(w.init)}${w.init.auto ? ' (auto)' : ''}`);
    rows.push({
      layer: layer.id,
      op: layer.op,
      outputShape: (shapesByLayer.get(layer.id) ?? []).join(' | '),
      params: layer.paramCount,
      init: [...new Set(inits)].join(', '),
      line: layer.span.start.line,
      connectedTo: connections.get(layer.id) ?? [],
    });
    total += layer.paramCount;
    for (const w of layer.weights) if (w.trainable) trainable += w.shape.reduce((a, b) => a * b, 1);
  }
  return { model: model.name, chain, rows, totalParams: total, trainableParams: trainable, nonTrainableParams: total - trainable };
}
