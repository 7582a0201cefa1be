import { beforeAll, describe, expect, test } from 'vitest';
import { check } from '../../src/compile.js';
import { crossCheckTfjs } from '../../src/reference/crosscheck-tfjs.js';
import { ReferenceModel } from '../../src/reference/engine.js';
import { randomBatch } from '../../src/reference/random-batch.js';
import { cpuBackend, generated, tf } from './support/generated.js';
import { globalMaxTies } from './support/ties.js';

/**
 * Disagreements the properties found between the generated TensorFlow.js code and the checker
 * or the float64 reference. The tfjs properties run on models without them
 * (`avoidKnownTfjsIssues`, and ties skipped in tfjs-crosscheck); each test here pins one down
 * as it is today. When one of these tests fails, the disagreement is gone: delete the test
 * and the matching avoidance in the arbitrary, so that the properties cover the case again.
 */

beforeAll(async () => {
  await cpuBackend();
});

const train = 'train {\n    loss = mse\n    optimizer = sgd\n  }';

async function crossCheck(source: string, seed = 3) {
  const { model, module } = await generated(source);
  const reference = new ReferenceModel(model, seed);
  const batch = randomBatch(model, 5, seed);
  return { model, reference, batch, report: crossCheckTfjs(tf, module, model, reference, batch) };
}

describe('known disagreements with tfjs', () => {
  test("avg_pool2d with padding=same: tfjs's CPU gradient divides by the whole window, its forward pass by the pixels inside", async () => {
    // 3×3 with 2×2 windows and stride 2: three of the four windows reach into the padding.
    const source = `model M {\n  input x: [3, 3, 1]\n  output y = x -> conv2d(2, 1) -> avg_pool2d(2, padding=same) -> flatten -> dense(1)\n  ${train}\n}\n`;
    const { report } = await crossCheck(source);
    const rows = new Map(report.rows.map((r) => [r.name, r.difference]));
    expect(rows.get('output y')).toBeLessThan(1e-5);
    expect(rows.get('y/kernel')).toBeLessThan(1e-5);
    expect(rows.get('y/conv2d_1/kernel')).toBeGreaterThan(1e-2);
    // nnc warns about it at compile time.
    expect(check(source).diagnostics.map((d) => d.code)).toEqual(['W4008']);
  });
});

/** Disagreements the properties found that are now resolved: each stays as a regression test. */
describe('resolved disagreements with tfjs', () => {
  test('concat of `?` and known spatial sizes is rejected by the checker, as tfjs would reject it', () => {
    const source = `model M {\n  input a: [?, ?, 2]\n  input b: [3, 3, 2]\n  output y = concat(a, b) -> global_avg_pool2d -> dense(1)\n  ${train}\n}\n`;
    const result = check(source);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['E4001']);
    expect(result.diagnostics[0]!.help).toContain('`?`');
  });

  test('an elementwise merge of `?` and a known size has the known size, in tfjs too, so a flatten after it builds and agrees', async () => {
    const source = `model M {\n  input a: [?, ?, 1]\n  input b: [3, 3, 1]\n  output y = add(a, b) -> flatten -> dense(1)\n  ${train}\n}\n`;
    const result = check(source);
    expect(result.diagnostics).toEqual([]);
    const model = result.ir!.models[0]!;
    const add = model.nodes.find((n) => n.kind === 'apply' && model.layers.find((l) => l.id === n.layer)!.op === 'add')!;
    expect(add.type.shape).toEqual([3, 3, 1]);
    const { report } = await crossCheck(source);
    for (const row of report.rows) expect(row.difference, row.name).toBeLessThan(1e-5);
  });

  test('global_max_pool2d on a tie gives the gradient to every maximal pixel, like tfjs', async () => {
    // Both halves of the concatenation are the same pixels: every maximum is tied.
    const source = `model M {\n  input x: [2, 2, 1]\n  h = x -> conv2d(2, 1)\n  output y = concat(h, h, axis=0) -> global_max_pool2d -> dense(1)\n  ${train}\n}\n`;
    const { model, reference, batch, report } = await crossCheck(source);
    expect(globalMaxTies(model, reference.forward(batch.inputs).values)).toBe(true);
    for (const row of report.rows) expect(row.difference, row.name).toBeLessThan(1e-5);
  });
});
