import { kernelKit, type KernelArgs, type KernelConfig, type NncKernelConfig, type TensorInfo, type Tfjs } from './kernel-kit.js';

/**
 * BatchMatMul and _FusedMatMul on wasm with a transposed operand: tfjs-wasm multiplies the plain
 * form with XNNPACK (about 15 GFLOP/s) but a transposed one with a scalar loop (about 1 GFLOP/s),
 * and every dense layer's backward pass multiplies by a transpose. Transposing explicitly (a
 * copy, linear in the operand) and multiplying the plain form gives the same sums in the same
 * order up to float32 rounding, 10 times faster.
 */
export function wasmPlainMatMul(tf: Tfjs, original: KernelConfig): NncKernelConfig {
  const unpatched = original.kernelFunc;
  return {
    ...original,
    nnc: true,
    replaced: unpatched,
    kernelFunc: (args: KernelArgs) => {
      const attrs = args.attrs as { transposeA: boolean; transposeB: boolean };
      if (!attrs.transposeA && !attrs.transposeB) return unpatched(args);
      const k = kernelKit(tf, original.backendName, args.backend);
      const swapLast = (t: TensorInfo) => {
        const perm = t.shape.map((_, i) => i);
        [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1]!, perm[perm.length - 2]!];
        return k.run('Transpose', { x: t }, { perm });
      };
      const a = attrs.transposeA ? swapLast(args.inputs.a!) : args.inputs.a!;
      const b = attrs.transposeB ? swapLast(args.inputs.b!) : args.inputs.b!;
      const out = unpatched({ ...args, inputs: { ...args.inputs, a, b }, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
      k.free(...(a !== args.inputs.a ? [a] : []), ...(b !== args.inputs.b ? [b] : []));
      return out;
    },
  };
}
