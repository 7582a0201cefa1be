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
}

export interface ModelSummary {
  model: string;
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
    rows.push({ layer: input.name, op: 'input', outputShape: withBatch(input.type.shape), params: 0, init: '', line: input.span.start.line });
  }
  const shapesByLayer = new Map<string, string[]>();
  for (const node of model.nodes) {
    if (node.kind !== 'apply') continue;
    const shapes = shapesByLayer.get(node.layer) ?? [];
    const shape = withBatch(node.type.shape);
    if (!shapes.includes(shape)) shapes.push(shape);
    shapesByLayer.set(node.layer, shapes);
  }
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
    });
    total += layer.paramCount;
    for (const w of layer.weights) if (w.trainable) trainable += w.shape.reduce((a, b) => a * b, 1);
  }
  return { model: model.name, rows, totalParams: total, trainableParams: trainable, nonTrainableParams: total - trainable };
}
