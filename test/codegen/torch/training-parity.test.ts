import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { runTorchJob, writeCaseFolders } from '../../../src/cli/python.js';
import { generateTorch } from '../../../src/codegen/torch/generate.js';
import { tfjsName } from '../../../src/codegen/tfjs/names.js';
import { jobBatch, jobWeights, numberOf, type RunnerResult } from '../../../src/reference/crosscheck-torch.js';
import { weightsInTfjsOrder } from '../../../src/reference/crosscheck-tfjs.js';
import { ReferenceModel } from '../../../src/reference/engine.js';
import { relativeDifference } from '../../../src/reference/gradcheck.js';
import { randomBatch, type Batch } from '../../../src/reference/random-batch.js';
import { compiledParts } from '../../../src/train/loop/compiled.js';
import { computeStep } from '../../../src/train/loop/step.js';
import { DEBIAN_PYTHON, hasSystemDependency } from '../../support/system-deps.js';
import { compiled, cpu } from '../../train/support.js';
import { examplesDir } from './support.js';

/**
 * Training parity: from the same weights, the same batches stepped through train.py's loss,
 * clipping and optimizer give the weights that nnc train's tfjs loop gives (src/train/loop: the
 * generated compileModel, computeStep, applyGradients), within float32 rounding. The models
 * cover every optimizer (epsilons made large, so that where they enter the step shows), clipnorm,
 * loss weights over two outputs and batch_norm's moving statistics.
 */

const STEPS = 5;
const BATCH = 8;

const SOURCES: Record<string, string> = {
  'adam, sparse labels (iris.nn)': readFileSync(join(examplesDir, 'iris.nn'), 'utf8'),
  'adam, two weighted outputs (wide_deep.nn)': readFileSync(join(examplesDir, 'wide_deep.nn'), 'utf8'),
  'adam with a large epsilon': `model E {
    input x: [5]
    output y = x -> dense(6, gelu) -> dense(2)
    train { loss = huber  optimizer = adam(learning_rate=0.01, beta1=0.8, beta2=0.9, epsilon=0.01) }
  }`,
  'sgd with momentum, clipnorm, batch_norm': `model S {
    input x: [6]
    h = x -> dense(8, tanh) -> batch_norm(momentum=0.8)
    output y = h -> dense(2)
    train { loss = mse  optimizer = sgd(learning_rate=0.1, momentum=0.9, clipnorm=0.5) }
  }`,
  'plain sgd on a convolution': `model C {
    input img: [5, 5, 2]
    output y = img -> conv2d(3, 3, padding=same, activation=relu) -> max_pool2d(2, padding=same) -> flatten -> dense(1)
    train { loss = mae  optimizer = sgd(learning_rate=0.05) }
  }`,
  'rmsprop with momentum and a large epsilon': `model R {
    input x: [5]
    output y = x -> dense(4, relu) -> dense(3, softmax)
    train { loss = categorical_crossentropy  optimizer = rmsprop(learning_rate=0.01, rho=0.8, momentum=0.5, epsilon=0.01) }
  }`,
  adagrad: `model A {
    input x: [4]
    output y = x -> dense(3, sigmoid)
    train { loss = binary_crossentropy  optimizer = adagrad(learning_rate=0.1) }
  }`,
};

interface Run {
  before: Map<string, Float32Array>;
  tfjs: Map<string, Float32Array>;
  tfjsLosses: number[];
  torch?: RunnerResult<{ losses: number[]; weights: Record<string, Array<number | string>> }>;
}

/** nnc train's step on tfjs: computeStep, then the optimizer compileModel set up (clipnorm included). */
async function tfjsSteps(source: string, reference: ReferenceModel, batches: Batch[]): Promise<Omit<Run, 'torch'>> {
  const { ir, build } = await compiled(source);
  const model = build(0);
  model.setWeights(weightsInTfjsOrder(tf, model, ir, reference));
  const names = new Map<string, string>(ir.layers.flatMap((l) => l.weights.map((w) => [`${tfjsName(l.id)}/${w.name}`, `${l.id}/${w.name}`] as const)));
  const read = () => new Map(model.weights.map((v) => [names.get(v.originalName)!, v.read().dataSync() as Float32Array]));
  const before = read();
  const parts = compiledParts(model, ir);
  const losses: number[] = [];
  for (const batch of batches) {
    const { inputs, targets } = jobBatch(ir, batch);
    const xs = inputs.map((t) => tf.tensor(t.data, t.shape, t.dtype ?? 'float32'));
    const ys = targets.map((t) => tf.tensor(t.data, t.shape));
    const { values, grads } = await computeStep(tf, model, parts, xs, ys);
    parts.optimizer.applyGradients(grads);
    tf.dispose([...xs, ...ys, ...Object.values(grads)]);
    losses.push(values[0]!);
  }
  const after = read();
  model.dispose();
  return { before, tfjs: after, tfjsLosses: losses };
}

describe.skipIf(!hasSystemDependency('python3-torch'))('training steps: train.py against nnc train\'s tfjs loop', () => {
  const runs = new Map<string, Run>();

  beforeAll(async () => {
    await cpu();
    const prepared = [];
    for (const [name, source] of Object.entries(SOURCES)) {
      const { ir } = await compiled(source);
      const reference = new ReferenceModel(ir, 11);
      const batches = Array.from({ length: STEPS }, (_, i) => randomBatch(ir, BATCH, 100 + i));
      runs.set(name, await tfjsSteps(source, reference, batches));
      prepared.push({ name, ir, reference, batches });
    }
    const { folders, dispose } = await writeCaseFolders(prepared.map((p) => generateTorch(p.ir, { filename: 'model.nn' }) as unknown as Record<string, string>));
    try {
      const cases = prepared.map((p, i) => ({
        id: p.name,
        kind: 'steps',
        folder: folders[i],
        dtypes: ['float32'],
        training: true,
        weights: jobWeights(p.ir, p.reference),
        batches: p.batches.map((b) => jobBatch(p.ir, b)),
      }));
      const { results } = await runTorchJob<NonNullable<Run['torch']>>(DEBIAN_PYTHON, { cases });
      for (const result of results) runs.get(result.id)!.torch = result;
    } finally {
      await dispose();
    }
  }, 300_000);

  test.each(Object.keys(SOURCES))('%s', (name) => {
    const run = runs.get(name)!;
    expect(run.torch!.error).toBeUndefined();
    const torch = run.torch!.dtypes!.float32!;
    expect(relativeDifference(torch.losses, run.tfjsLosses), 'the losses of the steps').toBeLessThan(1e-5);
    expect(Object.keys(torch.weights).sort()).toEqual([...run.tfjs.keys()].sort());
    for (const [weight, after] of run.tfjs) {
      const before = run.before.get(weight)!;
      const theirs = torch.weights[weight]!.map(numberOf);
      // The updates, not the weights: the weights alone would hide a wrong step behind their size.
      const moved = Array.from(after, (v, i) => v - before[i]!);
      const movedTorch = theirs.map((v, i) => v - before[i]!);
      expect(moved.some((v) => v !== 0), `${weight} moves`).toBe(true);
      expect(relativeDifference(movedTorch, moved), `the update of ${weight}`).toBeLessThan(1e-4);
    }
  });
});
