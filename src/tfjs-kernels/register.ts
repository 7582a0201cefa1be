import { composedConv2DBackpropFilter } from './conv2d-backprop-filter.js';
import { cpuConv2DBackpropFilter } from './cpu-conv2d-backprop-filter.js';
import { hostMaxPoolGrad } from './max-pool-grad.js';
import type { KernelConfig, NncKernelConfig, Tfjs } from './kernel-kit.js';
import { composedUnsortedSegmentSum } from './unsorted-segment-sum.js';
import { wasmPlainMatMul } from './wasm-batch-mat-mul.js';
import { wasmConv2DBackpropInput } from './wasm-conv2d-backprop-input.js';

/** A kernel nnc registers with tfjs. */
export interface NncKernel {
  kernel: string;
  /**
   * `missing`: on any backend that has no kernel of that name (built from kernels it has);
   * otherwise on these backends, in place of their own kernel (which it falls back to).
   */
  on: 'missing' | readonly string[];
  /** The backend's kernels it is built from: without them it is not registered there. */
  uses: readonly string[];
  /** Why, in a few words (docs/training.md lists these). */
  why: string;
  make(tf: Tfjs, backendName: string, replaced: KernelConfig | undefined): NncKernelConfig;
  /**
   * For a kernel built where it is missing: its file in src/tfjs-kernels, which generated modules
   * embed (src/codegen/tfjs/emit-kernels.ts), so that they train on such a backend too.
   */
  file?: string;
}

export function isNncKernel(config: KernelConfig | undefined): config is NncKernelConfig {
  return config !== undefined && (config as Partial<NncKernelConfig>).nnc === true;
}

const replacing = (make: (tf: Tfjs, original: KernelConfig) => NncKernelConfig) => (tf: Tfjs, _backend: string, replaced: KernelConfig | undefined) => make(tf, replaced!);

export const nncKernels: readonly NncKernel[] = [
  { kernel: 'Conv2DBackpropFilter', on: 'missing', uses: ['Conv2D', 'Transpose', 'PadV2', 'Slice', 'Reshape', 'BatchMatMul'], why: 'absent from wasm: a Conv2D of transposed tensors, or patches times dy', make: composedConv2DBackpropFilter, file: 'conv2d-backprop-filter' },
  { kernel: 'UnsortedSegmentSum', on: 'missing', uses: ['ScatterNd', 'Reshape', 'Slice'], why: 'absent from wasm: a ScatterNd', make: composedUnsortedSegmentSum, file: 'unsorted-segment-sum' },
  { kernel: 'UnsortedSegmentSum', on: ['cpu'], uses: ['ScatterNd', 'Reshape', 'Slice'], why: 'one masked sum over all rows per segment, O(segments × rows): one ScatterNd', make: (tf, backend, replaced) => ({ ...composedUnsortedSegmentSum(tf, backend), replaced: replaced!.kernelFunc }) },
  { kernel: 'BatchMatMul', on: ['wasm'], uses: ['Transpose'], why: 'transposed operands run 10× slower than the plain form', make: replacing(wasmPlainMatMul) },
  { kernel: '_FusedMatMul', on: ['wasm'], uses: ['Transpose'], why: 'transposed operands run 10× slower than the plain form', make: replacing(wasmPlainMatMul) },
  { kernel: 'Conv2DBackpropInput', on: ['wasm'], uses: ['Conv2D', 'Transpose', 'Reverse', 'PadV2', 'Reshape', 'Slice'], why: 'a scalar loop: an XNNPACK Conv2D of the spread-out gradient', make: replacing(wasmConv2DBackpropInput) },
  { kernel: 'MaxPoolGrad', on: ['cpu', 'wasm'], uses: [], why: 'searches every window again per input position; wasm also breaks ties differently: a typed-array loop', make: replacing(hostMaxPoolGrad) },
  { kernel: 'Conv2DBackpropFilter', on: ['cpu'], uses: [], why: 'element accessors, 0.01 GFLOP/s: a typed-array loop', make: replacing(cpuConv2DBackpropFilter) },
];

/**
 * Registers nnc's kernels for one backend: the ones it lacks and nnc can build from the ones it
 * has, and faster versions of slow ones. Idempotent: what is registered is marked as nnc's and
 * found again in tfjs's kernel registry, which is the only state. Returns the kernels of the
 * backend that are nnc's afterwards.
 */
export function registerKernels(tf: Tfjs, backendName: string): string[] {
  for (const kernel of nncKernels) {
    const current = tf.getKernel(kernel.kernel, backendName);
    if (isNncKernel(current)) continue;
    if (kernel.uses.some((name) => tf.getKernel(name, backendName) === undefined)) continue;
    if (kernel.on === 'missing') {
      if (current === undefined) tf.registerKernel(kernel.make(tf, backendName, undefined));
    } else if (kernel.on.includes(backendName) && current !== undefined) {
      tf.unregisterKernel(kernel.kernel, backendName);
      tf.registerKernel(kernel.make(tf, backendName, current));
    }
  }
  return tf.getKernelsForBackend(backendName).filter(isNncKernel).map((k) => k.kernelName);
}
