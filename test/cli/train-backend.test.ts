import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, test } from 'vitest';
import { BackendError, selectBackend } from '../../src/cli/backend.js';

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
    expect(await selectBackend(tf, 'cpu')).toEqual({ name: 'cpu', description: 'cpu (pure JavaScript)', skipped: [] });
  });
});
