import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isNncKernel, nncKernels, registerKernels } from '../../src/tfjs-kernels/register.js';
import { loadedBackends, randomTensor, relativeError, runKernel, type HostTensor } from './support.js';

interface Case {
  name: string;
  inputs: Record<string, HostTensor>;
  attrs: object;
}

const conv = (n: number, size: number, channels: number, filters: number, k: number, stride: number, pad: 'valid' | 'same', seed: number) => {
  const info = tf.backend_util.computeConv2DInfo([n, size, size, channels], [k, k, channels, filters], stride, 1, pad);
  return {
    x: randomTensor([n, size, size, channels], seed),
    dy: randomTensor([n, info.outHeight, info.outWidth, filters], seed + 1),
    filter: randomTensor([k, k, channels, filters], seed + 2),
    tag: `${n}x${size}x${size}x${channels}, ${k}x${k}x${filters}, stride ${stride}, ${pad}`,
    inputShape: [n, size, size, channels],
    filterShape: [k, k, channels, filters],
    strides: [stride, stride],
    pad,
  };
};
const convShapes = [
  conv(2, 9, 3, 4, 3, 1, 'valid', 1),
  conv(2, 9, 3, 4, 3, 1, 'same', 2),
  conv(3, 8, 2, 5, 3, 2, 'valid', 3),
  conv(3, 8, 2, 5, 3, 2, 'same', 4),
  conv(1, 11, 4, 3, 5, 3, 'same', 5),
  conv(2, 7, 1, 6, 2, 2, 'valid', 6),
  conv(2, 6, 3, 2, 4, 1, 'same', 7),
  conv(4, 5, 2, 3, 1, 1, 'valid', 8),
  conv(2, 9, 1, 16, 3, 2, 'same', 9),
];

/** A pooling input with ties: relu-like zeros and repeated values, where the first maximum must win. */
function tiedImage(shape: number[], seed: number): HostTensor {
  const t = randomTensor(shape, seed);
  t.values.forEach((v, i) => (t.values[i] = v < 0 ? 0 : Math.round(v * 2) / 2));
  return t;
}

/** The forward pass's output, which MaxPoolGrad is given: each window's maximum. */
function maxPool(x: HostTensor, info: ReturnType<typeof tf.backend_util.computePool2DInfo>): HostTensor {
  const values = new Float32Array(tf.util.sizeFromShape(info.outShape));
  const [, h, w, c] = x.shape as [number, number, number, number];
  for (let b = 0; b < info.batchSize; b++)
    for (let yr = 0; yr < info.outHeight; yr++)
      for (let yc = 0; yc < info.outWidth; yc++)
        for (let d = 0; d < c; d++) {
          let best = -Infinity;
          for (let r = yr * info.strideHeight - info.padInfo.top; r < yr * info.strideHeight - info.padInfo.top + info.filterHeight; r++)
            for (let col = yc * info.strideWidth - info.padInfo.left; col < yc * info.strideWidth - info.padInfo.left + info.filterWidth; col++)
              if (r >= 0 && r < h && col >= 0 && col < w) best = Math.max(best, x.values[((b * h + r) * w + col) * c + d]!);
          values[((b * info.outHeight + yr) * info.outWidth + yc) * c + d] = best;
        }
  return { values, shape: info.outShape };
}

const pool = (shape: number[], size: number, stride: number, pad: 'valid' | 'same', seed: number, nans = false): Case => {
  const info = tf.backend_util.computePool2DInfo(shape as [number, number, number, number], size, stride, 1, pad);
  const input = tiedImage(shape, seed + 1);
  if (nans) input.values.forEach((_, i) => i % 7 === 3 && (input.values[i] = NaN));
  return {
    name: `${shape.join('x')}, pool ${size} stride ${stride} ${pad}${nans ? ', with NaNs' : ''}`,
    inputs: { dy: randomTensor(info.outShape, seed), input, output: maxPool(input, info) },
    attrs: { filterSize: size, strides: stride, pad },
  };
};

const matmul = (a: number[], b: number[], transposeA: boolean, transposeB: boolean, seed: number, extra: object = {}): Case => ({
  name: `[${a}]${transposeA ? 'ᵀ' : ''} · [${b}]${transposeB ? 'ᵀ' : ''}`,
  inputs: { a: randomTensor(a, seed), b: randomTensor(b, seed + 1) },
  attrs: { transposeA, transposeB, ...extra },
});

const matmulCases = [
  matmul([5, 3], [5, 4], true, false, 1),
  matmul([3, 5], [4, 5], false, true, 2),
  matmul([5, 3], [4, 5], true, true, 3),
  matmul([64, 784], [256, 784], false, true, 4),
  matmul([2, 6, 3], [2, 6, 4], true, false, 5),
  matmul([2, 3, 6], [1, 4, 6], false, true, 6),
  matmul([4, 7], [7, 5], false, false, 7),
];

const cases: Record<string, Case[]> = {
  BatchMatMul: matmulCases,
  // tfjs-core hands _FusedMatMul rank-3 operands.
  _FusedMatMul: [
    matmul([1, 5, 3], [1, 5, 4], true, false, 1, { activation: 'linear' }),
    matmul([1, 64, 784], [1, 256, 784], false, true, 2, { activation: 'linear' }),
    { ...matmul([2, 6, 3], [2, 5, 6], true, true, 3, { activation: 'relu' }), inputs: { ...matmul([2, 6, 3], [2, 5, 6], true, true, 3).inputs, bias: randomTensor([5], 9) } },
  ],
  Conv2DBackpropFilter: convShapes.map((c) => ({ name: c.tag, inputs: { x: c.x, dy: c.dy }, attrs: { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filterShape } })),
  Conv2DBackpropInput: convShapes.map((c) => ({ name: c.tag, inputs: { dy: c.dy, filter: c.filter }, attrs: { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.inputShape } })),
  MaxPoolGrad: [pool([2, 8, 8, 3], 2, 2, 'valid', 1), pool([2, 9, 9, 2], 2, 2, 'valid', 2), pool([1, 9, 7, 3], 3, 2, 'same', 3), pool([2, 6, 6, 2], 2, 1, 'valid', 4), pool([3, 5, 5, 4], 3, 3, 'same', 5), pool([2, 6, 6, 3], 2, 2, 'valid', 6, true)],
  UnsortedSegmentSum: [
    { name: 'repeated ids', inputs: { x: randomTensor([6, 4], 1), segmentIds: { values: Int32Array.from([2, 0, 2, 2, 5, 0]), shape: [6] } }, attrs: { numSegments: 7 } },
    { name: 'ids outside the segments are dropped', inputs: { x: randomTensor([5, 3], 2), segmentIds: { values: Int32Array.from([-1, 1, 4, 9, 1]), shape: [5] } }, attrs: { numSegments: 5 } },
    { name: 'rows of rank 2', inputs: { x: randomTensor([4, 2, 3], 3), segmentIds: { values: Int32Array.from([1, 1, 0, 3]), shape: [4] } }, attrs: { numSegments: 4 } },
  ],
};

let backends: string[] = [];
beforeAll(async () => {
  backends = await loadedBackends(tf);
  for (const name of backends) registerKernels(tf, name);
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * tfjs-wasm's own MaxPoolGrad gives ties to the last maximum and no gradient to a window whose
 * maximum is 0: nnc's follows tfjs-cpu (and the float64 reference engine) on every backend.
 */
const CPU_SEMANTICS = new Set(['MaxPoolGrad']);

/** What an nnc kernel must agree with: the kernel it replaced, or else tfjs's own cpu kernel. */
function reference(kernel: string, backendName: string): { backendName: string; kernelFunc: tf.KernelFunc } {
  const ours = tf.getKernel(kernel, backendName);
  if (isNncKernel(ours) && ours.replaced && !CPU_SEMANTICS.has(kernel)) return { backendName, kernelFunc: ours.replaced };
  const cpu = tf.getKernel(kernel, 'cpu');
  return { backendName: 'cpu', kernelFunc: isNncKernel(cpu) && cpu.replaced ? cpu.replaced : cpu.kernelFunc };
}

describe('nnc kernels agree with the tfjs kernels they replace or stand in for', () => {
  test('every nnc kernel has cases here', () => {
    expect(new Set(nncKernels.map((k) => k.kernel))).toEqual(new Set(Object.keys(cases)));
  });

  test('registering twice changes nothing', () => {
    for (const name of backends) {
      const before = nncKernels.map((k) => tf.getKernel(k.kernel, name));
      registerKernels(tf, name);
      expect(nncKernels.map((k) => tf.getKernel(k.kernel, name))).toEqual(before);
    }
  });

  for (const [kernel, list] of Object.entries(cases)) {
    test.each(list.map((c) => [c.name, c] as const))(`${kernel}: %s`, (_, c) => {
      let checked = 0;
      for (const backendName of backends) {
        const ours = tf.getKernel(kernel, backendName);
        if (!isNncKernel(ours)) continue;
        const ref = reference(kernel, backendName);
        const expected = runKernel(tf, ref.backendName, ref.kernelFunc, c.inputs, c.attrs);
        const actual = runKernel(tf, backendName, ours.kernelFunc, c.inputs, c.attrs);
        expect(actual.map((t) => t.shape), backendName).toEqual(expected.map((t) => t.shape));
        // The cpu loops sum in tfjs-cpu's order in float64: equal. Elsewhere float32 sums in another order.
        const tolerance = backendName === 'cpu' && kernel !== 'UnsortedSegmentSum' ? 0 : 2e-6;
        actual.forEach((t, i) => expect(relativeError(t, expected[i]!), `${backendName}, output ${i}`).toBeLessThanOrEqual(tolerance));
        checked++;
      }
      if (backends.includes('wasm') || kernel.startsWith('Conv2DBackpropFilter') || kernel === 'MaxPoolGrad') expect(checked).toBeGreaterThan(0);
    });
  }
});
