import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadGeneratedModule } from '../../src/cli/load-generated.js';
import { compile } from '../../src/compile.js';
import { registry } from '../../src/registry/registry.js';
import { exampleModels, randomModels, syntheticCsv, syntheticDataset, type CorpusModel } from '../support/training-corpus.js';
import { loadedBackends } from '../tfjs-kernels/support.js';
import { fakeIO } from './support/fake-io.js';

/**
 * Every example and a sample of the property tests' random models train for a few steps on every
 * backend that loads: through `nnc train` as a user runs it (the real `main()`, `--backend auto`
 * first, then each backend by name), and through the generated module's `train()`. Before nnc
 * registered its kernels, every conv2d and embedding model stopped here on wasm.
 */

const root = join(import.meta.dirname, '../..');
const corpus: CorpusModel[] = [...exampleModels(), ...randomModels(6, 20_241)];
const DIVERGES = new Set(['DeepLinear']); // examples/deep_linear.nn explodes by design

let dir: string;
let backends: string[] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nnc-every-'));
  backends = await loadedBackends(tf);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await tf.setBackend('cpu');
});

/** What `--backend auto` must choose here: the first of tfjs-node, wasm and cpu that loads. */
const autoChoice = () => ['tensorflow', 'wasm', 'cpu'].find((name) => backends.includes(name))!;

describe.each(corpus.map((c) => [c.label, c] as const))('%s', (_, c) => {
  const data = c.csv ? readFileSync(join(root, c.csv), 'utf8') : syntheticCsv(c.model, 16, 5);
  const files = { 'model.nn': c.source, 'data.csv': data };

  test('nnc train: --backend auto, then every backend that loads by name', async () => {
    for (const backend of ['auto', ...backends.map((b) => (b === 'tensorflow' ? 'node' : b))]) {
      const out = join(dir, `${c.model.name}-${backend}-${Math.random().toString(36).slice(2)}`);
      const fake = fakeIO({ files });
      const code = await main(['train', 'model.nn', '--data', 'data.csv', '--model', c.model.name, '--epochs', '1', '--batch-size', '8', '--seed', '1', '--plain', '--out', out, '--backend', backend], fake.io);
      const expected = backend === 'auto' ? autoChoice() : backend === 'node' ? 'tensorflow' : backend;
      expect(fake.stderr(), backend).not.toMatch(/internal|not registered/);
      if (DIVERGES.has(c.model.name)) expect(fake.stderr()).toContain('error: training diverged');
      else {
        // Warnings (a vanishing-signal prediction, a sorted-looking file) may come; errors may not.
        expect(fake.stderr(), backend).not.toMatch(/^error/m);
        expect(code, backend).toBe(0);
      }
      if (backend === 'auto') expect(fake.stdout()).toContain(`note: --backend auto chose ${expected}: `);
      expect(JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')).backend).toBe(expected);
    }
  });

  test('the generated train() on every backend that loads', async () => {
    const generated = await loadGeneratedModule((await compile(c.source, { format: 'js', model: c.model.name })).code!);
    const samples = syntheticDataset(c.model, 8, 7);
    for (const backend of backends) {
      await tf.setBackend(backend);
      const tensors = (list: typeof samples.inputs) => list.map((t) => tf.tensor(t.data, [samples.size, ...t.shape], t.dtype));
      const inputs = Object.fromEntries(c.model.inputs.map((p, i) => [p.name, tensors(samples.inputs)[i]!]));
      const outputs = Object.fromEntries(
        c.model.outputs.map((p, i) => {
          const target = tensors(samples.targets)[i]!;
          return [p.name, registry.loss(c.model.train!.losses[p.name]!.name)!.sparse ? tf.argMax(target, -1) : target];
        }),
      );
      const model = generated.buildModel({ seed: 1 });
      const history = await generated.train(model, { inputs, outputs }, { epochs: 1, batchSize: 4, verbose: 0 });
      if (!DIVERGES.has(c.model.name)) expect(Number.isFinite(history.history.loss![0] as number), backend).toBe(true);
      model.dispose();
      tf.dispose([...Object.values(inputs), ...Object.values(outputs)]);
    }
  });
});
