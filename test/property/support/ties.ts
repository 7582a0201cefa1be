import type { IRModel } from '../../../src/ir/ir.js';
import type { Tensor64 } from '../../../src/reference/tensor.js';

/**
 * Whether some global max pool of the model sees its maximum twice in one channel of one
 * sample. Models make such ties structurally: overlapping max-pool windows repeat a value,
 * `maximum` passes one input's values on, ids repeat embedding rows. There the gradient has no
 * single right value: tfjs's `tf.max` gives the output gradient to every maximal element, the
 * reference engine to the first (see known-issues.test.ts), so the cross-check skips the case.
 */
export function globalMaxTies(model: IRModel, values: ReadonlyMap<string, Tensor64>): boolean {
  const layers = new Map(model.layers.map((l) => [l.id, l]));
  return model.nodes.some((node) => {
    if (node.kind !== 'apply' || layers.get(node.layer)!.op !== 'global_max_pool2d') return false;
    const x = values.get(node.inputs[0]!)!;
    const [batch, h, w, c] = x.shape as [number, number, number, number];
    for (let b = 0; b < batch; b++) {
      for (let ch = 0; ch < c; ch++) {
        let max = -Infinity;
        let count = 0;
        for (let p = 0; p < h * w; p++) {
          const v = x.data[(b * h * w + p) * c + ch]!;
          if (v > max) [max, count] = [v, 1];
          else if (v === max) count++;
        }
        if (count > 1) return true;
      }
    }
    return false;
  });
}
