import { kernelKit, type KernelArgs, type KernelConfig, type NncKernelConfig, type Tfjs } from './kernel-kit.js';

/**
 * Conv2DBackpropFilter on the cpu backend as a loop over typed arrays. tfjs-cpu's kernel reads
 * every element through a TensorBuffer accessor with the channel loops outermost (0.01 GFLOP/s);
 * here the filters are the innermost loop, contiguous in both dy and dW. Each weight sums its
 * terms in the same order and in float64, as tfjs-cpu does, so the results are the same. NCHW
 * stays with tfjs-cpu's kernel.
 */
export function cpuConv2DBackpropFilter(tf: Tfjs, original: KernelConfig): NncKernelConfig {
  const unpatched = original.kernelFunc;
  return {
    ...original,
    nnc: true,
    replaced: unpatched,
    kernelFunc: (args: KernelArgs) => {
      const attrs = args.attrs as { strides: number | [number, number]; pad: 'valid' | 'same' | number; dataFormat: 'NHWC' | 'NCHW'; dimRoundingMode?: 'floor' | 'round' | 'ceil'; filterShape: [number, number, number, number] };
      const { x, dy } = args.inputs as Record<'x' | 'dy', import('@tensorflow/tfjs').TensorInfo>;
      if (attrs.dataFormat === 'NCHW' || x.dtype !== 'float32') return unpatched(args);
      const k = kernelKit(tf, original.backendName, args.backend);
      const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
      const [fh, fw, channels, filters] = attrs.filterShape;
      const { batchSize, inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth } = info;
      const { top, left } = info.padInfo;
      const xs = k.read(x) as Float32Array;
      const dys = k.read(dy) as Float32Array;
      const sums = new Float64Array(fh * fw * channels * filters);
      for (let b = 0; b < batchSize; b++) {
        for (let yr = 0; yr < outHeight; yr++) {
          for (let yc = 0; yc < outWidth; yc++) {
            const dyAt = ((b * outHeight + yr) * outWidth + yc) * filters;
            for (let i = 0; i < fh; i++) {
              const xr = yr * strideHeight - top + i;
              if (xr < 0 || xr >= inHeight) continue;
              for (let j = 0; j < fw; j++) {
                const xc = yc * strideWidth - left + j;
                if (xc < 0 || xc >= inWidth) continue;
                const xAt = ((b * inHeight + xr) * inWidth + xc) * channels;
                let wAt = (i * fw + j) * channels * filters;
                for (let c = 0; c < channels; c++, wAt += filters) {
                  const value = xs[xAt + c]!;
                  for (let f = 0; f < filters; f++) sums[wAt + f]! += value * dys[dyAt + f]!;
                }
              }
            }
          }
        }
      }
      return k.upload(new Float32Array(sums), [fh, fw, channels, filters]);
    },
  };
}
