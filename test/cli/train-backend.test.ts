import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, test } from 'vitest';
import { BackendError, selectBackend } from '../../src/cli/backend.js';
import { check } from '../../src/compile.js';
import { modelKernels } from '../../src/tfjs-kernels/op-kernels.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('backend selection', () => {
  test('auto takes tfjs-node when it loads, else wasm, and says why it passed over tfjs-node', async () => {
    const selected = await selectBackend(tf, 'auto');
    expect(['tensorflow', 'wasm']).toContain(selected.name);
    expect(tf.getBackend()).toBe(selected.name);
    if (selected.name === 'wasm') {
      expect(selected.description).toMatch(/^wasm \(@tensorflow\/tfjs-backend-wasm/);
      expect(selected.skipped).toEqual([expect.stringMatching(/^@tensorflow\/tfjs-node: /)]);
    }
  });

  test('asking for tfjs-node where it cannot load is an error that says how to get it', async () => {
    const loads = await import('@tensorflow/tfjs-node' as string).then(() => true, () => false);
    if (loads) return;
    const error = await selectBackend(tf, 'node').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toContain('help: install it with `npm install @tensorflow/tfjs-node`');
  });

  test('cpu is always there', async () => {
    expect(await selectBackend(tf, 'cpu')).toEqual({ name: 'cpu', description: 'cpu (pure JavaScript)', skipped: [], fromNnc: [] });
  });
});

describe('auto checks the kernels a model needs', () => {
  const cnn = 'model C {\n  input image: [8, 8, 1]\n  input ids: int32[3]\n  features = image -> conv2d(4, 3, activation=relu) -> max_pool2d(2) -> flatten\n  output y = concat(features, ids -> embedding(5, 2) -> flatten) -> dense(2, softmax)\n  train { loss = categorical_crossentropy }\n}\n';

  test('a conv2d and embedding model trains on wasm, with the gradient kernels nnc registers there', async () => {
    const model = check(cnn).ir!.models[0]!;
    // On old nnc this threw: wasm has no Conv2DBackpropFilter and no UnsortedSegmentSum of its own.
    const selected = await selectBackend(tf, 'wasm', { model: model.name, kernels: modelKernels(model) });
    expect(selected.fromNnc).toEqual(expect.arrayContaining(['Conv2DBackpropFilter', 'UnsortedSegmentSum']));
    for (const kernel of modelKernels(model).keys()) expect(tf.getKernel(kernel, 'wasm'), kernel).toBeDefined();
  });

  // FFT is a kernel wasm lacks and nnc does not build: a stand-in for any gap in a backend.
  const needsFft = { model: 'Spectral', kernels: new Map([['FFT', ['the forward pass of `fft`']], ['Add', ["nnc's training loop"]]]) };

  test('auto passes over a backend without a kernel the model needs, says which and for what, and falls back', async () => {
    const selected = await selectBackend(tf, 'auto', needsFft);
    expect(selected.name).not.toBe('wasm');
    expect(selected.skipped).toContain('wasm: it has no kernel FFT (for the forward pass of `fft`)');
  });

  test('asking for that backend by name is an error that names the kernel', async () => {
    const error = await selectBackend(tf, 'wasm', needsFft).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toBe('the wasm backend cannot train Spectral: it has no kernel FFT (for the forward pass of `fft`)\nhelp: use `--backend auto`, which picks a backend that has them');
  });
});
