import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { probeModel } from '../../src/analysis/probe.js';
import { analyzeSignal } from '../../src/analysis/signal.js';
import { ReferenceModel } from '../../src/reference/engine.js';
import { randomBatch } from '../../src/reference/random-batch.js';
import { Random } from '../../src/reference/random.js';
import type { Tensor64 } from '../../src/reference/tensor.js';
import { withLoss } from '../../src/gradcheck.js';
import { registry } from '../../src/registry/registry.js';
import { modelOf } from './support/stacks.js';

const examples = join(import.meta.dirname, '../../examples');
const example = (file: string) => readFileSync(join(examples, file), 'utf8');

describe('probeModel', () => {
  test('joins one row per node with the analysis\' prediction, in graph order', () => {
    const model = modelOf(example('wide_deep.nn'));
    const report = probeModel(model, { batch: 32, seed: 1 });
    const predicted = analyzeSignal(model).rows;
    expect(report).toMatchObject({ model: 'WideDeep', batch: 32, seed: 1 });
    expect(report.rows.map((r) => r.node)).toEqual(model.nodes.map((n) => n.id));
    report.rows.forEach((row, i) => {
      expect(row.depth).toBe(predicted[i]!.depth);
      expect(row.activation.predicted).toBe(Math.sqrt(predicted[i]!.forward));
      expect(row.gradient.predicted).toBe(Math.sqrt(predicted[i]!.backward));
      expect(row.activation.ratio).toBe(row.activation.measured / row.activation.predicted!);
      // The RMS is never below the standard deviation; after relu it is clearly above it.
      expect(row.activationStd).toBeLessThanOrEqual(row.activation.measured * (1 + 1e-12));
    });
    const hidden = report.rows.find((r) => r.node === 'hidden')!;
    expect(hidden.activationStd / hidden.activation.measured).toBeLessThan(0.9);
    expect(report.rows.find((r) => r.node === 'merged')!.inputs).toEqual(['wide', 'hidden']);
    expect(report.rows.filter((r) => r.weightGradient).map((r) => r.weightGradient!.weight)).toEqual([
      'hidden/dense_1/kernel',
      'hidden/kernel',
      'price/kernel',
      'aux/kernel',
    ]);
  });

  test('is a function of the seed', () => {
    const model = modelOf(example('mlp.nn'));
    expect(probeModel(model, { batch: 16, seed: 4 })).toEqual(probeModel(model, { batch: 16, seed: 4 }));
    expect(probeModel(model, { batch: 16, seed: 4 }).rows[1]!.activation.measured).not.toBe(probeModel(model, { batch: 16, seed: 5 }).rows[1]!.activation.measured);
  });

  test('integer inputs hold ids, not a signal: nothing is predicted for them', () => {
    const report = probeModel(modelOf(example('multi_input.nn')), { batch: 8 });
    const tokens = report.rows.find((r) => r.node === 'tokens')!;
    expect(tokens.activation.predicted).toBeNull();
    expect(tokens.activation.ratio).toBeNull();
    expect(tokens.gradient.predicted).toBeNull();
    // The embedding starts the signal; its table's gradient is measured, and has no mean-field rule.
    const embedding = report.rows.find((r) => r.op === 'embedding')!;
    expect(embedding.activation.ratio).not.toBeNull();
    expect(embedding.weightGradient).toMatchObject({ weight: 'text/embedding_1/embeddings', predicted: null, ratio: null });
    expect(report.worst.activation!.node).not.toBe('tokens');
  });

  test('a shared layer\'s weight gradient sums its applications and shows on the last one', () => {
    const model = modelOf(example('siamese.nn'));
    const report = probeModel(model, { batch: 512, seed: 0 });
    const [first, second] = report.rows.filter((r) => r.layer === 'encoder');
    expect(first!.weightGradient).toBeNull();
    expect(second!.weightGradient!.weight).toBe('encoder/kernel');
    // Both applications read N(0, 1) inputs and get the same predicted gradient: twice one's E[(dL/dW)²].
    const rows = new Map(analyzeSignal(model).rows.map((r) => [r.node, r]));
    const once = 1 * rows.get('encoder')!.backward * 0.5; // E[x²] · E[(dL/da)²] · E[relu'(z)²]
    expect(second!.weightGradient!.predicted! ** 2).toBeCloseTo(2 * once, 12);
  });

  test('a convolution\'s weight gradient counts its positions (linear conv: every factor is known)', () => {
    // dL/dW sums x·δ over 16·16 positions; zero padding loses a little at the borders.
    const report = probeModel(modelOf('model C {\n  input x: [16, 16, 3]\n  output y = x -> conv2d(8, 3, padding=same)\n}\n'), { batch: 256, seed: 0 });
    const conv = report.rows.at(-1)!.weightGradient!;
    expect(conv.predicted).toBeCloseTo(Math.sqrt(256), 12);
    expect(conv.ratio).toBeGreaterThan(0.9);
    expect(conv.ratio).toBeLessThan(1.02);
  });

  test('dropout drops as in training: the measurement follows the predicted 1 / (1 - rate)', () => {
    const report = probeModel(modelOf('model D {\n  input x: [64]\n  output y = x -> dropout(0.5)\n}\n'), { batch: 256, seed: 2 });
    const dropout = report.rows.at(-1)!;
    expect(dropout.activation.predicted).toBeCloseTo(Math.SQRT2, 12);
    expect(Math.abs(Math.log10(dropout.activation.ratio!))).toBeLessThan(0.02);
  });

  test('names the largest deviation per quantity', () => {
    const report = probeModel(modelOf(example('mlp.nn')), { batch: 64 });
    const worst = report.rows.reduce((a, b) => (Math.abs(Math.log(b.activation.ratio!)) > Math.abs(Math.log(a.activation.ratio!)) ? b : a));
    expect(report.worst.activation).toEqual({ node: worst.node, ratio: worst.activation.ratio });
  });
});

describe('ReferenceModel.backwardFrom', () => {
  const model = withLoss(modelOf('model T {\n  input x: [3]\n  output y = x -> dense(4, tanh) -> dense(2)\n  output z = x -> dense(2, relu)\n}\n'));
  const reference = new ReferenceModel(model, 7);
  const batch = randomBatch(model, 5, 7);
  const random = new Random(11);
  const forward = reference.forward(batch.inputs);
  const gradOutputs = new Map(model.outputs.map((o): [string, Tensor64] => {
    const value = forward.outputs.get(o.name)!;
    return [o.name, { shape: [...value.shape], data: Float64Array.from(value.data, () => random.normal()) }];
  }));

  test('is the gradient of Σ g·output: central differences at the input agree', () => {
    const copy = new Map([...gradOutputs].map(([k, v]) => [k, { shape: [...v.shape], data: v.data.slice() }]));
    const result = reference.backwardFrom(forward, gradOutputs);
    expect(gradOutputs).toEqual(copy);
    const objective = (x: Tensor64) => {
      const outputs = reference.forward(new Map([['x', x]])).outputs;
      let sum = 0;
      for (const [name, g] of gradOutputs) g.data.forEach((v, i) => (sum += v * outputs.get(name)!.data[i]!));
      return sum;
    };
    const x = batch.inputs.get('x')!;
    const analytic = result.nodes.get('x')!;
    for (let i = 0; i < x.data.length; i++) {
      const [plus, minus] = [x.data.slice(), x.data.slice()];
      plus[i]! += 1e-6;
      minus[i]! -= 1e-6;
      const numeric = (objective({ shape: x.shape, data: plus }) - objective({ shape: x.shape, data: minus })) / 2e-6;
      expect(analytic.data[i]).toBeCloseTo(numeric, 6);
    }
  });

  test('gradients() is backwardFrom of the loss gradient, and an output left out contributes nothing', () => {
    const viaLoss = reference.gradients(batch.inputs, batch.targets).weights;
    const lossGradients = new Map(model.outputs.map((o): [string, Tensor64] => {
      const loss = model.train!.losses[o.name]!;
      const g = registry.loss(loss.name)!.reference.gradient(batch.targets.get(o.name)!, forward.outputs.get(o.name)!);
      return [o.name, { shape: g.shape, data: g.data.map((v) => v * (loss.weight / 5)) }];
    }));
    expect(reference.backwardFrom(forward, lossGradients).weights).toEqual(viaLoss);
    const only = reference.backwardFrom(forward, new Map([['z', gradOutputs.get('z')!]]));
    expect([...only.weights.get('y/dense_1')![0]!.data].every((v) => v === 0)).toBe(true);
    expect(only.nodes.has('y')).toBe(false);
  });
});
