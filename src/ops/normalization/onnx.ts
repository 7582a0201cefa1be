import { reduce } from '../../onnx/window.js';
import type { OnnxContext, OnnxValue, OpOnnx } from '../../registry/onnx.js';

/**
 * The normalizations in ONNX, for inference: batch_norm standardizes with its moving statistics,
 * layer_norm with each sample's own.
 */

/** BatchNormalization normalizes axis 1: a tensor with several axes per sample is taken channels-first. */
export const batchNormOnnx: OpOnnx = {
  doc: '`BatchNormalization` with the moving mean and variance (inference form), channels-first',
  dims: 'same',
  lower(ctx) {
    const x = ctx.input(0, 'first');
    const inputs = [x.name, ...[0, 1, 2, 3].map((i) => ctx.weight(i))];
    const attrs = { epsilon: { float: ctx.layer.attrs.epsilon as number }, momentum: { float: ctx.layer.attrs.momentum as number } };
    return ctx.node('BatchNormalization', inputs, attrs, { layout: x.layout });
  },
};

export const layerNormOnnx: OpOnnx = {
  doc: '`LayerNormalization(axis=-1)` from opset 17; before, its definition: `ReduceMean`, `Sub`, `Mul`, `ReduceMean`, `Add`, `Sqrt`, `Div`, `Mul`, `Add`',
  dims: 'same',
  lower(ctx) {
    const x = ctx.input(0, 'last');
    const [gamma, beta] = [ctx.weight(0), ctx.weight(1)];
    const epsilon = ctx.layer.attrs.epsilon as number;
    if (ctx.opset >= 17) return ctx.node('LayerNormalization', [x.name, gamma, beta], { axis: { int: -1 }, epsilon: { float: epsilon } });
    return decomposed(ctx, x, gamma, beta, epsilon);
  },
};

/** (x - mean) / sqrt(var + epsilon) · gamma + beta, over the last axis, with the biased variance. */
function decomposed(ctx: OnnxContext, x: OnnxValue, gamma: string, beta: string, epsilon: number): OnnxValue {
  const perRow = [...x.dims.slice(0, -1), 1];
  const node = (op: string, inputs: string[], dims = x.dims) => ctx.node(op, inputs, {}, { dims });
  const mean = reduce(ctx, 'ReduceMean', x, [-1], true, perRow);
  const centered = node('Sub', [x.name, mean.name]);
  const squared = node('Mul', [centered.name, centered.name]);
  const variance = reduce(ctx, 'ReduceMean', squared, [-1], true, perRow);
  const shifted = node('Add', [variance.name, ctx.float(epsilon, 'epsilon')], perRow);
  const deviation = node('Sqrt', [shifted.name], perRow);
  const normalized = node('Div', [centered.name, deviation.name]);
  const scaled = node('Mul', [normalized.name, gamma]);
  return node('Add', [scaled.name, beta]);
}
