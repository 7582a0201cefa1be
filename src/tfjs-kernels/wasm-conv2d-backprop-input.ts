import { kernelKit, type KernelArgs, type KernelConfig, type NncKernelConfig, type TensorInfo, type Tfjs } from './kernel-kit.js';

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/**
 * Conv2DBackpropInput (the gradient of a convolution with respect to its input) on wasm as the
 * backend's XNNPACK Conv2D: dx is the `valid` convolution of dy, spread out by the stride (zeros
 * between its rows and columns) and padded by the filter size less the forward padding, with the
 * filter flipped in both spatial axes and its in- and out-channels swapped. tfjs-wasm's own kernel
 * is a scalar loop (about 1.5 GFLOP/s against 15 for Conv2D); NCHW stays with it.
 */
export function wasmConv2DBackpropInput(tf: Tfjs, original: KernelConfig): NncKernelConfig {
  const unpatched = original.kernelFunc;
  return {
    ...original,
    nnc: true,
    replaced: unpatched,
    kernelFunc: (args: KernelArgs) => {
      const attrs = args.attrs as unknown as Attrs;
      if (attrs.dataFormat === 'NCHW') return unpatched(args);
      const k = kernelKit(tf, original.backendName, args.backend);
      const dy = args.inputs.dy!;
      const filter = args.inputs.filter!;
      const [fh, fw, inChannels, outChannels] = filter.shape as [number, number, number, number];
      const [batch, height, width] = attrs.inputShape;
      const info = tf.backend_util.computeConv2DInfo(attrs.inputShape, [fh, fw, inChannels, outChannels], attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
      const [oh, ow] = [dy.shape[1]!, dy.shape[2]!];
      const temporaries: TensorInfo[] = [];
      const keep = (t: TensorInfo) => (temporaries.push(t), t);
      // Zeros after each row (then each column) of dy: [n, oh·s, ow·s, f].
      let spread = dy;
      if (info.strideHeight > 1) {
        const rows = keep(k.run('Reshape', { x: spread }, { shape: [batch, oh, 1, ow * outChannels] }));
        const padded = keep(k.run('PadV2', { x: rows }, { paddings: [[0, 0], [0, 0], [0, info.strideHeight - 1], [0, 0]], constantValue: 0 }));
        spread = keep(k.run('Reshape', { x: padded }, { shape: [batch, oh * info.strideHeight, ow, outChannels] }));
      }
      if (info.strideWidth > 1) {
        const cols = keep(k.run('Reshape', { x: spread }, { shape: [batch * spread.shape[1]!, ow, 1, outChannels] }));
        const padded = keep(k.run('PadV2', { x: cols }, { paddings: [[0, 0], [0, 0], [0, info.strideWidth - 1], [0, 0]], constantValue: 0 }));
        spread = keep(k.run('Reshape', { x: padded }, { shape: [batch, spread.shape[1]!, ow * info.strideWidth, outChannels] }));
      }
      // The full input of the transposed convolution has height + fh - 1 rows; row p is spread row p - before.
      const edges = (length: number, size: number, forwardPad: number, filterSize: number) => {
        const before = filterSize - 1 - forwardPad;
        return { before, after: size + filterSize - 1 - before - length };
      };
      const h = edges(spread.shape[1]!, height, info.padInfo.top, fh);
      const w = edges(spread.shape[2]!, width, info.padInfo.left, fw);
      // Rows past either edge belong to windows entirely in the padding: they reach no input.
      if (h.before < 0 || h.after < 0 || w.before < 0 || w.after < 0) {
        const [top, left] = [Math.max(0, -h.before), Math.max(0, -w.before)];
        const size = [batch, spread.shape[1]! - top - Math.max(0, -h.after), spread.shape[2]! - left - Math.max(0, -w.after), outChannels];
        spread = keep(k.run('Slice', { x: spread }, { begin: [0, top, left, 0], size }));
      }
      const paddings = [[0, 0], [Math.max(0, h.before), Math.max(0, h.after)], [Math.max(0, w.before), Math.max(0, w.after)], [0, 0]];
      const full = paddings.some(([a, b]) => a! + b! > 0) ? keep(k.run('PadV2', { x: spread }, { paddings, constantValue: 0 })) : spread;
      const flipped = keep(k.run('Reverse', { x: filter }, { dims: [0, 1] }));
      const swapped = keep(k.run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] }));
      const dx = k.run('Conv2D', { x: full, filter: swapped }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] });
      k.free(...temporaries);
      return dx;
    },
  };
}
