/**
 * What nnc's tfjs kernels share: running another kernel of the same backend and freeing what it
 * returned. A composite kernel is built only from kernels the backend already has, so it runs at
 * that backend's speed (XNNPACK on wasm) and works on any backend that has those kernels.
 *
 * This file and the composite kernels are also copied into generated modules (see
 * src/codegen/tfjs/emit-kernels.ts): they import nothing and name tfjs's types inline.
 */

export type Tfjs = typeof import('@tensorflow/tfjs');
export type TensorInfo = import('@tensorflow/tfjs').TensorInfo;
export type KernelConfig = import('@tensorflow/tfjs').KernelConfig;
export type KernelFunc = import('@tensorflow/tfjs').KernelFunc;
type Attrs = import('@tensorflow/tfjs').NamedAttrMap;

/** The part of a tfjs backend that kernels use; cpu and wasm both have it. */
export interface KernelBackend {
  disposeData(dataId: object, force?: boolean): boolean;
  readSync(dataId: object): ArrayLike<number>;
  write(values: Float32Array | Int32Array | Uint8Array, shape: number[], dtype: string): object;
}

/** A kernel's arguments as tfjs passes them. */
export type KernelArgs = Parameters<KernelFunc>[0];

/** Kernels of one backend, callable from inside another kernel, and intermediates to free. */
export interface KernelKit {
  backend: KernelBackend;
  run(name: string, inputs: Record<string, TensorInfo>, attrs?: Attrs): TensorInfo;
  runAll(name: string, inputs: Record<string, TensorInfo>, attrs?: Attrs): TensorInfo[];
  /**
   * A tensor's values to read in JavaScript: tfjs-cpu's own array, a view of wasm memory (valid
   * until the next allocation on the backend), a copy elsewhere.
   */
  read(info: TensorInfo): ArrayLike<number>;
  /** A new tensor on the backend from values computed in JavaScript. */
  upload(values: Float32Array | Int32Array, shape: number[]): TensorInfo;
  free(...infos: TensorInfo[]): void;
}

export function kernelKit(tf: Tfjs, backendName: string, backend: unknown): KernelKit {
  const raw = backend as KernelBackend;
  const runAll = (name: string, inputs: Record<string, TensorInfo>, attrs: Attrs = {}): TensorInfo[] => {
    const kernel = tf.getKernel(name, backendName);
    if (!kernel) throw new Error(`kernel '${name}' is not registered for backend '${backendName}'`);
    const out = kernel.kernelFunc({ inputs, backend: raw, attrs });
    return Array.isArray(out) ? out : [out];
  };
  return {
    backend: raw,
    run: (name, inputs, attrs) => runAll(name, inputs, attrs)[0]!,
    runAll,
    read: (info) => {
      const heap = (backend as { typedArrayFromHeap?: (info: TensorInfo) => ArrayLike<number> }).typedArrayFromHeap;
      return heap ? heap.call(backend, info) : raw.readSync(info.dataId);
    },
    upload: (values, shape) => ({ dataId: raw.write(values, shape, values instanceof Int32Array ? 'int32' : 'float32'), shape, dtype: values instanceof Int32Array ? 'int32' : 'float32' }),
    free: (...infos) => infos.forEach((info) => raw.disposeData(info.dataId)),
  };
}

/** Marks a kernel config as nnc's, so that registering again finds it and leaves it be. */
export interface NncKernelConfig extends KernelConfig {
  nnc: true;
  /** The backend's own kernel that this one replaces, if any: the fallback, and what tests compare with. */
  replaced?: KernelFunc;
}
