import type { OnnxAttribute, OnnxContext, OnnxDim, OnnxValue } from '../registry/onnx.js';

/**
 * TensorFlow's `same` padding on one axis: max((ceil(n / s) - 1) · s + k - n, 0) in total, the
 * odd pixel at the end. ONNX's `pads` lists the starts of the spatial axes, then their ends.
 */
export function samePads(sizes: readonly number[], kernel: readonly number[], strides: readonly number[]): number[] {
  const total = sizes.map((n, i) => Math.max((Math.ceil(n / strides[i]!) - 1) * strides[i]! + kernel[i]! - n, 0));
  return [...total.map((t) => Math.floor(t / 2)), ...total.map((t) => t - Math.floor(t / 2))];
}

/**
 * The window attributes of Conv, MaxPool and AveragePool for a channels-last image `dims`
 * ([h, w, c]): explicit pads where the sizes are known, else `SAME_UPPER`, which is TF's rule.
 */
export function windowAttributes(dims: readonly OnnxDim[], kernel: [number, number], strides: [number, number], padding: string): Record<string, OnnxAttribute> {
  const attrs: Record<string, OnnxAttribute> = { kernel_shape: { ints: kernel }, strides: { ints: strides } };
  if (padding !== 'same') return attrs;
  const [h, w] = dims;
  if (typeof h === 'number' && typeof w === 'number') {
    const pads = samePads([h, w], kernel, strides);
    if (pads.some((p) => p > 0)) attrs.pads = { ints: pads };
    return attrs;
  }
  return { ...attrs, auto_pad: { string: 'SAME_UPPER' } };
}

/**
 * A reduction over `axes` (graph axes). Opset 18 moved ReduceMean's and ReduceMax's axes from an
 * attribute to a second input.
 */
export function reduce(ctx: OnnxContext, op: 'ReduceMean' | 'ReduceMax', x: OnnxValue, axes: readonly number[], keepdims: boolean, dims: readonly OnnxDim[]): OnnxValue {
  const keep = { keepdims: { int: keepdims ? 1 : 0 } };
  const output = { dims, layout: keepdims ? x.layout : ('last' as const) };
  if (ctx.opset >= 18) return ctx.node(op, [x.name, ctx.int64s(axes, 'axes')], keep, output);
  return ctx.node(op, [x.name], { axes: { ints: axes }, ...keep }, output);
}
