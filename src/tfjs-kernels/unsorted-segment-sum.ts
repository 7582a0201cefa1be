import { kernelKit, type KernelArgs, type NncKernelConfig, type Tfjs } from './kernel-kit.js';

/**
 * UnsortedSegmentSum (the gradient of a gather, so of every embedding lookup) as one ScatterNd,
 * which adds the rows of ids that repeat: out[id] = Σ_{k: ids[k] = id} x[k]. The ids are read
 * once (a few thousand integers per batch) so that those outside [0, numSegments) are dropped
 * as TensorFlow does; they go to one spare row that is cut off, rather than out of bounds.
 * tfjs's wasm backend has no kernel of its own for it.
 */
export function composedUnsortedSegmentSum(tf: Tfjs, backendName: string): NncKernelConfig {
  return {
    kernelName: 'UnsortedSegmentSum',
    backendName,
    nnc: true,
    kernelFunc: (args: KernelArgs) => {
      const k = kernelKit(tf, backendName, args.backend);
      const x = args.inputs.x!;
      const segmentIds = args.inputs.segmentIds!;
      const segments = (args.attrs as { numSegments: number }).numSegments;
      const count = tf.util.sizeFromShape(segmentIds.shape);
      const rowShape = x.shape.slice(segmentIds.shape.length);
      const row = tf.util.sizeFromShape(rowShape);
      const ids = k.backend.readSync(segmentIds.dataId);
      const rows = new Int32Array(count);
      let outside = false;
      for (let i = 0; i < count; i++) {
        const id = ids[i]!;
        outside ||= !(id >= 0 && id < segments);
        rows[i] = id >= 0 && id < segments ? id : segments;
      }
      const indices = k.upload(rows, [count, 1]);
      const updates = k.run('Reshape', { x }, { shape: [count, row] });
      const scattered = k.run('ScatterNd', { indices, updates }, { shape: [outside ? segments + 1 : segments, row] });
      const kept = outside ? k.run('Slice', { x: scattered }, { begin: [0, 0], size: [segments, row] }) : scattered;
      const out = k.run('Reshape', { x: kept }, { shape: [segments, ...rowShape] });
      k.free(indices, updates, scattered, ...(kept !== scattered ? [kept] : []));
      return out;
    },
  };
}
