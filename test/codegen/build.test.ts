import { beforeAll, describe, expect, test } from 'vitest';
import type { IRModel } from '../../src/ir/ir.js';
import { collisions, deepChain, mlp, sharedEncoder, subtractOnly, twoHeads, unsafeNames } from './support/cases.js';
import { expectMatchesIR } from './support/expect-ir.js';
import { cpu, generateAndImport, tf, weightValues } from './support/load.js';

/** The generated JavaScript, imported and run: the built model must be the IR's model. */

beforeAll(cpu);

const cases: Record<string, () => IRModel> = {
  mlp,
  'shared encoder': sharedEncoder,
  collisions,
  'unsafe names': unsafeNames,
  subtract: subtractOnly,
  'two heads': () => twoHeads(2),
  'deep chain': () => deepChain(30),
};

describe('generated modules build the IR model', () => {
  for (const [name, make] of Object.entries(cases)) {
    test(name, async () => {
      const ir = make();
      const generated = await generateAndImport(ir);
      const model = generated.buildModel({ seed: 1 });
      expectMatchesIR(model, ir);
      expect(model.name).toBe(ir.name);
      expect(generated.modelName).toBe(ir.name);
      expect(generated.inputs).toEqual(ir.inputs.map((p) => ({ name: p.name, shape: [null, ...p.type.shape], dtype: p.type.dtype })));
      expect(generated.outputs).toEqual(ir.outputs.map((p) => ({ name: p.name, shape: [null, ...p.type.shape], dtype: p.type.dtype })));
    });
  }

  test('outputs are named after the IR outputs, through an identity layer where needed', async () => {
    for (const ir of [sharedEncoder(), collisions(), mlp()]) {
      const model = (await generateAndImport(ir)).buildModel();
      expect(model.outputNames).toEqual(ir.outputs.map((o) => o.name));
    }
    const shared = (await generateAndImport(sharedEncoder())).buildModel();
    // Only `emb` (the shared encoder's own output) needed an identity layer; it adds no parameters.
    expect(shared.layers.filter((l) => l.getClassName() === 'Activation').map((l) => l.name)).toEqual(['emb']);
  });

  test('a shared layer is one tfjs layer applied at each use', async () => {
    const model = (await generateAndImport(sharedEncoder())).buildModel();
    const encoders = model.layers.filter((l) => l.name === 'encoder');
    expect(encoders).toHaveLength(1);
    expect(encoders[0]!.inboundNodes).toHaveLength(2);
    const [left, right] = [tf.tensor2d([[1, 2, 3]]), tf.tensor2d([[1, 2, 3]])];
    const [, , gap] = model.predict([left, right]) as tf.Tensor[];
    // Same input through the same weights: the two encodings are equal, their difference 0.
    expect(Array.from(gap!.dataSync())).toEqual([0, 0, 0, 0]);
  });

  test('the same seed gives the same weights, another seed others; the train seed is the default', async () => {
    const generated = await generateAndImport(mlp());
    const first = weightValues(generated.buildModel({ seed: 1 }));
    expect(weightValues(generated.buildModel({ seed: 1 }))).toEqual(first);
    expect(weightValues(generated.buildModel({ seed: 2 }))).not.toEqual(first);
    expect(weightValues(generated.buildModel())).toEqual(weightValues(generated.buildModel({ seed: 7 })));
    // Two weights of one shape draw different values: each gets its own seed.
    const chain = weightValues((await generateAndImport(twoHeads(1))).buildModel());
    expect(chain[0]).not.toEqual(chain[2]);
  });

  test('without a seed anywhere, two builds differ', async () => {
    const generated = await generateAndImport(sharedEncoder());
    expect(weightValues(generated.buildModel())).not.toEqual(weightValues(generated.buildModel()));
  });

  test('non-random initializers are emitted as such', async () => {
    const model = (await generateAndImport(collisions())).buildModel();
    const [kernelY, biasY, kernelZ] = weightValues(model);
    expect(kernelY).toEqual([1, 1, 1, 1]);
    expect(biasY).toEqual([0, 0]);
    expect(kernelZ).toEqual([2, 0, 0, 2]);
  });
});
