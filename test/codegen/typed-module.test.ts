import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fakeIO } from '../cli/support/fake-io.js';
import { cpu, importCode, tf, type GeneratedModule } from './support/load.js';
import { typecheck } from './support/typecheck.js';

/**
 * The generated module as a program uses it, through the real CLI: `nnc compile` writes it,
 * `nnc train` trains the same model; `train()` and `nnc train` log the same names with the same
 * values, `loadModel` reads the run folder (from the file system, and over HTTP as a browser
 * does), `predict` takes and returns tensors by name, and TypeScript rejects a misspelt name.
 */
const source = `model WD {
  input x: [3]
  h = x -> dense(8, tanh)
  output score = h -> dense(1)
  output kind = h -> dense(3, softmax)
  train {
    loss = { score: mse, kind: sparse_categorical_crossentropy }
    loss_weights = { score: 0.5, kind: 1 }
    metrics = { score: [mae], kind: [accuracy] }
    optimizer = adam(learning_rate=0.01)
    epochs = 1
    batch_size = 24
    validation_split = 0.25
    shuffle = false
    seed = 3
  }
}
`;
const rows = Array.from({ length: 32 }, (_, i) => [Math.sin(i), Math.cos(i), (i % 5) / 5, Math.sin(i) - Math.cos(i), i % 3]);
const csv = `x_0,x_1,x_2,score,kind\n${rows.map((r) => r.join(',')).join('\n')}\n`;

let dir: string;
let generated: GeneratedModule;
beforeAll(async () => {
  await cpu();
  dir = mkdtempSync(join(tmpdir(), 'nnc-typed-'));
  const fake = fakeIO({ files: { 'wd.nn': source } });
  expect(await main(['compile', 'wd.nn', '-o', 'wd.mjs'], fake.io)).toBe(0);
  generated = await importCode(fake.files.get('wd.mjs')!);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function trainWithCli(out: string): Promise<{ names: string[]; epochs: Array<Record<string, number>> }> {
  const fake = fakeIO({ files: { 'wd.nn': source, 'd.csv': csv } });
  expect(await main(['train', 'wd.nn', '--data', 'd.csv', '--out', out, '--backend', 'cpu', '--quiet'], fake.io)).toBe(0);
  return JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
}

const inputs = () => ({ x: tf.tensor2d(rows.map((r) => r.slice(0, 3))) });
const targets = () => ({ score: tf.tensor2d(rows.map((r) => [r[3]!])), kind: tf.tensor1d(rows.map((r) => r[4]!)) });

describe('train() and nnc train', () => {
  test('log the same names, with the same values, each output\'s loss unweighted', async () => {
    const history = await trainWithCli(join(dir, 'same'));
    const logs = generated.trainingConfig!.logs;
    expect(logs).toEqual(['loss', 'score_loss', 'kind_loss', 'score_mae', 'kind_accuracy']);
    expect(history.names).toEqual(logs);
    const fitted = await generated.train(generated.buildModel(), { inputs: inputs(), outputs: targets() }, { verbose: 0 });
    expect(Object.keys(fitted.history)).toEqual([...logs, ...logs.map((n) => `val_${n}`)]);
    // One epoch of one batch from the same seed: the same step, measured the same way.
    for (const name of Object.keys(fitted.history)) expect(fitted.history[name]![0] as number, name).toBeCloseTo(history.epochs[0]![name]!, 5);
    const at = (k: string) => fitted.history[k]![0] as number;
    expect(at('loss')).toBeCloseTo(0.5 * at('score_loss') + at('kind_loss'), 5);
  });

  test('callbacks see the same names as the history', async () => {
    const seen: string[][] = [];
    await generated.train(generated.buildModel(), { inputs: inputs(), outputs: targets() }, { verbose: 0, callbacks: { onEpochEnd: async (_epoch, logs) => void seen.push(Object.keys(logs ?? {})) } });
    expect(seen[0]).toEqual(expect.arrayContaining(['score_loss', 'kind_accuracy', 'val_score_mae']));
    expect(seen[0]!.some((k) => /Error|Accuracy/.test(k))).toBe(false);
  });
});

describe('loadModel and predict', () => {
  test('a run folder loads from the file system and predicts tensors by name', async () => {
    const out = join(dir, 'load');
    await trainWithCli(out);
    const model = await generated.loadModel(out);
    const predicted = generated.predict(model, inputs());
    expect(Object.keys(predicted)).toEqual(['score', 'kind']);
    expect(predicted.score!.shape).toEqual([32, 1]);
    expect(predicted.kind!.shape).toEqual([32, 3]);
    const sums = (predicted.kind!.sum(-1).arraySync() as number[]).map((s) => Math.round(s * 1e4) / 1e4);
    expect(new Set(sums)).toEqual(new Set([1]));
    expect(() => generated.predict(model, { X: tf.ones([1, 3]) })).toThrow('predict: inputsByName has no tensor named "x" (model WD takes "x")');
    // The same run over HTTP, as a browser loads it: the URL branch of loadModel.
    const server = await serve(dir);
    try {
      const address = server.address() as { port: number };
      const overHttp = await generated.loadModel(`http://127.0.0.1:${address.port}/load/`);
      const again = generated.predict(overHttp, inputs());
      expect(again.score!.arraySync()).toEqual(predicted.score!.arraySync());
    } finally {
      server.close();
    }
  });

  test('a folder holding another model is refused', async () => {
    const out = join(dir, 'other');
    const other = 'model Other {\n  input x: [2]\n  output y = x -> dense(1)\n  train { loss = mse epochs = 1 }\n}\n';
    const fake = fakeIO({ files: { 'o.nn': other, 'd.csv': 'x_0,x_1,y\n1,2,3\n4,5,6\n' } });
    expect(await main(['train', 'o.nn', '--data', 'd.csv', '--out', out, '--backend', 'cpu', '--quiet'], fake.io)).toBe(0);
    await expect(generated.loadModel(out)).rejects.toThrow(/^loadModel: .*other\/ holds a model taking \[\[null,2\]\] and giving \[\[null,1\]\], not WD \(\[\[null,3\]\] to \[\[null,1\],\[null,3\]\]\)$/);
  });
});

describe('TypeScript', () => {
  test('a consumer using the names compiles under --strict; a misspelt name does not', async () => {
    const fake = fakeIO({ files: { 'wd.nn': source } });
    expect(await main(['compile', 'wd.nn', '-o', 'wd.ts'], fake.io)).toBe(0);
    const consumer = (body: string) => `import * as tf from '@tensorflow/tfjs';
import { buildModel, loadModel, predict, train, type Inputs, type Outputs } from './wd.js';
export async function use(x: tf.Tensor, score: tf.Tensor, kind: tf.Tensor): Promise<void> {
  const model = buildModel({ seed: 1 });
  ${body}
}
`;
    const good = `const history = await train(model, { inputs: { x }, outputs: { score, kind } }, { epochs: 2 });
  const out: Outputs = predict(model, { x } satisfies Inputs);
  out.score.dispose();
  out.kind.dispose();
  const loaded: tf.LayersModel = await loadModel('runs/WD');
  predict(loaded, { x }).score.print();
  void history.history.loss;`;
    const bad = {
      'misspelt-input': [`await train(model, { inputs: { xx: x }, outputs: { score, kind } });`, "'xx' does not exist in type 'Inputs<Tensor<Rank>>'"],
      'missing-output': [`await train(model, { inputs: { x }, outputs: { score } });`, "Property 'kind' is missing"],
      'misspelt-result': [`predict(model, { x }).scor.print();`, "Property 'scor' does not exist on type 'Outputs<Tensor<Rank>>'"],
    } as const;
    // One program for all consumers (a program costs seconds); each file's diagnostics are its own.
    const consumers = Object.fromEntries(Object.entries(bad).map(([name, [body]]) => [name, consumer(body)]));
    const { diagnostics } = typecheck('typed-module', { wd: fake.files.get('wd.ts')!, good: consumer(good), ...consumers });
    expect(diagnostics.filter((d) => /^(wd|good)\.ts:/.test(d))).toEqual([]);
    for (const [name, [, message]] of Object.entries(bad)) {
      expect(diagnostics.filter((d) => d.startsWith(`${name}.ts:`)), name).toEqual([expect.stringContaining(message)]);
    }
  });
});

/** A static file server over `root`, as a web server hands a run folder to a browser. */
function serve(root: string): Promise<Server> {
  const types: Record<string, string> = { '.json': 'application/json', '.bin': 'application/octet-stream' };
  const server = createServer((request, response) => {
    try {
      const body = readFileSync(join(root, decodeURIComponent(new URL(request.url!, 'http://x').pathname)));
      response.writeHead(200, { 'content-type': types[extname(request.url!)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
