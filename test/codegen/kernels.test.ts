import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { compile } from '../../src/compile.js';
import { importCode } from './support/load.js';

/**
 * The generated module trains a conv2d and embedding model on a backend that lacks their gradient
 * kernels (tfjs-wasm) with nothing but tfjs: it carries nnc's kernels and registers them. This
 * file never calls nnc's own registration, so wasm here is tfjs-wasm as it ships.
 */

const source = `model Mixed {
  input image: [6, 6, 1]
  input ids: int32[4]
  seen = image -> conv2d(3, 3, activation=relu) -> max_pool2d(2) -> flatten
  words = ids -> embedding(7, 2) -> flatten
  output y = concat(seen, words) -> dense(3, softmax)
  train { loss = sparse_categorical_crossentropy optimizer = sgd(learning_rate=0.1) batch_size = 4 shuffle = false seed = 3 }
}
`;

beforeAll(async () => {
  wasm.setWasmPaths(`${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'))}${sep}`);
  tf.env().set('PROD', true);
});

function data() {
  const n = 8;
  return {
    inputs: {
      image: tf.tensor4d(Float32Array.from({ length: n * 36 }, (_, i) => Math.sin(i * 0.7)), [n, 6, 6, 1]),
      ids: tf.tensor2d(Int32Array.from({ length: n * 4 }, (_, i) => (i * 5) % 7), [n, 4], 'int32'),
    },
    outputs: { y: tf.tensor1d(Float32Array.from({ length: n }, (_, i) => i % 3)) },
  };
}

async function lossesOn(backend: string, format: 'js' | 'ts' = 'js'): Promise<number[]> {
  await tf.setBackend(backend);
  await tf.ready();
  const result = await compile(source, { format });
  expect(result.code).toContain('function registerMissingKernels(');
  const generated = await importCode(result.code!);
  const history = await generated.train(generated.buildModel(), data(), { epochs: 3, verbose: 0 });
  return history.history.loss as number[];
}

describe('generated modules carry the gradient kernels a backend lacks', () => {
  test('train() of a conv2d and embedding model runs on tfjs-wasm as it ships, and learns as on cpu', async () => {
    await tf.setBackend('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeUndefined();
    const onWasm = await lossesOn('wasm');
    for (const kernel of ['Conv2DBackpropFilter', 'UnsortedSegmentSum']) expect(tf.getKernel(kernel, 'wasm'), kernel).toMatchObject({ nnc: true });
    const onCpu = await lossesOn('cpu');
    expect(onWasm[2]).toBeLessThan(onWasm[0]!);
    onWasm.forEach((loss, i) => expect(loss).toBeCloseTo(onCpu[i]!, 4));
  });

  test('a backend that has the kernels keeps its own', async () => {
    const cpuFilter = tf.getKernel('Conv2DBackpropFilter', 'cpu');
    await lossesOn('cpu');
    expect(tf.getKernel('Conv2DBackpropFilter', 'cpu')).toBe(cpuFilter);
  });

  test('a model that needs none of them gets no such code', async () => {
    const plain = await compile('model P {\n  input x: [3]\n  output y = x -> dense(2)\n  train { loss = mse }\n}\n', { format: 'js' });
    expect(plain.code).not.toContain('registerMissingKernels');
  });
});
