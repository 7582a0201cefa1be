import type { OnnxDim, OnnxLayout } from '../registry/onnx.js';

/**
 * Axis orders. A tensor's per-sample dims are kept channels-last (the IR's order); in the graph
 * they are preceded by the batch axis and, for `first`, the last axis moves to position 1.
 */

/** Whether a tensor of this per-sample rank has two orders at all. */
export function hasLayouts(rank: number): boolean {
  return rank >= 2;
}

/** The Transpose permutation taking a tensor of `rank` per-sample axes to `to`. */
export function permutation(rank: number, to: OnnxLayout): number[] {
  const n = rank + 1;
  if (to === 'first') return [0, n - 1, ...Array.from({ length: n - 2 }, (_, i) => i + 1)];
  return [0, ...Array.from({ length: n - 2 }, (_, i) => i + 2), 1];
}

/** The graph's dims of a tensor: the batch axis, then the per-sample dims in `layout`. */
export function graphDims(dims: readonly OnnxDim[], layout: OnnxLayout, batch: OnnxDim): OnnxDim[] {
  if (layout === 'last' || !hasLayouts(dims.length)) return [batch, ...dims];
  return [batch, dims[dims.length - 1]!, ...dims.slice(0, -1)];
}

/**
 * The graph's axis for a language axis (counted without the batch axis, negative from the end)
 * of a tensor with `rank` per-sample axes, in `layout`.
 */
export function graphAxis(axis: number, rank: number, layout: OnnxLayout): number {
  const k = (axis < 0 ? rank + axis : axis) + 1;
  if (layout === 'last' || !hasLayouts(rank)) return k;
  return k === rank ? 1 : k + 1;
}
