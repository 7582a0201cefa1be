import { beforeAll, describe, expect, test } from 'vitest';
import { check } from '../../src/compile.js';
import { generateTfjs } from '../../src/codegen/tfjs/generate.js';
import { modelLayers } from '../../src/codegen/tfjs/model-layers.js';
import type { IRApplyNode, IRModel } from '../../src/ir/ir.js';
import { partitionGraph, type PartitionSizes } from '../../src/ir/partition.js';
import { crossCheckTfjs } from '../../src/reference/crosscheck-tfjs.js';
import { ReferenceModel } from '../../src/reference/engine.js';
import { randomBatch } from '../../src/reference/random-batch.js';
import { residualChain } from './support/cases.js';
import { act, denseAttrs, ModelBuilder } from './support/ir-builder.js';
import { cpu, importCode, tf, weightValues } from './support/load.js';

/**
 * A graph of more than a thousand nodes is built in parts, each a sub-model (src/ir/partition.ts):
 * tfjs overflows the stack building one model of a few thousand layers in sequence. The sizes
 * are made small here, so that small models are built the way large ones are.
 */

beforeAll(cpu);

const sizes: PartitionSizes = { flat: 20, part: 8, limit: 20, minimum: 3 };

const source = `
block Res(units) {
  input x
  h = x -> dense(units, relu) -> batch_norm -> dense(units, init=normal(0, 0.1))
  output y = add(x, h)
}
model R {
  input x: [4]
  trunk = x -> dense(4) -> repeat(5, Res(4))
  output aux = trunk -> dense(2)
  output y = trunk -> repeat(4, Res(4)) -> dense(1)
  train { loss = { aux: mse, y: mse }  optimizer = sgd(learning_rate=0.05)  batch_size = 4  shuffle = false  seed = 3 }
}
`;

async function build(ir: IRModel, partition?: PartitionSizes) {
  const generated = await importCode(await generateTfjs(ir, { format: 'js', filename: 'r.nn', partition }));
  return { generated, model: generated.buildModel({ seed: 7 }) };
}

/** The tensors each part makes that are read after it. */
function partOutputs(ir: IRModel, partition: NonNullable<ReturnType<typeof partitionGraph>>): number[] {
  const nodes = partition.order.map((i) => ir.nodes[i] as IRApplyNode);
  const lastRead = new Map<string, number>();
  nodes.forEach((node, i) => node.inputs.forEach((id) => lastRead.set(id, i)));
  for (const port of ir.outputs) lastRead.set(port.node, Infinity);
  return partition.parts.map(({ from, to }) => nodes.slice(from, to).filter((node) => (lastRead.get(node.id) ?? -1) >= to).length);
}

describe('a model built in parts', () => {
  const ir = check(source).ir!.models[0]!;

  test('is the model built in one piece: layers, weights in getWeights() order, outputs, a training step', async () => {
    const flat = await build(ir);
    const parted = await build(ir, sizes);
    expect(flat.model.layers.some((layer) => 'layers' in layer)).toBe(false);
    expect(parted.model.layers.filter((layer) => 'layers' in layer).length).toBeGreaterThan(2);
    // An output beside the stream (`aux`) is where a cut goes: each part still gives one tensor on.
    expect(partOutputs(ir, partitionGraph(ir, sizes)!).every((n) => n === 1)).toBe(true);
    expect(modelLayers(parted.model).map((l) => l.name).sort()).toEqual(flat.model.layers.map((l) => l.name).sort());
    expect(parted.model.outputNames).toEqual(flat.model.outputNames);
    expect(parted.model.weights.map((w) => w.originalName)).toEqual(flat.model.weights.map((w) => w.originalName));
    expect(weightValues(parted.model)).toEqual(weightValues(flat.model));

    const x = tf.randomNormal([8, 4], 0, 1, 'float32', 5);
    const predictions = (model: tf.LayersModel) => (model.predict(x) as tf.Tensor[]).map((t) => Array.from(t.dataSync()));
    expect(predictions(parted.model)).toEqual(predictions(flat.model));

    const data = { inputs: { x }, outputs: { aux: tf.ones([8, 2]), y: tf.zeros([8, 1]) } };
    const fit = async ({ generated, model }: Awaited<ReturnType<typeof build>>) => (await generated.train(model, data, { epochs: 2, verbose: 0 })).history.loss;
    // Batch normalization trains on batch statistics and updates its moving ones inside the parts too.
    const [flatLoss, partedLoss] = [await fit(flat), await fit(parted)];
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(b)));
    flatLoss.forEach((loss, i) => close(partedLoss[i] as number, loss as number));
    const after = [weightValues(flat.model), weightValues(parted.model)];
    after[0]!.forEach((w, i) => w.forEach((v, j) => close(after[1]![i]![j]!, v)));
  });

  test('saves and loads back as the same model', async () => {
    const { model } = await build(ir, sizes);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (saved) => {
      artifacts = saved;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    const x = tf.randomNormal([3, 4], 0, 1, 'float32', 6);
    const outputs = (m: tf.LayersModel) => (m.predict(x) as tf.Tensor[]).map((t) => Array.from(t.dataSync()));
    expect(outputs(loaded)).toEqual(outputs(model));
  });

  test('passes the gradient cross-check, whose weights travel to the layers inside the parts by name', async () => {
    const dropped = check(source.replace('-> batch_norm ->', '-> batch_norm -> dropout(0.3) ->')).ir!.models[0]!;
    const generated = await importCode(await generateTfjs(dropped, { format: 'js', filename: 'r.nn', partition: sizes }));
    const flat = await importCode(await generateTfjs(dropped, { format: 'js', filename: 'r.nn' }));
    const report = (module: typeof generated) => crossCheckTfjs(tf, module, dropped, new ReferenceModel(dropped, 2), randomBatch(dropped, 4, 3));
    const [inParts, inOnePiece] = [report(generated), report(flat)];
    expect(inParts.rows.filter((r) => r.kind === 'gradient').length).toBe(dropped.layers.flatMap((l) => l.weights.filter((w) => w.trainable)).length);
    expect(inParts.rows.every((r) => r.agreement === 'pass' || r.agreement === 'warn')).toBe(true);
    expect(inParts.rows.map((r) => [r.name, r.agreement])).toEqual(inOnePiece.rows.map((r) => [r.name, r.agreement]));
  });
});

describe('where the graph is cut', () => {
  test('a graph of up to `flat` nodes is built in one piece', () => {
    expect(partitionGraph(residualChain(6), sizes)).toBeNull();
    expect(partitionGraph(residualChain(7), sizes)).not.toBeNull();
  });

  test('a residual chain is cut where one tensor flows on: each part has one output', () => {
    const ir = residualChain(40);
    const partition = partitionGraph(ir, sizes)!;
    expect(partition.parts.length).toBeGreaterThan(5);
    expect(partOutputs(ir, partition).every((n) => n === 1)).toBe(true);
    for (const { from, to } of partition.parts.slice(0, -1)) expect(to - from).toBeGreaterThanOrEqual(sizes.part);
    // The parts in a row, then the output layer.
    expect(partition.topDepth).toBe(partition.parts.length + 1);
  });

  test('two streams side by side are cut at the size limit, each part giving both on', async () => {
    const b = new ModelBuilder('Streams');
    let [p, q] = [b.input('x', [2]), b.input('z', [2])];
    for (let i = 1; i <= 30; i++) {
      p = b.chain(`p${i}`, 'dense', denseAttrs(2, { activation: act('tanh') }), [p]);
      q = b.chain(`q${i}`, 'dense', denseAttrs(2, { activation: act('tanh') }), [q]);
    }
    b.chain('y', 'add', {}, [p, q], 'y');
    const ir = b.output('y', 'y').build();
    const partition = partitionGraph(ir, sizes)!;
    expect(partOutputs(ir, partition)).toEqual(partition.parts.map(() => 2));
    expect(partition.parts.every(({ from, to }) => to - from <= sizes.limit)).toBe(true);
    const [flat, parted] = [await build(ir), await build(ir, sizes)];
    const inputs = [tf.ones([2, 2]), tf.fill([2, 2], 0.5)];
    expect((parted.model.predict(inputs) as tf.Tensor).arraySync()).toEqual((flat.model.predict(inputs) as tf.Tensor).arraySync());
  });

  test('side by side, layers that act when they run in training (dropout, batch_norm) stay out of parts of several outputs', () => {
    // Definitions written in turn, so that the two streams alternate in the graph's order.
    const steps = Array.from({ length: 15 }, (_, i) =>
      `  a${i + 1} = a${i} -> dense(3) -> batch_norm\n  b${i + 1} = b${i} -> dense(3) -> dropout(0.1)`);
    const ir = check(`model M {\n  input x: [3]\n  input z: [3]\n  a0 = x -> dense(3)\n  b0 = z -> dense(3)\n${steps.join('\n')}\n  output y = concat(a15, b15) -> dense(1)\n}`).ir!.models[0]!;
    const partition = partitionGraph(ir, { ...sizes, limit: 12 })!;
    // Without them, the streams go through parts of two outputs (see above); with them, the
    // parts give one tensor on each and the nodes between stay at the top level.
    expect(partOutputs(ir, partition).every((n) => n === 1)).toBe(true);
    const inParts = partition.parts.reduce((n, { from, to }) => n + to - from, 0);
    expect(inParts).toBeLessThan(partition.order.length);
    expect(partition.topDepth).toBeGreaterThan(partition.parts.length);
  });

  test('shared layers and outputs stay at the top level', () => {
    const ir = check(`model M {
      input x: [3]
      layer enc = dense(3, tanh)
      a = x -> repeat(30, dense(3, tanh))
      output mid = a -> dense(1)
      output y = a -> enc -> repeat(30, dense(3, tanh)) -> enc
    }`).ir!.models[0]!;
    const partition = partitionGraph(ir, sizes)!;
    const top = new Set(partition.order.filter((_, k) => !partition.parts.some(({ from, to }) => k >= from && k < to)));
    const shared = ir.nodes.filter((n) => n.kind === 'apply' && n.layer === 'enc');
    for (const node of [...shared, ...ir.outputs.map((o) => ir.nodes.find((n) => n.id === o.node)!)]) {
      expect(top.has(ir.nodes.indexOf(node)), node.id).toBe(true);
    }
  });
});
