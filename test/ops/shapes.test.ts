import { describe, expect, test } from 'vitest';
import { f32, i32, infer, op } from './contexts.js';

describe('conv2d', () => {
  test('valid and same output sizes', () => {
    expect(infer('conv2d', [f32(28, 28, 1)], { filters: 8, kernel: 3 }).type).toEqual(f32(26, 26, 8));
    expect(infer('conv2d', [f32(28, 28, 1)], { filters: 8, kernel: 3, padding: 'same' }).type).toEqual(f32(28, 28, 8));
    expect(infer('conv2d', [f32(28, 27, 3)], { filters: 4, kernel: [5, 3], strides: [2, 3] }).type).toEqual(f32(12, 9, 4));
    expect(infer('conv2d', [f32(7, 7, 3)], { filters: 4, kernel: 2, strides: 3, padding: 'same' }).type).toEqual(f32(3, 3, 4));
  });

  test('unknown height or width stays unknown', () => {
    expect(infer('conv2d', [f32(null, 10, 3)], { filters: 2, kernel: 3 }).type).toEqual(f32(null, 8, 2));
  });

  test('weights: kernel [kh, kw, cin, filters] and bias, with Keras fans', () => {
    const { weights } = infer('conv2d', [f32(10, 10, 3)], { filters: 16, kernel: [3, 5], activation: 'relu' });
    expect(weights.map((w) => [w.name, w.shape, w.fanIn, w.fanOut, w.init.name])).toEqual([
      ['kernel', [3, 5, 3, 16], 45, 240, 'he'],
      ['bias', [16], 45, 240, 'zeros'],
    ]);
    expect(infer('conv2d', [f32(10, 10, 3)], { filters: 16, kernel: 3, bias: false }).weights.map((w) => w.name)).toEqual(['kernel']);
  });

  test('a window larger than the image collapses the output', () => {
    const { reports } = infer('conv2d', [f32(4, 4, 1)], { filters: 2, kernel: 5 });
    expect(reports[0]).toMatchObject({
      code: 'E4004',
      message: '`conv2d` would produce shape [0, 0, 2], which has a dimension of size 0 or less',
      help: 'a 5×5 window does not fit in [4, 4]: use a smaller window or `padding=same`',
    });
  });

  test('wrong rank, with a reshape suggestion', () => {
    expect(infer('conv2d', [f32(784)], { filters: 2, kernel: 3 }).reports[0]).toMatchObject({
      code: 'E4002',
      message: '`conv2d` expects an image [height, width, channels] per sample, but its input has shape [784]',
      help: 'if it is a square grayscale image, reshape it first: `-> reshape([28, 28, 1])`',
    });
    expect(infer('conv2d', [f32(28, 28)], { filters: 2, kernel: 3 }).reports[0]!.help).toBe('add a channel axis first: `-> reshape([28, 28, 1])`');
    expect(infer('conv2d', [f32(2, 3, 4, 5)], { filters: 2, kernel: 3 }).reports[0]!.help).toBeUndefined();
  });

  test('channels must be known; ints are rejected', () => {
    expect(infer('conv2d', [f32(8, 8, null)], { filters: 2, kernel: 3 }).reports[0]!.code).toBe('E4005');
    expect(infer('conv2d', [i32(8, 8, 1)], { filters: 2, kernel: 3 }).reports[0]!.code).toBe('E4006');
  });

  test('a softmax activation must normalise the last axis', () => {
    const spec = { name: 'softmax', params: { axis: 0 } };
    expect(infer('conv2d', [f32(8, 8, 1)], { filters: 2, kernel: 3, activation: spec }).reports[0]!.code).toBe('E2014');
  });
});

describe('pooling', () => {
  test('windows default to 2 with strides equal to the window', () => {
    expect(infer('max_pool2d', [f32(28, 28, 8)]).type).toEqual(f32(14, 14, 8));
    expect(infer('avg_pool2d', [f32(7, 7, 8)]).type).toEqual(f32(3, 3, 8));
    expect(infer('avg_pool2d', [f32(7, 7, 8)], { padding: 'same' }).type).toEqual(f32(4, 4, 8));
    expect(infer('max_pool2d', [f32(9, 9, 2)], { pool: 3, strides: 1 }).type).toEqual(f32(7, 7, 2));
  });

  test('global pooling keeps the channels; unknown channels stay unknown', () => {
    expect(infer('global_avg_pool2d', [f32(7, 7, 64)]).type).toEqual(f32(64));
    expect(infer('global_max_pool2d', [f32(null, null, null)]).type).toEqual(f32(null));
  });

  test('errors', () => {
    expect(infer('max_pool2d', [f32(1, 1, 3)]).reports[0]!.code).toBe('E4004');
    expect(infer('global_avg_pool2d', [f32(10)]).reports[0]!.code).toBe('E4002');
  });
});

describe('reshape', () => {
  test('exact and inferred targets', () => {
    expect(infer('reshape', [f32(784)], { shape: [28, 28, 1] }).type).toEqual(f32(28, 28, 1));
    expect(infer('reshape', [f32(6, 4)], { shape: [-1, 3] }).type).toEqual(f32(8, 3));
    expect(infer('reshape', [i32(6)], { shape: [2, 3] }).type).toEqual(i32(2, 3));
  });

  test('unknown input dimensions: -1 stays unknown, a fixed target is taken at its word', () => {
    expect(infer('reshape', [f32(null, 4)], { shape: [-1, 2] }).type).toEqual(f32(null, 2));
    expect(infer('reshape', [f32(null, 4)], { shape: [8, 2] }).type).toEqual(f32(8, 2));
  });

  test('size mismatches say what the counts are', () => {
    expect(infer('reshape', [f32(28, 28)], { shape: [700] }).reports[0]).toMatchObject({
      code: 'E4003',
      message: 'cannot reshape [28, 28] to [700]: [28, 28] has 784 elements, [700] has 700 elements',
    });
    expect(infer('reshape', [f32(28, 28)], { shape: [-1, 30] }).reports[0]!.message).toBe(
      'cannot reshape [28, 28] to [-1, 30]: [28, 28] has 784 elements, which is not a multiple of 30 (the product of the other dimensions)',
    );
    expect(infer('reshape', [f32(null, 4)], { shape: [6] }).reports[0]!.message).toBe(
      'cannot reshape [?, 4] to [6]: [?, 4] has a multiple of 4 elements, which 6 elements can never be',
    );
  });

  test('one -1 at most', () => {
    const check = op('reshape').params[0]!.check!;
    expect(check([-1, 4])).toBeUndefined();
    expect(check([-1, -1])).toBe('at most one dimension can be `-1`, found [-1, -1]');
  });
});

describe('flatten, dropout', () => {
  test('flatten multiplies the dimensions and needs them known', () => {
    expect(infer('flatten', [f32(7, 7, 64)]).type).toEqual(f32(3136));
    expect(infer('flatten', [i32(3, 4)]).type).toEqual(i32(12));
    expect(infer('flatten', [f32(5)]).type).toEqual(f32(5));
    expect(infer('flatten', [f32(null, 3)]).reports[0]).toMatchObject({
      code: 'E4005',
      message: '`flatten` needs every dimension known, but its input has shape [?, 3]',
    });
  });

  test('dropout keeps the shape; its rate is checked', () => {
    expect(infer('dropout', [f32(3, 4)], { rate: 0.5 }).type).toEqual(f32(3, 4));
    const check = op('dropout').params.find((p) => p.name === 'rate')!.check!;
    expect(check(0)).toBeUndefined();
    expect(check(0.99)).toBeUndefined();
    expect(check(1)).toBe('must be in [0, 1), found 1');
    expect(check(-0.1)).toBe('must be in [0, 1), found -0.1');
  });
});

describe('normalization', () => {
  test('batch_norm: four vectors in tfjs order, the moving statistics frozen', () => {
    const { type, weights } = infer('batch_norm', [f32(10, 10, 16)]);
    expect(type).toEqual(f32(10, 10, 16));
    expect(weights.map((w) => [w.name, w.shape, w.init.name, w.trainable, w.fanIn, w.fanOut])).toEqual([
      ['gamma', [16], 'ones', true, 16, 16],
      ['beta', [16], 'zeros', true, 16, 16],
      ['moving_mean', [16], 'zeros', false, 16, 16],
      ['moving_variance', [16], 'ones', false, 16, 16],
    ]);
  });

  test('layer_norm: gamma and beta', () => {
    expect(infer('layer_norm', [f32(4, 8)]).weights.map((w) => [w.name, w.shape])).toEqual([
      ['gamma', [8]],
      ['beta', [8]],
    ]);
  });

  test('the last dimension must be known', () => {
    expect(infer('layer_norm', [f32(4, null)]).reports[0]!.code).toBe('E4005');
    expect(infer('batch_norm', [f32()]).reports[0]!.code).toBe('E4002');
  });
});

describe('embedding', () => {
  test('int ids to vectors, with a [vocab, dim] table', () => {
    const { type, weights } = infer('embedding', [i32(20)], { vocab: 1000, dim: 16 });
    expect(type).toEqual(f32(20, 16));
    expect(weights).toEqual([
      { name: 'embeddings', shape: [1000, 16], init: { name: 'uniform', params: { min: -0.05, max: 0.05 } }, fanIn: 1000, fanOut: 16, trainable: true },
    ]);
    expect(infer('embedding', [i32()], { vocab: 10, dim: 4 }).type).toEqual(f32(4));
  });

  test('float inputs are refused with a hint to declare ids', () => {
    expect(infer('embedding', [f32(20)], { vocab: 10, dim: 4 }).reports[0]).toMatchObject({
      code: 'E4006',
      message: '`embedding` expects int32 input, found float32',
      help: '`embedding` looks up integer ids: declare the input as integers, e.g. `input ids: int32[20]`',
    });
  });
});
