import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { graphAxis, graphDims, permutation } from '../../src/onnx/layout.js';
import { decodeModelProto, encodeModelProto, type ModelProto } from '../../src/onnx/proto/onnx.js';
import { sha256 } from '../../src/onnx/sha256.js';
import { float32Text } from '../../src/onnx/text.js';
import { samePads, windowAttributes } from '../../src/onnx/window.js';

describe('sha256', () => {
  test.each(['', 'abc', 'model M {}\n', 'é∑ unicode', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'y'.repeat(1000)])('%j as node:crypto computes it', (text) => {
    expect(sha256(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });
});

describe('float32Text', () => {
  test('is the shortest text that reads back as the same float32', () => {
    expect(float32Text(0.1)).toBe('0.1');
    expect(float32Text(Math.fround(0.1))).toBe('0.1');
    expect(float32Text(1e-3)).toBe('0.001');
    expect(float32Text(1.0507009873554805)).toBe('1.050701');
    expect(float32Text(0)).toBe('0');
    expect(float32Text(-2.5)).toBe('-2.5');
    expect(float32Text(3e38)).toBe('3e+38');
    expect([Number.NaN, Infinity, -Infinity].map(float32Text)).toEqual(['nan', 'inf', '-inf']);
    for (const x of [Math.PI, Math.E, 1 / 3, 123456.789, 1.17549435e-38]) expect(Math.fround(Number(float32Text(x)))).toBe(Math.fround(x));
  });
});

describe('TF same padding as ONNX pads', () => {
  test('the odd pixel goes at the end, as in TensorFlow', () => {
    expect(samePads([5, 5], [2, 2], [2, 2])).toEqual([0, 0, 1, 1]);
    expect(samePads([5, 6], [3, 3], [1, 1])).toEqual([1, 1, 1, 1]);
    expect(samePads([6, 5], [4, 2], [1, 2])).toEqual([1, 0, 2, 1]);
    expect(samePads([4, 4], [2, 2], [2, 2])).toEqual([0, 0, 0, 0]);
  });

  test('unknown sizes use SAME_UPPER, valid padding none', () => {
    expect(windowAttributes(['h', 'w', 3], [3, 3], [1, 1], 'same')).toMatchObject({ auto_pad: { string: 'SAME_UPPER' } });
    expect(windowAttributes([5, 5, 3], [3, 3], [1, 1], 'valid')).toEqual({ kernel_shape: { ints: [3, 3] }, strides: { ints: [1, 1] } });
  });
});

describe('layouts', () => {
  test('permutations, graph dims and axes of channels-first tensors', () => {
    expect(permutation(3, 'first')).toEqual([0, 3, 1, 2]);
    expect(permutation(3, 'last')).toEqual([0, 2, 3, 1]);
    expect(permutation(2, 'first')).toEqual([0, 2, 1]);
    expect(graphDims([28, 28, 16], 'first', 'batch')).toEqual(['batch', 16, 28, 28]);
    expect(graphDims([10], 'first', 'batch')).toEqual(['batch', 10]);
    expect([graphAxis(-1, 3, 'first'), graphAxis(0, 3, 'first'), graphAxis(1, 3, 'first'), graphAxis(-1, 3, 'last')]).toEqual([1, 2, 3, 3]);
  });
});

test('the generated codecs read back what they write, packed and unpacked', () => {
  const model: ModelProto = {
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }],
    metadata_props: [{ key: 'k', value: 'ü' }],
    graph: {
      name: 'g',
      node: [{ op_type: 'Transpose', input: ['x'], output: ['y'], attribute: [{ name: 'perm', type: 7, ints: [0, 3, 1, 2] }, { name: 'f', type: 1, f: 0.5 }] }],
      initializer: [{ name: 'c', dims: [2], data_type: 7, int64_data: [-1, 2 ** 40] }],
    },
  };
  expect(decodeModelProto(encodeModelProto(model).finish())).toEqual(model);
});
