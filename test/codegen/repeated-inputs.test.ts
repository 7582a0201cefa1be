import { beforeAll, describe, expect, test } from 'vitest';
import { check } from '../../src/compile.js';
import { generateTfjs } from '../../src/codegen/tfjs/generate.js';
import { partitionGraph, type PartitionSizes } from '../../src/ir/partition.js';
import { weightsInTfjsOrder } from '../../src/reference/crosscheck-tfjs.js';
import { ReferenceModel } from '../../src/reference/engine.js';
import { relativeDifference } from '../../src/reference/gradcheck.js';
import { randomBatch } from '../../src/reference/random-batch.js';
import type { Tensor64 } from '../../src/reference/tensor.js';
import { cpu, importCode, tf } from './support/load.js';

/**
 * tfjs's executor counts the layers that read a tensor, but releases the tensor once per input
 * it fills, so `add(h, h)` released `h` while other layers still needed it (`predict` failed
 * with "Cannot read properties of undefined (reading 'backend')"). Every such graph the checker
 * accepts must predict what the float64 engine computes, and fit, flat and built in parts.
 */

beforeAll(cpu);

const train = 'train { loss = mse  optimizer = sgd }';
const graphs: Record<string, string> = {
  'add(h, h), with h read by another output': `
    h = x -> dense(4, tanh)
    output a = add(h, h) -> dense(2)
    output b = h -> dense(1)`,
  'one tensor three times into a concat, and twice into a tuple merge': `
    h = x -> dense(2, tanh)
    output a = concat(h, x, h, x, h) -> dense(2)
    output b = (h, h) -> multiply
    output c = h -> dense(1)`,
  'several outputs of one tensor': `
    h = x -> dense(3, tanh)
    output a = h
    output b = h
    output c = add(h, h, h) -> dense(2)`,
  'an input that is an output, and added to itself': `
    output raw = x
    output twice = add(x, x) -> dense(2)
    output y = x -> dense(1)`,
  'a shared layer and a shared merge, each applied to one tensor twice': `
    layer enc = dense(3, tanh)
    layer sum = add
    a = x -> enc
    b = x -> enc
    output y = (a, a) -> sum
    output z = (b, a, b) -> sum`,
  'concat(h, h) and multiply(h, h), with h read by a third output': `
    h = x -> dense(4, tanh)
    output a = concat(h, h) -> dense(2)
    output m = multiply(h, h) -> dense(1)
    output b = h -> dense(1)`,
  'an output read twice by another output': `
    output a = x -> dense(3, tanh)
    output b = add(a, a) -> dense(1)
    output c = maximum(a, a)`,
};

/** Every run of two or more nodes between top-level ones becomes its own part. */
const tinyParts: PartitionSizes = { flat: 1, part: 1, limit: 2, minimum: 1 };

function toTf(t: Tensor64): tf.Tensor {
  return tf.tensor(Array.from(t.data), t.shape, 'float32');
}

describe.each([
  ['flat', undefined],
  ['in parts', tinyParts],
] as const)('graphs that read a tensor more than once, built %s', (_, partition) => {
  for (const [name, body] of Object.entries(graphs)) {
    test(name, async () => {
      const source = `model M {\n    input x: [3]${body}\n    ${train}\n}\n`;
      const checked = check(source);
      expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const ir = checked.ir!.models[0]!;
      const generated = await importCode(await generateTfjs(ir, { format: 'js', filename: 'm.nn', partition }));
      const model = generated.buildModel({ seed: 1 });
      expect(model.outputNames).toEqual(ir.outputs.map((o) => o.name));
      const parts = partition ? (partitionGraph(ir, partition)?.parts.length ?? 0) : 0;
      expect(model.layers.filter((layer) => 'layers' in layer)).toHaveLength(parts);

      const reference = new ReferenceModel(ir, 4);
      model.setWeights(weightsInTfjsOrder(tf, model, ir, reference));
      const batch = randomBatch(ir, 3, 2);
      const expected = reference.forward(batch.inputs, { training: false }).outputs;
      const inputs = [toTf(batch.inputs.get('x')!)];
      const predictTwice = () => {
        for (let run = 0; run < 2; run++) {
          const predicted = model.predict(inputs) as tf.Tensor[];
          ir.outputs.forEach((output, i) => {
            expect(relativeDifference(predicted[i]!.dataSync(), expected.get(output.name)!.data), output.name).toBeLessThan(1e-5);
          });
          tf.dispose(predicted);
        }
      };
      predictTwice();

      // Validation runs the same executor as predict, in inference mode, after each epoch.
      const data = { inputs: { x: inputs[0]! }, outputs: Object.fromEntries(ir.outputs.map((o) => [o.name, toTf(batch.targets.get(o.name)!)])) };
      const history = await generated.train(model, data, { epochs: 2, batchSize: 2, verbose: 0, validationData: data });
      expect(history.history.val_loss).toHaveLength(2);
      for (const loss of [...history.history.loss!, ...history.history.val_loss!]) expect(Number.isFinite(loss as number)).toBe(true);
      const after = model.predict(inputs) as tf.Tensor[];
      expect(after.every((t) => !t.isDisposed && t.dataSync().every(Number.isFinite))).toBe(true);
    });
  }
});
