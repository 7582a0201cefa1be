import { describe, expect, test } from 'vitest';
import { check, compile } from '../../src/compile.js';
import { gradcheck, withLoss } from '../../src/gradcheck.js';
import type { IRModel } from '../../src/ir/ir.js';
import { ReferenceModel } from '../../src/reference/engine.js';
import { randomBatch } from '../../src/reference/random-batch.js';
import { solveUnknownDims } from '../../src/reference/unknown-dims.js';

/** `?` in an elementwise merge with a known size: the case of issue 9. */
const MERGED = 'model M {\n  input a: [?, 3]\n  input b: [4, 2]\n  output y = add(a, b -> dense(3)) -> flatten -> dense(1)\n}\n';

function modelOf(source: string): IRModel {
  const result = check(source);
  expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  return withLoss(result.ir!.models[0]!);
}

const shapeOf = (model: IRModel, id: string) => model.nodes.find((n) => n.id === id)!.type.shape;

describe('unknown dimensions (`?`) meeting known sizes', () => {
  test('an elementwise merge infers the size another input knows, so a flatten after it checks', () => {
    const model = modelOf(MERGED);
    expect(shapeOf(model, 'y/add_1')).toEqual([4, 3]);
    expect(shapeOf(model, 'y/flatten_1')).toEqual([12]);
  });

  test('the random batch gives each `?` the size the layers tie it to, and equal sizes to tied `?`s', () => {
    expect(randomBatch(modelOf(MERGED), 2, 0).inputs.get('a')!.shape).toEqual([2, 4, 3]);
    const tied = modelOf('model C {\n  input x: [?, 3]\n  input z: [?, 2]\n  input w: [?, 5]\n  output y = concat(x, z) -> dense(1)\n  output v = w -> dense(1)\n}\n');
    const solved = solveUnknownDims(tied);
    expect(solved.inputs.get('x')![0]).toBe(solved.inputs.get('z')![0]);
    expect(solved.inputs.get('w')).toEqual([3, 5]);
    // Targets follow the sizes the inputs produce.
    expect(randomBatch(tied, 2, 0).targets.get('y')!.shape).toEqual([2, solved.inputs.get('x')![0], 1]);
  });

  test('gradcheck of such a model is exact, not NaN and a false bug', () => {
    const result = gradcheck(MERGED);
    expect(result.ok).toBe(true);
    expect(result.report!.tensors.map((t) => t.grade)).toEqual(['excellent', 'excellent', 'excellent', 'excellent']);
  });

  test('the engine rejects merge operands of different shapes with a clear error', () => {
    const model = modelOf(MERGED);
    const reference = new ReferenceModel(model, 0);
    const inputs = new Map([
      ['a', { shape: [2, 5, 3], data: new Float64Array(30) }],
      ['b', { shape: [2, 4, 2], data: new Float64Array(16) }],
    ]);
    expect(() => reference.forward(inputs)).toThrow('`add` cannot combine operands of shapes [2, 5, 3], [2, 4, 3] elementwise (batch first): they must have one shape');
  });

  test('the generated tfjs model has the unified shape too, and builds with the flatten after the merge', async () => {
    const tf = await import('@tensorflow/tfjs');
    const { loadGeneratedModule } = await import('../../src/cli/load-generated.js');
    tf.env().set('IS_TEST', true);
    await tf.setBackend('cpu');
    const compiled = await compile(MERGED, { format: 'js' });
    expect(compiled.ok).toBe(true);
    const built = (await loadGeneratedModule(compiled.code!)).buildModel({ seed: 0 });
    expect(built.getLayer('y/add_1/shape').outputShape).toEqual([null, 4, 3]);
    expect(built.outputs[0]!.shape).toEqual([null, 1]);
    const y = built.predict([tf.ones([2, 4, 3]), tf.ones([2, 4, 2])]) as import('@tensorflow/tfjs').Tensor;
    expect(y.shape).toEqual([2, 1]);
  });
});
