import { describe, expect, test } from 'vitest';
import { check, compile } from '../../src/compile.js';
import { loadGeneratedModule } from '../../src/cli/load-generated.js';
import { crossCheckTfjs } from '../../src/reference/crosscheck-tfjs.js';
import { ReferenceModel } from '../../src/reference/engine.js';
import { randomBatch } from '../../src/reference/random-batch.js';

/** A dense bias feeding batch_norm: its true gradient is exactly 0 (the batch mean is taken out). */
const BIAS_INTO_NORM = 'model B {\n  input x: [3]\n  output y = x -> dense(4) -> batch_norm -> dense(1)\n  train { loss = mse }\n}\n';

async function crossCheck(source: string, prepare?: (reference: ReferenceModel) => void) {
  const tf = await import('@tensorflow/tfjs');
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
  const model = check(source).ir!.models[0]!;
  const generated = await loadGeneratedModule((await compile(source, { format: 'js' })).code!);
  const reference = new ReferenceModel(model, 0);
  prepare?.(reference);
  return crossCheckTfjs(tf, generated, model, reference, randomBatch(model, 4, 0));
}

describe('the tfjs cross-check knows each tensor\'s float32 rounding', () => {
  test('a gradient that is zero in truth and ~1e-9 in float32 is zero up to rounding, not a failure', async () => {
    const report = await crossCheck(BIAS_INTO_NORM);
    const bias = report.rows.find((r) => r.name === 'y/dense_1/bias')!;
    expect(bias.difference).toBeGreaterThan(0.5);
    expect(bias.zero).toBe(true);
    expect(bias.agreement).toBe('pass');
    expect(report.rows.filter((r) => r.name !== 'y/dense_1/bias').every((r) => !r.zero && r.agreement === 'pass')).toBe(true);
    expect(report.agreement).toBe('pass');
  });

  test('the tolerance still catches a gradient wrong by 1e-3', async () => {
    // The reference's bias gradient of the last layer is made 0.1% too large: tfjs no longer agrees.
    const report = await crossCheck(BIAS_INTO_NORM, (reference) => {
      const op = reference.ops.get('y')!;
      reference.ops.set('y', {
        ...op,
        reference: {
          forward: op.reference.forward,
          backward: (args, ctx) => {
            const r = op.reference.backward(args, ctx);
            r.weights[1] = { shape: r.weights[1]!.shape, data: r.weights[1]!.data.map((v) => v * 1.001) };
            return r;
          },
        },
      });
    });
    const bias = report.rows.find((r) => r.name === 'y/bias')!;
    expect(bias.zero).toBe(false);
    expect(bias.agreement).toBe('suspect');
  });
});
