import { kernelKit, type KernelArgs, type NncKernelConfig, type TensorInfo, type Tfjs } from './kernel-kit.js';

/**
 * Conv2DBackpropFilter (the gradient of a convolution with respect to its filter) built from the
 * backend's own kernels; tfjs's wasm backend has none of its own. With few input channels (a first
 * layer) the patches of x are cheap to make, as a convolution with a one-hot filter, and
 * dW = patchesᵀ · dy is one plain matmul. Otherwise dW[i, j, c, f] = Σ_{n, y, x} x[n, y·s + i,
 * x·s + j, c] · dy[n, y, x, f] is itself a convolution: of x with its channels as the batch and
 * its batch as the channels ([c, h, w, n]), by dy with its batch as the input channels
 * ([y, x, n, f]), with the stride as the dilation. A NaN or an infinity in x turns its whole patch
 * to NaN in the first form; the gradient is not finite in either.
 */
export function composedConv2DBackpropFilter(tf: Tfjs, backendName: string): NncKernelConfig {
  return {
    kernelName: 'Conv2DBackpropFilter',
    backendName,
    nnc: true,
    kernelFunc: (args: KernelArgs) => {
      const k = kernelKit(tf, backendName, args.backend);
      const attrs = args.attrs as { strides: number | [number, number]; pad: 'valid' | 'same' | number; dataFormat: 'NHWC' | 'NCHW'; dimRoundingMode?: 'floor' | 'round' | 'ceil'; filterShape: [number, number, number, number] };
      const nchw = attrs.dataFormat === 'NCHW';
      const toNhwc = (t: TensorInfo) => (nchw ? k.run('Transpose', { x: t }, { perm: [0, 2, 3, 1] }) : t);
      const x = toNhwc(args.inputs.x!);
      const dy = toNhwc(args.inputs.dy!);
      const [fh, fw, channels, filters] = attrs.filterShape;
      const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
      const patch = fh * fw * channels;
      if (patch <= filters) {
        // Few input channels (a first layer): the patches themselves are cheap to make, as a
        // convolution with a one-hot filter, and dW = patchesᵀ · dy is one plain matmul.
        const eye = new Float32Array(patch * patch);
        for (let i = 0; i < patch; i++) eye[i * patch + i] = 1;
        const identity = k.upload(eye, [fh, fw, channels, patch]);
        const patches = k.run('Conv2D', { x, filter: identity }, { strides: attrs.strides, pad: attrs.pad, dataFormat: 'NHWC', dilations: [1, 1], ...(attrs.dimRoundingMode ? { dimRoundingMode: attrs.dimRoundingMode } : {}) });
        const rows = info.batchSize * info.outHeight * info.outWidth;
        const columns = k.run('Reshape', { x: patches }, { shape: [rows, patch] });
        const byPatch = k.run('Transpose', { x: columns }, { perm: [1, 0] });
        const grads = k.run('Reshape', { x: dy }, { shape: [rows, filters] });
        const product = k.run('BatchMatMul', { a: byPatch, b: grads }, { transposeA: false, transposeB: false });
        const dw = k.run('Reshape', { x: product }, { shape: [fh, fw, channels, filters] });
        k.free(identity, patches, columns, byPatch, grads, product, ...(nchw ? [x, dy] : []));
        return dw;
      }
      const { top, bottom, left, right } = info.padInfo;
      const padded = top + bottom + left + right > 0 ? k.run('PadV2', { x }, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 }) : x;
      const xt = k.run('Transpose', { x: padded }, { perm: [3, 1, 2, 0] });
      const dyt = k.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
      const full = k.run('Conv2D', { x: xt, filter: dyt }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [info.strideHeight, info.strideWidth] });
      // With `valid` padding a stride can leave rows at the end that no window reaches: they fall outside [fh, fw].
      const cut = full.shape[1] !== fh || full.shape[2] !== fw ? k.run('Slice', { x: full }, { begin: [0, 0, 0, 0], size: [channels, fh, fw, filters] }) : full;
      const dw = k.run('Transpose', { x: cut }, { perm: [1, 2, 0, 3] });
      const temporaries = [xt, dyt, full, ...(cut !== full ? [cut] : []), ...(padded !== x ? [padded] : []), ...(nchw ? [x, dy] : [])];
      k.free(...temporaries);
      return dw;
    },
  };
}
