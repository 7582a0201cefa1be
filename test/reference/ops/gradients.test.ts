import { describe, expect, test } from 'vitest';
import { Random } from '../../../src/reference/random.js';
import type { Tensor64 } from '../../../src/reference/tensor.js';
import type { OpReference } from '../../../src/registry/op.js';
import { op } from '../../ops/contexts.js';
import { buildCase, caseName, OP_CASES, type BuiltCase } from './cases.js';
import { compareGradients, dot, randomTensor, recordingContext, type ContextOptions } from './support.js';

/**
 * Every op's hand-written backward against central differences in float64 (ε = 1e-6), for
 * every input and weight, through L = Σ output · R with a fixed random R. Probes that cross
 * a kink (a branch record changes) are skipped. Non-differentiable tensors (integer ids,
 * moving statistics) must get an exactly zero gradient.
 */

const TOLERANCE = 1e-7;

function checkOp(reference: OpReference, built: BuiltCase, options: ContextOptions, frozen: { inputs?: number[]; weights?: number[] } = {}) {
  const { attrs, inputs, weights } = built;
  const output = reference.forward({ inputs, weights, attrs }, recordingContext(options));
  const gradOutput = randomTensor([...output.shape], new Random(7));
  const grads = reference.backward({ inputs, weights, attrs, output, gradOutput }, recordingContext(options));
  expect(grads.inputs.map((g) => g.shape)).toEqual(inputs.map((t) => t.shape));
  expect(grads.weights.map((g) => g.shape)).toEqual(weights.map((t) => t.shape));

  const tensors: Array<{ name: string; tensor: Tensor64; analytic: Tensor64 }> = [];
  inputs.forEach((tensor, i) => {
    if (frozen.inputs?.includes(i)) expect(grads.inputs[i]!.data.every((v) => v === 0)).toBe(true);
    else tensors.push({ name: `input ${i}`, tensor, analytic: grads.inputs[i]! });
  });
  weights.forEach((tensor, i) => {
    if (frozen.weights?.includes(i)) expect(grads.weights[i]!.data.every((v) => v === 0)).toBe(true);
    else tensors.push({ name: `${built.weightSpecs[i]?.name ?? 'weight'} ${i}`, tensor, analytic: grads.weights[i]! });
  });

  const checks = compareGradients(tensors, () => {
    const ctx = recordingContext(options);
    return { value: dot(reference.forward({ inputs, weights, attrs }, ctx), gradOutput), records: ctx.records };
  });
  for (const check of checks) {
    expect(check.relativeError, `${check.name}: relative error`).toBeLessThanOrEqual(TOLERANCE);
    expect(check.skipped, `${check.name}: probes across a kink`).toBeLessThanOrEqual(Math.max(1, check.size / 10));
  }
  // A gradient that is zero everywhere would pass vacuously.
  expect(checks.some((c) => c.numericNorm > 1e-3)).toBe(true);
}

describe('backward matches central differences', () => {
  test.each(OP_CASES.map((c) => [caseName(c), c] as const))('%s', (_name, c) => {
    const built = buildCase(c);
    const frozen = {
      inputs: c.op === 'embedding' ? [0] : [],
      // Moving statistics are not trained. At inference they do shape the output, yet get no gradient.
      weights: c.op === 'batch_norm' ? [2, 3] : [],
    };
    checkOp(op(c.op).reference, built, { training: c.training ?? true }, frozen);
  });

  test('dropout while dropping: backward reads the mask off the output', () => {
    const built = buildCase({ op: 'dropout', inputs: [{ shape: [40], dtype: 'float32' }], given: { rate: 0.4 } });
    // Every evaluation starts the context's generator afresh, so the mask is the same at θ ± ε.
    checkOp(op('dropout').reference, built, { training: true, dropout: true, seed: 3 });
  });

  test('embedding: rows looked up twice add their gradients', () => {
    const built = buildCase({ op: 'embedding', inputs: [{ shape: [3], dtype: 'int32' }], given: { vocab: 3, dim: 2 } });
    built.inputs[0]!.data.set([2, 0, 2, 2, 2, 1]);
    const reference = op('embedding').reference;
    const ctx = recordingContext();
    const output = reference.forward({ inputs: built.inputs, weights: built.weights, attrs: built.attrs }, ctx);
    const gradOutput = { shape: output.shape, data: Float64Array.from({ length: 12 }, (_, i) => i) };
    const { weights } = reference.backward({ ...built, output, gradOutput }, ctx);
    // Row 2 is used at positions 0, 2, 3, 4 (gradient rows [0,1], [4,5], [6,7], [8,9]).
    expect(Array.from(weights[0]!.data)).toEqual([2, 3, 10, 11, 0 + 4 + 6 + 8, 1 + 5 + 7 + 9]);
  });
});
