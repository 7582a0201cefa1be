import { beforeAll, expect, test } from 'vitest';
import { twoHeads } from './support/cases.js';
import { cpu, generateAndImport, tf, weightValues } from './support/load.js';

/**
 * tfjs-layers ignores loss weights, so the generator scales each loss itself. Two models with
 * the same initial weights and data, whose only difference is the weight of output `b`, take one
 * SGD step: the step of `b`'s kernel (which feeds `b` alone) is -lr times its gradient, so it
 * must scale with the weight, while `a`'s step stays the same.
 */

beforeAll(cpu);

const x = () => tf.tensor2d([[1, 2, 3], [0, 1, -1], [2, 0, 1], [-1, -2, 0.5]]);
const yA = () => tf.tensor2d([[1], [0], [2], [-1]]);
const yB = () => tf.tensor2d([[3], [-2], [0.5], [1]]);

async function oneStep(weightOfB: number) {
  const generated = await generateAndImport(twoHeads(weightOfB));
  const model = generated.compileModel(generated.buildModel());
  const before = weightValues(model);
  const losses = (await model.trainOnBatch([x()], [yA(), yB()])) as number[];
  const after = weightValues(model);
  const steps = after.map((w, i) => w.map((v, j) => v - before[i]![j]!));
  return { before, steps, losses };
}

test('the loss weight scales the gradient of the weights feeding that output', async () => {
  const [one, three, zero] = await Promise.all([oneStep(1), oneStep(3), oneStep(0)]);
  expect(three.before).toEqual(one.before);
  // Weights in order: a's kernel, a's bias, b's kernel, b's bias.
  const [aKernel1, aBias1, bKernel1, bBias1] = one.steps;
  const [aKernel3, aBias3, bKernel3, bBias3] = three.steps;
  expect(bKernel1!.every((d) => Math.abs(d) > 1e-4)).toBe(true);
  bKernel3!.forEach((d, i) => expect(d).toBeCloseTo(3 * bKernel1![i]!, 5));
  expect(bBias3![0]).toBeCloseTo(3 * bBias1![0]!, 5);
  aKernel3!.forEach((d, i) => expect(d).toBeCloseTo(aKernel1![i]!, 6));
  expect(aBias3![0]).toBeCloseTo(aBias1![0]!, 6);
  // Weight 0: output b does not train at all.
  expect(zero.steps[2]!.every((d) => d === 0)).toBe(true);
});

test('the reported total loss is the weighted sum of the outputs\' losses', async () => {
  const [one, three] = await Promise.all([oneStep(1), oneStep(3)]);
  const [total1, a1, b1] = one.losses;
  const [total3, a3, b3] = three.losses;
  expect(total1).toBeCloseTo(a1! + b1!, 5);
  expect(a3).toBeCloseTo(a1!, 5);
  expect(b3).toBeCloseTo(3 * b1!, 4);
  expect(total3).toBeCloseTo(a1! + 3 * b1!, 4);
});
