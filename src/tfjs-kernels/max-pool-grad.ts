import { kernelKit, type KernelArgs, type KernelConfig, type NncKernelConfig, type Tfjs } from './kernel-kit.js';

/**
 * MaxPoolGrad as one pass over typed arrays: each window's gradient goes to its maximum, the
 * first in row-major window order as tfjs-cpu picks it (a strict `>`; a window of NaN gets
 * none), found as the first position that holds the forward pass's output; overlapping windows
 * add up in float64. tfjs-cpu searches the windows again for every input position through
 * TensorBuffer accessors, about 30 times slower. tfjs-wasm's kernel is slow too, gives ties to
 * the last maximum and no gradient to a window whose maximum is 0, so wasm uses this one as
 * well: it reads the tensors in wasm memory and writes dx back.
 */
export function hostMaxPoolGrad(tf: Tfjs, original: KernelConfig): NncKernelConfig {
  const unpatched = original.kernelFunc;
  return {
    ...original,
    nnc: true,
    replaced: unpatched,
    kernelFunc: (args: KernelArgs) => {
      const attrs = args.attrs as { filterSize: number | [number, number]; strides: number | [number, number]; pad: 'valid' | 'same' | number; dimRoundingMode?: 'floor' | 'round' | 'ceil' };
      const { dy, input } = args.inputs as Record<'dy' | 'input', import('@tensorflow/tfjs').TensorInfo>;
      const k = kernelKit(tf, original.backendName, args.backend);
      const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
      const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
      const { top, left } = info.padInfo;
      const xs = k.read(input) as Float32Array;
      const dys = k.read(dy) as Float32Array;
      const maxima = k.read(args.inputs.output!) as Float32Array;
      // Windows that do not overlap send each position one gradient at most: float32 holds it exactly.
      const overlap = strideHeight < filterHeight || strideWidth < filterWidth;
      const sums = overlap ? new Float64Array(xs.length) : new Float32Array(xs.length);
      for (let b = 0; b < batchSize; b++) {
        for (let yr = 0; yr < outHeight; yr++) {
          const r0 = Math.max(0, yr * strideHeight - top);
          const r1 = Math.min(inHeight, yr * strideHeight - top + filterHeight);
          for (let yc = 0; yc < outWidth; yc++) {
            const c0 = Math.max(0, yc * strideWidth - left);
            const c1 = Math.min(inWidth, yc * strideWidth - left + filterWidth);
            const o = ((b * outHeight + yr) * outWidth + yc) * inChannels;
            for (let d = 0; d < inChannels; d++) {
              // The first position holding the forward pass's maximum is the first maximum, and
              // looking for it branches predictably; a window with a NaN may hold no such value,
              // and is searched with tfjs-cpu's strict \`>\`.
              const target = maxima[o + d]!;
              let at = -1;
              search: for (let r = r0; r < r1; r++) {
                for (let i = ((b * inHeight + r) * inWidth + c0) * inChannels + d, c = c0; c < c1; c++, i += inChannels) {
                  if (xs[i] === target) {
                    at = i;
                    break search;
                  }
                }
              }
              if (at < 0) {
                let best = -Infinity;
                for (let r = r0; r < r1; r++) {
                  for (let i = ((b * inHeight + r) * inWidth + c0) * inChannels + d, c = c0; c < c1; c++, i += inChannels) {
                    if (xs[i]! > best) {
                      best = xs[i]!;
                      at = i;
                    }
                  }
                }
              }
              if (at >= 0) sums[at]! += dys[o + d]!;
            }
          }
        }
      }
      return k.upload(sums instanceof Float32Array ? sums : new Float32Array(sums), [...input.shape]);
    },
  };
}
