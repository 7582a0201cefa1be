import { beforeAll, describe, expect, test } from 'vitest';
import { emitContext, irLayer, op } from '../../ops/contexts.js';
import { applyEmitted, cpu, tf } from '../../ops/tfjs.js';
import { buildCase, caseName, OP_CASES } from './cases.js';
import { closeness, recordingContext, toFloat32 } from './support.js';

/**
 * The float64 forward pass against the op's own tfjs lowering (CPU backend): the emitted layers
 * are built, given the same weights, and applied eagerly (in training mode where the case says
 * so, for batch statistics) to the same float32 inputs. tfjs computes in float32, hence the
 * tolerance: 1e-5 relative, plus 1e-6 absolute for sums whose terms cancel.
 */

beforeAll(async () => {
  await cpu();
});

let counter = 0;

describe('forward matches tfjs', () => {
  test.each(OP_CASES.map((c) => [caseName(c), c] as const))('%s', (_name, c) => {
    const built = buildCase(c, 5);
    built.inputs.forEach(toFloat32);
    built.weights.forEach(toFloat32);
    const training = c.training ?? true;
    const ours = op(c.op).reference.forward(built, recordingContext({ training }));

    const name = `parity_${counter++}`;
    const emitted = op(c.op).emitTfjs(irLayer(c.op, built.attrs, built.weightSpecs), emitContext(name, c.inputs));
    const { layers, model } = applyEmitted(
      emitted,
      c.inputs.map((t) => t.shape),
      c.inputs.map((t) => t.dtype),
    );
    if (built.weights.length > 0) model.getLayer(name).setWeights(built.weights.map((w) => tf.tensor(Float32Array.from(w.data), w.shape)));
    const theirs = tf.tidy(() => {
      const inputs = built.inputs.map((t, i) =>
        c.inputs[i]!.dtype === 'int32' ? tf.tensor(Int32Array.from(t.data), t.shape, 'int32') : tf.tensor(Float32Array.from(t.data), t.shape),
      );
      let value: tf.Tensor | tf.Tensor[] = inputs.length === 1 ? inputs[0]! : inputs;
      for (const layer of layers) value = layer.apply(value, { training }) as tf.Tensor;
      return value as tf.Tensor;
    });
    expect(ours.shape).toEqual(theirs.shape);
    expect(closeness(ours.data, theirs.dataSync(), 1e-5, 1e-6)).toBeLessThanOrEqual(1);
    theirs.dispose();
    model.dispose();
  });
});
