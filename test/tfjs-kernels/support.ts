import type * as TF from '@tensorflow/tfjs';
import { selectBackend } from '../../src/cli/backend.js';
import { Random } from '../../src/reference/random.js';

export interface HostTensor {
  values: Float32Array | Int32Array;
  shape: number[];
}

/**
 * Every tfjs backend that starts in this process (cpu always, wasm here, tfjs-node where it is
 * installed), initialised, with the cpu backend active again afterwards.
 */
export async function loadedBackends(tf: typeof TF): Promise<string[]> {
  const names: string[] = [];
  for (const choice of ['node', 'wasm', 'cpu'] as const) {
    const selected = await selectBackend(tf, choice).catch(() => undefined);
    if (selected) names.push(selected.name);
  }
  await tf.setBackend('cpu');
  return names;
}

/** Runs one kernel function on a backend given by name (not the active one), from and back to host arrays. */
export function runKernel(tf: typeof TF, backendName: string, kernelFunc: TF.KernelFunc, inputs: Record<string, HostTensor>, attrs: object): HostTensor[] {
  const backend = tf.findBackend(backendName) as unknown as {
    write(values: Float32Array | Int32Array, shape: number[], dtype: string): object;
    readSync(dataId: object): Float32Array | Int32Array;
    disposeData(dataId: object): boolean;
  };
  const infos = Object.fromEntries(
    Object.entries(inputs).map(([name, t]) => {
      const dtype = t.values instanceof Int32Array ? 'int32' : 'float32';
      return [name, { dataId: backend.write(t.values.slice(), t.shape, dtype), shape: t.shape, dtype }];
    }),
  ) as Record<string, TF.TensorInfo>;
  const out = kernelFunc({ inputs: infos, backend, attrs: attrs as TF.NamedAttrMap });
  const outs = Array.isArray(out) ? out : [out];
  const host = outs.map((info) => ({ values: backend.readSync(info.dataId).slice(), shape: [...info.shape] }));
  for (const info of [...outs, ...Object.values(infos)]) backend.disposeData(info.dataId);
  return host;
}

/** Standard normal values from a fixed seed, so that a failure repeats. */
export function randomTensor(shape: number[], seed: number): HostTensor {
  const random = new Random(seed);
  return { values: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.normal()), shape };
}

/** Largest |a - b| relative to the largest |b|. */
export function relativeError(a: HostTensor, b: HostTensor): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.values.length; i++) {
    diff = Math.max(diff, Math.abs(a.values[i]! - b.values[i]!));
    scale = Math.max(scale, Math.abs(b.values[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}
