import { describe, expect, test } from 'vitest';
import { f32, i32, infer, op } from './contexts.js';

const elementwise = ['add', 'subtract', 'multiply', 'average', 'maximum', 'minimum'];

describe('elementwise merges', () => {
  test.each(elementwise)('%s keeps a shared shape, and unifies `?` with a size another input knows', (name) => {
    expect(infer(name, [f32(5, 3), f32(5, 3)]).type).toEqual(f32(5, 3));
    expect(infer(name, [f32(null, 3), f32(5, null)]).type).toEqual(f32(5, 3));
    expect(infer(name, [f32(null, 3), f32(5, 3)]).type).toEqual(f32(5, 3));
    expect(infer(name, [f32(4, 3), f32(null, 3)]).type).toEqual(f32(4, 3));
    expect(infer(name, [f32(null, 3), f32(null, 3), f32(2, 3)]).type).toEqual(f32(2, 3));
    expect(infer(name, [f32(null), f32(null)]).type).toEqual(f32(null));
  });

  test.each(elementwise)('%s names every input and its shape when shapes differ', (name) => {
    const { type, reports } = infer(name, [f32(5), f32(6)], {}, ['a', 'b']);
    expect(type).toBeUndefined();
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      code: 'E4001',
      message: `${name}: \`a\` is [5], \`b\` is [6]; ${name} needs all inputs to have the same shape`,
      help: 'use `concat` to join vectors of different lengths, or project them to one length first with `-> dense(5)`',
    });
  });

  test('ranks must match too, and the help only suggests dense for vectors', () => {
    const { reports } = infer('add', [f32(4, 4), f32(16)], {}, ['img', 'v']);
    expect(reports[0]!.message).toBe('add: `img` is [4, 4], `v` is [16]; add needs all inputs to have the same shape');
    expect(reports[0]!.help).toBeUndefined();
  });

  test('three inputs are all listed', () => {
    const { reports } = infer('add', [f32(2), f32(2), f32(3)], {}, ['a', 'b', 'c']);
    expect(reports[0]!.message).toContain('`a` is [2], `b` is [2], `c` is [3]');
  });

  test('arity: two or more, subtract exactly two', () => {
    for (const name of elementwise) {
      expect(op(name).tensorArgs).toBe(true);
      expect(op(name).arity).toEqual(name === 'subtract' ? { min: 2, max: 2 } : { min: 2, max: Infinity });
    }
  });

  test('integer inputs are rejected', () => {
    expect(infer('multiply', [i32(3), i32(3)]).reports[0]!.code).toBe('E4006');
  });
});

describe('concat', () => {
  test('joins on the last axis by default', () => {
    expect(infer('concat', [f32(5), f32(30)]).type).toEqual(f32(35));
    expect(infer('concat', [f32(4, 2), f32(4, 3), f32(4, 1)]).type).toEqual(f32(4, 6));
  });

  test('axes count without the batch dimension; negative axes from the end', () => {
    expect(infer('concat', [f32(4, 2), f32(3, 2)], { axis: 0 }).type).toEqual(f32(7, 2));
    expect(infer('concat', [f32(4, 2), f32(3, 2)], { axis: -2 }).type).toEqual(f32(7, 2));
  });

  test('unknown sizes: on the axis the sum is unknown; elsewhere `?` must meet `?`, as tfjs requires', () => {
    expect(infer('concat', [f32(4, 2), f32(4, null)]).type).toEqual(f32(4, null));
    expect(infer('concat', [f32(null, 2), f32(null, 3)]).type).toEqual(f32(null, 5));
    const { type, reports } = infer('concat', [f32(null, 2), f32(4, 3)]);
    expect(type).toBeUndefined();
    expect(reports[0]).toMatchObject({ code: 'E4001', help: 'TensorFlow.js cannot join a `?` dimension with a known one: give the inputs the same sizes' });
  });

  test('keeps int32 when every input is int32, and refuses mixing', () => {
    expect(infer('concat', [i32(3), i32(4)]).type).toEqual(i32(7));
    const { reports } = infer('concat', [f32(3), i32(4)]);
    expect(reports[0]).toMatchObject({ code: 'E4006', message: '`concat` expects float32 (like its first input) input, found int32' });
  });

  test('other dimensions must match', () => {
    const { reports } = infer('concat', [f32(4, 2), f32(3, 2)], {}, ['p', 'q']);
    expect(reports[0]).toMatchObject({
      code: 'E4001',
      message: 'concat: `p` is [4, 2], `q` is [3, 2]; concat joins on axis -1 and needs the other dimensions equal',
    });
    expect(reports[0]!.help).toBeUndefined();
  });

  test('different ranks suggest flattening the image', () => {
    const { reports } = infer('concat', [f32(5), f32(28, 28, 1)], {}, ['wide', 'img']);
    expect(reports[0]).toMatchObject({
      message: 'concat: `wide` is [5], `img` is [28, 28, 1]; concat joins on axis -1 and needs the other dimensions equal',
      help: 'flatten `img` first (`-> flatten`, giving [784]) to join it as a vector',
    });
  });

  test('an axis outside the rank is reported', () => {
    const { reports } = infer('concat', [f32(5), f32(6)], { axis: 1 });
    expect(reports[0]).toMatchObject({ code: 'E4002', message: '`concat` expects an axis between -1 and 0, found 1, but its input has shape [5]' });
  });
});
