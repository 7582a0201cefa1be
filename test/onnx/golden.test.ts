import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { check, selectModel } from '../../src/compile.js';
import { ReferenceModel } from '../../src/reference/engine.js';
import { relativeDifference } from '../../src/reference/gradcheck.js';
import { randomBatch } from '../../src/reference/random-batch.js';
import { memoryIO } from '../docs/support/memory-io.js';
import { expectFixture, fixtureSuite } from '../support/fixtures.js';
import { exportModel, float32Weights, runOnnx } from './support.js';

/**
 * Golden ONNX text (`nnc compile --emit onnxtxt`, the path a user takes) of two examples and of
 * small models that show the lowering's choices: layouts and pads, blocks and shared layers,
 * named unknown dimensions, opset variants. `NNC_APPROVE=1 npx vitest run test/onnx` re-approves.
 */

const root = join(import.meta.dirname, '../..');

async function onnxText(file: string, text: string, opset: number): Promise<string> {
  const memory = memoryIO(new Map([[file, text]]));
  const code = await main(['compile', file, '--emit', 'onnxtxt', '--opset', String(opset)], memory.io);
  expect(code, memory.stderr()).toBe(0);
  return memory.stdout();
}

describe('examples', () => {
  for (const name of ['iris', 'wide_deep']) {
    test(`examples/${name}.nn`, async () => {
      const file = `examples/${name}.nn`;
      expectFixture(join(import.meta.dirname, 'golden'), `${name}.onnxtxt`, await onnxText(file, readFileSync(join(root, file), 'utf8'), 17));
    });
  }
});

describe('fixtures', () => {
  fixtureSuite(join(import.meta.dirname, 'fixtures'), async (input) => {
    // Each also runs, at each opset, and computes what the float64 engine computes.
    const model = selectModel(check(input).ir)!;
    const reference = new ReferenceModel(model, 5);
    for (const [id, ws] of float32Weights(reference.params)) reference.params.set(id, ws);
    const batch = randomBatch(model, 3, 5);
    const expected = reference.forward(batch.inputs, { training: false }).outputs;
    const texts: Record<string, string> = {};
    for (const opset of [13, 17, 21]) {
      const outputs = await runOnnx(exportModel(model, opset, reference.params).bytes, model, batch);
      for (const o of model.outputs) expect(relativeDifference(outputs.get(o.name)!, expected.get(o.name)!.data), `${o.name} at opset ${opset}`).toBeLessThanOrEqual(1e-5);
      texts[`opset${opset}.onnxtxt`] = await onnxText('input.nn', input, opset);
    }
    return texts;
  });
});
