import { kernelKit, type KernelArgs, type NncKernelConfig, type TensorInfo, type Tfjs } from './kernel-kit.js';

/**
 * Conv2DBackpropFilter (the gradient of a convolution with respect to its filter) built from the
 * backend's own Conv2D: dW[i, j, c, f] = Σ_{n, y, x} x[n, y·s + i, x·s + j, c] · dy[n, y, x, f] is
 * itself a convolution, of x with its channels as the batch and its batch as the channels
 * ([c, h, w, n]), by dy with its batch as the input channels ([y, x, n, f]), with the stride as
 * the dilation. tfjs's wasm backend has no kernel of its own for it.
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
