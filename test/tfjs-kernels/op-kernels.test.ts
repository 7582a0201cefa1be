import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { check, compile } from '../../src/compile.js';
import { loadGeneratedModule } from '../../src/cli/load-generated.js';
import type { IRModel } from '../../src/ir/ir.js';
import { registry } from '../../src/registry/registry.js';
import { activationKernels, clipnormKernels, lossKernels, loopKernels, metricKernels, modelKernels, opKernels, optimizerKernels } from '../../src/tfjs-kernels/op-kernels.js';
import { registerKernels } from '../../src/tfjs-kernels/register.js';
import { fit } from '../../src/train/loop/fit.js';
import { exampleModels, randomModels, syntheticDataset, type CorpusModel } from '../support/training-corpus.js';
import { loadedBackends } from './support.js';

const tableKernels = (): Set<string> =>
  new Set([
    ...Object.values(opKernels).flatMap((p) => [...p.forward, ...p.backward]),
    ...Object.values(activationKernels).flatMap((p) => [...p.forward, ...p.backward]),
    ...Object.values(lossKernels).flat(),
    ...Object.values(metricKernels).flat(),
    ...Object.values(optimizerKernels).flat(),
    ...clipnormKernels,
    ...loopKernels,
  ]);

describe('the kernel table covers the language', () => {
  test('every op, activation, loss, metric and optimizer has an entry', () => {
    const ops = registry.allOps().map((op) => op.name);
    expect(ops.filter((name) => !opKernels[name] && !activationKernels[name])).toEqual([]);
    expect(registry.activationNames().filter((name) => !activationKernels[registry.activation(name)!.name])).toEqual([]);
    expect(registry.allLosses().map((l) => l.name).filter((name) => !lossKernels[name])).toEqual([]);
    expect(registry.allMetrics().map((m) => m.name).filter((name) => !metricKernels[name])).toEqual([]);
    expect(registry.allOptimizers().map((o) => o.name).filter((name) => !optimizerKernels[name])).toEqual([]);
  });
});

describe('every kernel in the table is registered on every backend that loads, once nnc has registered its own', () => {
  let backends: string[] = [];
  beforeAll(async () => {
    backends = await loadedBackends(tf);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  // On old nnc, wasm failed here: it has no Conv2DBackpropFilter (conv2d) and no UnsortedSegmentSum (embedding).
  test('each op’s forward and backward pass, each activation, loss, metric, optimizer and the loop', () => {
    for (const backend of backends) {
      registerKernels(tf, backend);
      const missing: string[] = [];
      const need = (kernels: readonly string[], what: string) => missing.push(...kernels.filter((k) => !tf.getKernel(k, backend)).map((k) => `${k} (${what})`));
      for (const [op, p] of Object.entries({ ...opKernels, ...activationKernels })) {
        need(p.forward, `${op} forward`);
        need(p.backward, `${op} backward`);
      }
      for (const [table, entries] of Object.entries({ loss: lossKernels, metric: metricKernels, optimizer: optimizerKernels })) {
        for (const [name, kernels] of Object.entries(entries)) need(kernels, `${table} ${name}`);
      }
      need(clipnormKernels, 'clipnorm');
      need(loopKernels, 'the loop');
      expect(missing, backend).toEqual([]);
    }
  });
});

/**
 * Small models that between them use every op in each of its forms, every loss, metric and
 * optimizer. Each op comes after a layer with weights: tfjs runs a backward pass only where a
 * gradient flows to a weight.
 */
function tableModels(): CorpusModel[] {
  const model = (inputs: string, body: string, train: string) => `model M {\n  ${inputs}\n  ${body}\n  train { ${train} epochs = 1 batch_size = 4 }\n}\n`;
  const head = (x: string) => `output y = ${x} -> flatten -> dense(3, softmax)`;
  const image = 'input x: [7, 7, 2]';
  const vector = 'input x: [6]\n  input z: [6]';
  const cases: Array<[string, string, string, string]> = [
    ['dense', 'input x: [3, 6]', head('x -> dense(4, tanh) -> dense(4, relu, bias=false)'), 'loss = categorical_crossentropy'],
    ['conv2d', image, head('x -> conv2d(3, 3) -> conv2d(2, 2, strides=2, padding=same, activation=relu) -> conv2d(2, 1, bias=false, activation=sigmoid)'), 'loss = categorical_crossentropy'],
    ['pooling', image, head('x -> conv2d(2, 1) -> max_pool2d(2) -> avg_pool2d(2, strides=1, padding=same) -> max_pool2d(3, strides=2, padding=same)'), 'loss = categorical_crossentropy'],
    ['global pooling', `${image}\n  input w: [7, 7, 2]`, 'output y = concat(x -> conv2d(2, 1) -> global_max_pool2d, w -> conv2d(2, 1) -> global_avg_pool2d) -> dense(3, softmax)', 'loss = categorical_crossentropy'],
    ['normalization', image, head('x -> conv2d(2, 1) -> batch_norm -> layer_norm'), 'loss = categorical_crossentropy'],
    ['vector normalization', 'input x: [6]', head('x -> dense(6) -> batch_norm -> layer_norm -> dropout(0.5)'), 'loss = categorical_crossentropy'],
    ['reshape', 'input x: [6]', head('x -> dense(6) -> reshape([2, 3]) -> flatten'), 'loss = categorical_crossentropy'],
    ['embedding', 'input x: int32[5]', head('x -> embedding(10, 3)'), 'loss = categorical_crossentropy'],
    ['merges', vector, 'a = x -> dense(6)\n  b = z -> dense(6)\n  output y = concat(add(a, b), subtract(a, b), multiply(a, b), average(a, b), maximum(a, b), minimum(a, b)) -> dense(3, softmax)', 'loss = categorical_crossentropy'],
    ...['relu', 'tanh', 'sigmoid', 'selu', 'softplus', 'gelu', 'swish', 'elu', 'elu(0.5)', 'leaky_relu(0.2)', 'linear'].map(
      (a) => [`activation ${a}`, 'input x: [6]', `output y = x -> dense(6) -> ${a} -> dense(3, ${a}) -> softmax`, 'loss = categorical_crossentropy'] as [string, string, string, string],
    ),
    ...['mse', 'mae', 'huber'].map((l) => [`loss ${l}`, 'input x: [6]', 'output y = x -> dense(2)', `loss = ${l} metrics = [mae, mse]`] as [string, string, string, string]),
    ['loss binary_crossentropy', 'input x: [6]', 'output y = x -> dense(2, sigmoid)', 'loss = binary_crossentropy metrics = [accuracy, binary_accuracy]'],
    ['loss categorical_crossentropy', 'input x: [6]', 'output y = x -> dense(3, softmax)', 'loss = categorical_crossentropy metrics = [accuracy, categorical_accuracy]'],
    ['loss sparse_categorical_crossentropy', 'input x: [6]', 'output y = x -> dense(3, softmax)', 'loss = sparse_categorical_crossentropy metrics = [accuracy, sparse_categorical_accuracy]'],
    ...['sgd(momentum=0.9)', 'adam', 'rmsprop(momentum=0.5)', 'adagrad', 'sgd(clipnorm=1)'].map((o) => [`optimizer ${o}`, 'input x: [6]', 'output y = x -> dense(2)', `loss = mse optimizer = ${o}`] as [string, string, string, string]),
    ['two outputs', 'input x: [6]', 'output y = x -> dense(2)\n  output v = x -> dense(3, softmax)', 'loss = { y: mse, v: categorical_crossentropy } metrics = [mae]'],
  ];
  return cases.map(([label, inputs, body, train]) => {
    const source = model(inputs, body, train);
    const result = check(source);
    if (!result.ok) throw new Error(`${label} does not check: ${result.diagnostics[0]?.message}\n${source}`);
    return { label, source, model: result.ir!.models[0]! };
  });
}

/** The kernels tfjs ran (by name; customGrad ops are not kernels), for one epoch of nnc's loop and one of the generated train(). */
async function profileTraining(c: CorpusModel): Promise<Set<string>> {
  const result = await compile(c.source, { format: 'js', model: c.model.name });
  const generated = await loadGeneratedModule(result.code!);
  const names = new Set<string>();
  const record = (info: Awaited<ReturnType<typeof tf.profile>>) => info.kernels.forEach((k) => tf.getKernel(k.name, 'cpu') && names.add(k.name));
  const model = generated.compileModel(generated.buildModel({ seed: 1 }));
  const data = { train: syntheticDataset(c.model, 8, 1), validation: syntheticDataset(c.model, 4, 2) };
  record(await tf.profile(async () => (await fit(tf, model, c.model, data, { epochs: 1, batchSize: 4, shuffle: true, seed: 1, earlyStopping: null }), [])));
  model.dispose();
  const fresh = generated.buildModel({ seed: 1 });
  const tensors = (ports: IRModel['inputs'], arrays: typeof data.train.inputs) => Object.fromEntries(ports.map((p, i) => [p.name, tf.tensor(arrays[i]!.data, [8, ...arrays[i]!.shape], arrays[i]!.dtype)]));
  const sparse = (p: IRModel['outputs'][number], i: number) => {
    const t = data.train.targets[i]!;
    return registry.loss(c.model.train!.losses[p.name]!.name)?.sparse ? tf.argMax(tf.tensor(t.data, [8, ...t.shape]), -1) : tf.tensor(t.data, [8, ...t.shape]);
  };
  const inputs = tensors(c.model.inputs, data.train.inputs);
  const outputs = Object.fromEntries(c.model.outputs.map((p, i) => [p.name, sparse(p, i)]));
  record(await tf.profile(async () => (await generated.train(fresh, { inputs, outputs }, { epochs: 1, batchSize: 4, verbose: 0 }), [])));
  tf.dispose([...Object.values(inputs), ...Object.values(outputs)]);
  fresh.dispose();
  return names;
}

describe('the kernel table is what tfjs runs: profiled training on the cpu backend', () => {
  const corpus = [...tableModels(), ...exampleModels(), ...randomModels(6, 8)];
  const seen = new Set<string>();
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  test.each(corpus.map((c) => [c.label, c] as const))('%s runs only kernels the table lists for it', async (_, c) => {
    const ran = await profileTraining(c);
    ran.forEach((k) => seen.add(k));
    const listed = modelKernels(c.model);
    expect([...ran].filter((k) => !listed.has(k)).sort()).toEqual([]);
  });

  test('every kernel the table lists ran in one of them', () => {
    expect([...tableKernels()].filter((k) => !seen.has(k)).sort()).toEqual([]);
  });
});
