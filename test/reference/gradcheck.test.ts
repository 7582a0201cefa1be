import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { gradcheck, gradcheckPassed, withLoss } from '../../src/gradcheck.js';
import { check } from '../../src/compile.js';
import type { IRModel } from '../../src/ir/ir.js';
import { ReferenceModel } from '../../src/reference/engine.js';
import { checkGradients, grade, relativeDifference } from '../../src/reference/gradcheck.js';
import { clone, type Tensor64 } from '../../src/reference/tensor.js';

const examples = join(import.meta.dirname, '../../examples');

function modelOf(source: string, name?: string): IRModel {
  const result = check(source, name ? { model: name } : {});
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const models = result.ir!.models;
  return withLoss(name ? models.find((m) => m.name === name)! : models[0]!);
}

const WIDE_DEEP = readFileSync(join(examples, 'wide_deep.nn'), 'utf8');

describe('gradient check', () => {
  test('grades follow the documented bands', () => {
    expect(grade(1e-9)).toBe('excellent');
    expect(grade(1e-7)).toBe('excellent');
    expect(grade(5e-6)).toBe('acceptable');
    expect(grade(1e-4)).toBe('suspect');
    expect(grade(1e-3)).toBe('suspect');
    expect(grade(2e-3)).toBe('bug');
    expect(grade(Number.NaN)).toBe('bug');
    expect(relativeDifference([1, 2], [1, 2])).toBe(0);
    expect(relativeDifference([0, 0], [0, 0])).toBe(0);
    expect(relativeDifference([1, 0], [-1, 0])).toBe(1);
  });

  for (const file of readdirSync(examples).filter((f) => f.endsWith('.nn'))) {
    test(`every tensor of ${file} is excellent (sample mode)`, () => {
      const source = readFileSync(join(examples, file), 'utf8');
      for (const model of check(source).ir!.models) {
        const report = checkGradients(withLoss(model), { mode: 'sample', samples: 6, seed: 3 });
        for (const tensor of report.tensors) expect(tensor.difference, `${model.name} ${tensor.name}`).toBeLessThanOrEqual(1e-7);
        expect(report.grade).toBe('excellent');
      }
    });
  }

  test('full mode checks every component of every trainable tensor', () => {
    const report = checkGradients(modelOf(WIDE_DEEP), { mode: 'full' });
    expect(report.tensors.map((t) => t.name)).toEqual([
      'hidden/dense_1/kernel', 'hidden/dense_1/bias', 'hidden/kernel', 'hidden/bias',
      'merged/kernel', 'merged/bias', 'price/kernel', 'price/bias', 'aux/kernel', 'aux/bias',
    ].filter((n) => report.tensors.some((t) => t.name === n)));
    expect(report.tensors.reduce((n, t) => n + t.checked + t.kinks + t.unresolved, 0)).toBe(report.parameters);
    expect(report.difference).toBeLessThan(1e-8);
  });

  test('a wrong bias gradient in one layer puts exactly that tensor in the bug band', () => {
    const model = modelOf(WIDE_DEEP);
    const injected = (reference: ReferenceModel, batch: Parameters<NonNullable<Parameters<typeof checkGradients>[1]>['analytic'] & {}>[1]) => {
      const grads = reference.gradients(batch.inputs, batch.targets, { training: true, dropout: false }).weights;
      // A classic backprop bug: the bias gradient of `hidden` loses a factor (here 1/2).
      const bias = clone(grads.get('hidden')![1]!);
      for (let i = 0; i < bias.data.length; i++) bias.data[i]! *= 0.5;
      grads.get('hidden')![1] = bias;
      return grads;
    };
    for (const mode of ['full', 'sample'] as const) {
      const report = checkGradients(model, { mode, analytic: injected });
      const bugs = report.tensors.filter((t) => t.grade === 'bug').map((t) => t.name);
      expect(bugs, mode).toEqual(['hidden/bias']);
      expect(report.tensors.filter((t) => t.name !== 'hidden/bias').every((t) => t.grade === 'excellent')).toBe(true);
      expect(report.tensors.find((t) => t.name === 'hidden/bias')!.line).toBe(7);
    }
    const fast = checkGradients(model, { mode: 'fast', analytic: injected });
    expect(fast.directions!.some((d) => grade(d) === 'bug')).toBe(true);
    expect(fast.tensors.filter((t) => t.grade === 'bug').map((t) => t.name)).toEqual(['hidden/bias']);
  });

  test('fast mode passes on correct gradients without per-tensor work', () => {
    const report = checkGradients(modelOf(WIDE_DEEP), { mode: 'fast', directions: 3 });
    expect(report.directions).toHaveLength(3);
    expect(report.tensors).toEqual([]);
    expect(report.grade).toBe('excellent');
  });

  test('components whose finite difference crosses a kink are reported as kinks, not bugs', () => {
    // Every pre-activation is exactly 0: any step in a weight flips relu's branch.
    const model = modelOf('model K { input x: [3]  output y = x -> dense(2, relu, init=zeros) -> dense(1, init=ones) }');
    const report = checkGradients(model, { mode: 'full' });
    const first = report.tensors.find((t) => t.name === 'y/dense_1/kernel')!;
    expect(first.kinks).toBe(6);
    expect(first.checked).toBe(0);
    expect(report.tensors.every((t) => t.grade !== 'bug')).toBe(true);
  });

  test('the API reports source errors as diagnostics and checks models without a train block with mse', () => {
    const bad = gradcheck('model M { input x: [2] output y = x -> dense(0) }');
    expect(bad.ok).toBe(false);
    expect(bad.report).toBeNull();
    expect(bad.diagnostics.map((d) => d.code)).toEqual(['E2014']);
    const plain = gradcheck('model M { input x: [2] output y = x -> dense(3, tanh) }');
    expect(plain.ok).toBe(true);
    expect(plain.report!.notes[0]).toContain('loss = mse');
    const several = gradcheck(readFileSync(join(examples, 'deep_linear.nn'), 'utf8'));
    expect(several.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['E2023']);
  });
});

describe('reference engine weights', () => {
  test('export and import round-trip by name, and the same seed gives the same weights', () => {
    const model = modelOf(WIDE_DEEP);
    const a = new ReferenceModel(model, 5);
    const b = new ReferenceModel(model, 6);
    expect(a.exportWeights()[0]!.data).not.toEqual(b.exportWeights()[0]!.data);
    b.importWeights(a.exportWeights());
    expect(b.exportWeights()).toEqual(a.exportWeights());
    expect(new ReferenceModel(model, 5).exportWeights()).toEqual(a.exportWeights());
    expect(a.exportWeights().map((w) => w.name)).toContain('hidden/dense_1/kernel');
    expect(() => b.importWeights(a.exportWeights().slice(1))).toThrow(/hidden\/dense_1\/kernel/);
  });

  test('initial weights follow the exact variance of their initializer', () => {
    const model = modelOf('model V { input x: [400]  output y = x -> dense(300, relu) }');
    const kernel = new ReferenceModel(model, 1).params.get('y')![0]!.data;
    const variance = kernel.reduce((s, v) => s + v * v, 0) / kernel.length;
    expect(variance / (2 / 400)).toBeGreaterThan(0.97);
    expect(variance / (2 / 400)).toBeLessThan(1.03);
  });
});

describe('honest grades through depth', () => {
  const deepLinear = readFileSync(join(examples, 'deep_linear.nn'), 'utf8');
  const TANH_30 = 'model T {\n  input x: [3]\n  output y = x -> repeat(30, dense(3, tanh, init=normal(0, 0.05)))\n}\n';

  test('a tensor with no component checked is never graded as passing, and neither is the run', () => {
    // Every pre-activation is exactly 0: any step in the first layer flips relu's branch, for the loss and for the op alone.
    const model = modelOf('model K { input x: [3]  output y = x -> dense(2, relu, init=zeros) -> dense(1, init=ones) }');
    const report = checkGradients(model, { mode: 'full' });
    const first = report.tensors.filter((t) => t.layer === 'y/dense_1' && t.kind === 'weight');
    expect(first.map((t) => [t.name, t.checked, t.grade])).toEqual([['y/dense_1/kernel', 0, 'unchecked'], ['y/dense_1/bias', 0, 'unchecked']]);
    expect(report.grade).toBe('unchecked');
    expect(gradcheckPassed(report)).toBe(false);
    expect(gradcheck('model K { input x: [3]  output y = x -> dense(2, relu, init=zeros) -> dense(1, init=ones) }').ok).toBe(false);
  });

  test('DeepLinearVanishing: what the loss cannot resolve is graded layer by layer, every tensor for real', () => {
    const report = checkGradients(modelOf(deepLinear, 'DeepLinearVanishing'), { mode: 'full' });
    const weights = report.tensors.filter((t) => t.kind === 'weight');
    expect(weights).toHaveLength(50);
    for (const t of weights) {
      expect([t.name, t.method, t.grade]).toEqual([t.name, 'layer', 'excellent']);
      expect(t.checked, t.name).toBe(4);
    }
    // The chain from every weight to the loss: each op's input backward, and the loss's own.
    expect(report.tensors.filter((t) => t.kind === 'input')).toHaveLength(49);
    expect(report.tensors.filter((t) => t.kind === 'loss').map((t) => [t.name, t.grade])).toEqual([['loss of y', 'excellent']]);
    expect(report.tensors.every((t) => t.checked > 0 && t.grade === 'excellent')).toBe(true);
    expect(gradcheckPassed(report)).toBe(true);
    expect(report.notes.some((n) => n.includes('checked layer by layer'))).toBe(true);
  });

  test('a correct 30-layer tanh stack with small weights is not graded bug or suspect anywhere', () => {
    const report = checkGradients(modelOf(TANH_30), { mode: 'full' });
    const weights = report.tensors.filter((t) => t.kind === 'weight');
    expect(weights).toHaveLength(60);
    expect(report.tensors.filter((t) => t.grade !== 'excellent').map((t) => `${t.name}: ${t.grade} ${t.difference}`)).toEqual([]);
    // The last layers' gradients reach the loss; the deep ones do not.
    expect(weights.find((t) => t.name === 'y/bias')!.method).toBe('loss');
    expect(weights.find((t) => t.name === 'y/dense_1/kernel')!.method).toBe('layer');
    expect(gradcheckPassed(report)).toBe(true);
  });

  /** Swaps one layer's op for one whose backward is wrong in `how`. */
  const buggy = (layer: string, how: (r: { inputs: Tensor64[]; weights: Tensor64[] }) => void) => (reference: ReferenceModel) => {
    const op = reference.ops.get(layer)!;
    reference.ops.set(layer, {
      ...op,
      reference: { forward: op.reference.forward, backward: (args, ctx) => { const r = op.reference.backward(args, ctx); how(r); return r; } },
    });
  };
  const halve = (t: Tensor64): Tensor64 => ({ shape: [...t.shape], data: t.data.map((v) => v / 2) });

  test('a wrong bias gradient deep in a vanishing stack is found by the layer-wise method, at that tensor', () => {
    const model = modelOf(TANH_30);
    const inOp = checkGradients(model, { mode: 'full', prepare: buggy('y/dense_5', (r) => (r.weights[1] = halve(r.weights[1]!))) });
    expect(inOp.tensors.filter((t) => t.grade === 'bug').map((t) => [t.name, t.method])).toEqual([['y/dense_5/bias', 'layer']]);
    expect(gradcheckPassed(inOp)).toBe(false);
    // A wrong gradient handed to the check (not an op's backward) is caught by the chain's consistency.
    const handed = checkGradients(model, {
      mode: 'full',
      analytic: (reference, batch) => {
        const grads = reference.gradients(batch.inputs, batch.targets, { training: true, dropout: false }).weights;
        grads.get('y/dense_5')![1] = halve(grads.get('y/dense_5')![1]!);
        return grads;
      },
    });
    expect(handed.tensors.filter((t) => t.grade === 'bug').map((t) => [t.name, t.method])).toEqual([['y/dense_5/bias', 'layer']]);
    // A wrong input gradient is pinned on that op's input row, not on the layers below it.
    const input = checkGradients(model, { mode: 'full', prepare: buggy('y/dense_5', (r) => (r.inputs[0] = halve(r.inputs[0]!))) });
    expect(input.tensors.filter((t) => t.grade === 'bug').map((t) => t.name)).toEqual(['y/dense_5 (input)']);
  });

  test('fast mode checks one by one the tensors whose share of the gradient random directions cannot see', () => {
    const report = checkGradients(modelOf(TANH_30), { mode: 'fast' });
    expect(report.directions!.length).toBeGreaterThan(0);
    expect(report.tensors.filter((t) => t.kind === 'weight').map((t) => t.name)).toContain('y/dense_1/kernel');
    expect(report.tensors.every((t) => t.grade === 'excellent')).toBe(true);
    const bug = checkGradients(modelOf(TANH_30), { mode: 'fast', prepare: buggy('y/dense_5', (r) => (r.weights[1] = halve(r.weights[1]!))) });
    expect(bug.tensors.filter((t) => t.grade === 'bug').map((t) => t.name)).toEqual(['y/dense_5/bias']);
  });
});

describe('weights in the generated model\'s getWeights() order', () => {
  test('setWeights with the reference weights reproduces the reference outputs', async () => {
    const tf = await import('@tensorflow/tfjs');
    tf.env().set('IS_TEST', true);
    await tf.setBackend('cpu');
    const { compile } = await import('../../src/compile.js');
    const { loadGeneratedModule } = await import('../../src/cli/load-generated.js');
    const { weightsInTfjsOrder } = await import('../../src/reference/crosscheck-tfjs.js');
    const { randomBatch } = await import('../../src/reference/random-batch.js');
    const source = readFileSync(join(examples, 'siamese.nn'), 'utf8');
    const compiled = await compile(source, { format: 'js' });
    const model = compiled.ir!.models[0]!;
    const generated = await loadGeneratedModule(compiled.code!);
    const tfModel = generated.buildModel({ seed: 1 });
    const reference = new ReferenceModel(model, 4);
    const ordered = weightsInTfjsOrder(tf, tfModel, model, reference);
    expect(ordered).toHaveLength(tfModel.getWeights().length);
    tfModel.setWeights(ordered);
    const batch = randomBatch(model, 3, 2);
    const inputs = model.inputs.map((i) => tf.tensor(Array.from(batch.inputs.get(i.name)!.data), batch.inputs.get(i.name)!.shape));
    const predicted = (tfModel.predict(inputs) as import('@tensorflow/tfjs').Tensor).dataSync();
    const expected = reference.forward(batch.inputs, { training: false }).outputs.get('same')!.data;
    expect(relativeDifference(predicted, expected)).toBeLessThan(1e-5);
  });
});
