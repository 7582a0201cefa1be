import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runTrain, type TrainFlags } from '../../src/cli/train-command.js';
import { nodeFolderFs, writeRunFolder, type FolderFs } from '../../src/cli/train-output.js';
import { fakeIO } from './support/fake-io.js';

const root = join(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const examples = {
  'examples/iris.nn': read('examples/iris.nn'),
  'examples/data/iris.csv': read('examples/data/iris.csv'),
  'examples/housing.nn': read('examples/housing.nn'),
  'examples/data/housing_synthetic.csv': read('examples/data/housing_synthetic.csv'),
  'examples/deep_linear.nn': read('examples/deep_linear.nn'),
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nnc-train-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function train(argv: string[], files: Record<string, string> = {}) {
  const fake = fakeIO({ files: { ...examples, ...files } });
  const code = await main(['train', ...argv, '--backend', 'cpu'], fake.io);
  return { code, out: fake.stdout(), err: fake.stderr() };
}

/** A saved run loaded back with tf.loadLayersModel, from its two files. */
async function loadRun(out: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
  expect(json.weightsManifest[0].paths).toEqual(['./weights.bin']);
  const bytes = readFileSync(join(out, 'weights.bin'));
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData }));
}

const tiny = 'model Tiny {\n  input x: [2]\n  output y = x -> dense(4, tanh) -> dense(1)\n  train { loss = mse epochs = 2 batch_size = 4 seed = 1 }\n}\n';
const tinyCsv = 'x_0,x_1,y\n' + Array.from({ length: 12 }, (_, i) => `${i / 12},${(i % 3) / 3},${i % 2}`).join('\n') + '\n';

describe('nnc train', () => {
  test('Iris reaches the documented accuracy with its fixed seed, and the run folder loads back', async () => {
    const out = join(dir, 'iris');
    const r = await train(['examples/iris.nn', '--data', 'examples/data/iris.csv', '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Training Iris (403 params) on 120 samples, validating on 30: 100 epochs of batch 16, backend cpu (pure JavaScript), seed 42 (from the train block)');
    expect(r.out).toContain("  species  <- species (the train block's `columns`); classes setosa = 0, versicolor = 1, virginica = 2");
    expect(r.out).toMatch(/^epoch {3}1\/100 {2}loss \S+ {2}accuracy \S+ {2}val_loss \S+ {2}val_accuracy \S+ {2}\(/m);
    expect(r.out).toContain('curves: training loss drawn at epoch − 0.5');
    expect(readdirSync(out).sort()).toEqual(['batches.csv', 'classes.json', 'curves.png', 'curves.svg', 'curves.vl.json', 'history.csv', 'history.json', 'model.json', 'model.nn', 'weights.bin']);
    expect(JSON.parse(readFileSync(join(out, 'classes.json'), 'utf8'))).toEqual({ species: ['setosa', 'versicolor', 'virginica'] });
    const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
    expect(history).toMatchObject({ model: 'Iris', backend: 'cpu', seed: 42, trainingShift: 0.5, restoredBest: true });
    const best = history.epochs.find((e: { epoch: number }) => e.epoch === history.bestEpoch);
    // docs/training.md states these numbers.
    expect(best.val_accuracy).toBeGreaterThanOrEqual(0.96);
    const model = await loadRun(out);
    const rows = examples['examples/data/iris.csv'].trim().split('\n').slice(1).map((line) => line.split(','));
    const predicted = (model.predict(tf.tensor2d(rows.map((r) => r.slice(0, 4).map(Number)))) as tf.Tensor).argMax(-1).dataSync();
    const names = ['setosa', 'versicolor', 'virginica'];
    const accuracy = rows.filter((row, i) => names[predicted[i]!] === row[4]).length / rows.length;
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
    expect(readFileSync(join(out, 'curves.svg'), 'utf8')).toMatch(/^<svg[^>]*>[\s\S]*training: mean over the epoch, drawn at epoch − 0\.5/);
    expect(readFileSync(join(out, 'curves.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  test('the housing regression reaches the documented validation loss', async () => {
    const out = join(dir, 'housing');
    const r = await train(['examples/housing.nn', '--data', 'examples/data/housing_synthetic.csv', '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
    expect(history.epochs.at(-1).val_loss).toBeLessThan(0.06);
    expect(r.err).toBe('');
  });

  test('bad data is an error naming the file, row and column, and nothing is written', async () => {
    const out = join(dir, 'bad');
    const bad = tinyCsv.replace('\n0.25,0,1\n', '\n0.25,zero,1\n');
    const r = await train(['tiny.nn', '--data', 'bad.csv', '--out', out], { 'tiny.nn': tiny, 'bad.csv': bad });
    expect(r.code).toBe(2);
    expect(r.err).toBe('error: bad.csv, row 4 (line 5), column 2 `x_1`: `zero` is not a number (for input `x`)\nnote: nothing was trained or written\n');
    expect(r.out).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  const classifier = 'model C {\n  input x: [1]\n  output y = x -> dense(3, softmax)\n  train { loss = sparse_categorical_crossentropy validation_split = 0.5 }\n}\n';
  test.each([
    ['a cell beyond float32', 'tiny.nn', tinyCsv.replace('\n0.25,0,1\n', '\n0.25,1e39,1\n'), 'error: d.csv, row 4 (line 5), column 2 `x_1`: `1e39` is beyond the range of float32 (±3.4e38), in which input `x` is trained: it would become Infinity'],
    ['too few rows for the validation split', 'c.nn', 'x,y\n1,a\n', 'error: d.csv: 1 row, and `validation_split = 0.5` holds out the last 1 for validation, leaving none to train on: add rows, lower `validation_split`, or pass the validation data with --val'],
    [
      'a quoted label with a line break',
      'c.nn',
      'x,y\n1,a\n2,"b\nc"\n3,b\n4,c\n5,a\n6,b\n',
      'error: d.csv, row 2 (line 3), column 2 `y`: `b\\nc` is a class name beyond the 3 classes of output `y` (the labels hold 4 names: `a`, `b\\nc`, `b`, `c`); it spans lines, which usually means a quote left open swallowed the line break',
    ],
  ])('bad data: %s is an error naming the place, and nothing is written', async (_, nn, csv, message) => {
    const out = join(dir, 'bad-data');
    const r = await train([nn, '--data', 'd.csv', '--out', out], { 'tiny.nn': tiny, 'c.nn': classifier, 'd.csv': csv });
    expect(r.err).toBe(`${message}\nnote: nothing was trained or written\n`);
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  test('a run that diverges leaves an earlier run\'s model in place: its history and curves go beside it', async () => {
    const parent = join(dir, 'keep');
    const out = join(parent, 'run');
    expect((await train(['tiny.nn', '--data', 'd.csv', '--out', out, '--quiet'], { 'tiny.nn': tiny, 'd.csv': tinyCsv })).code).toBe(0);
    const model = readFileSync(join(out, 'model.json'), 'utf8');
    const data = 'x_0,x_1,y_0,y_1\n' + Array.from({ length: 16 }, (_, i) => `${Math.sin(i)},${Math.cos(i)},0.5,-0.5`).join('\n') + '\n';
    const r = await train(['examples/deep_linear.nn', '--model', 'DeepLinear', '--data', 'd.csv', '--out', out, '--seed', '1'], { 'd.csv': data });
    expect(r.code).toBe(1);
    expect(r.err).toContain('error: training diverged');
    expect(r.out).toContain(`note: \`${out}\` keeps its earlier run and model: this run has no model, so its history and curves go to \`${out}-diverged\``);
    expect(readFileSync(join(out, 'model.json'), 'utf8')).toBe(model);
    expect(JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')).status).toBe('completed');
    expect(JSON.parse(readFileSync(join(`${out}-diverged`, 'history.json'), 'utf8')).status).toBe('diverged');
    expect(readdirSync(parent).sort()).toEqual(['run', 'run-diverged']);
  });

  test('--columns binds columns on the command line; an unknown name is a usage error', async () => {
    const csv = 'a,b,target,noise\n' + Array.from({ length: 8 }, (_, i) => `${i},${i % 2},${i / 8},${i % 3}`).join('\n') + '\n';
    const out = join(dir, 'columns');
    const r = await train(['tiny.nn', '--data', 'd.csv', '--out', out, '--columns', 'x=a,b', '--columns', 'y=target'], { 'tiny.nn': tiny, 'd.csv': csv });
    expect(r.code).toBe(0);
    expect(r.out).toContain('  x <- a, b (`--columns`)\n  y <- target (`--columns`)\n');
    expect(r.out).toContain('ignored column of d.csv: `noise`');
    const wrong = await train(['tiny.nn', '--data', 'd.csv', '--columns', 'z=a'], { 'tiny.nn': tiny, 'd.csv': csv });
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('error: --columns names `z`, which is neither an input nor an output of the model (`x`, `y`)');
  });

  test('JSON lines train too', async () => {
    const jsonl = Array.from({ length: 8 }, (_, i) => JSON.stringify({ x: [i / 8, i % 2], y: i % 3 })).join('\n');
    const r = await train(['tiny.nn', '--data', 'd.jsonl', '--out', join(dir, 'jsonl'), '--seed', '3'], { 'tiny.nn': tiny, 'd.jsonl': jsonl });
    expect(r.code).toBe(0);
    expect(r.out).toContain('seed 3\n');
    expect(r.out).toContain('  x <- x.0, x.1 (NAME_0, NAME_1, ...)');
  });

  test('a diverging model stops with an explanation, exit 1, and no model is saved', async () => {
    const data = 'x_0,x_1,y_0,y_1\n' + Array.from({ length: 16 }, (_, i) => `${Math.sin(i)},${Math.cos(i)},0.5,-0.5`).join('\n') + '\n';
    const out = join(dir, 'diverged');
    const r = await train(['examples/deep_linear.nn', '--model', 'DeepLinear', '--data', 'd.csv', '--out', out, '--seed', '1'], { 'd.csv': data });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/\nerror: training diverged at epoch \d, batch 1 of 1: the (loss became|gradients of)/);
    expect(r.err).toContain('= note: the gradients exploded');
    expect(r.err).toContain('clipnorm=1');
    expect(existsSync(join(out, 'model.json'))).toBe(false);
    expect(JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')).status).toBe('diverged');
  });

  test('a model without a train block, and a folder that is not a run, are refused before training', async () => {
    const noTrain = await train(['m.nn', '--data', 'd.csv'], { 'm.nn': 'model M {\n  input x: [2]\n  output y = x -> dense(1)\n}\n', 'd.csv': tinyCsv });
    expect(noTrain.code).toBe(1);
    expect(noTrain.err).toContain('error: model `M` has no `train { }` block');
    const folder = join(dir, 'precious');
    mkdirSync(folder);
    writeFileSync(join(folder, 'notes.txt'), 'keep me');
    const refused = await train(['tiny.nn', '--data', 'd.csv', '--out', folder], { 'tiny.nn': tiny, 'd.csv': tinyCsv });
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('is a folder that does not hold an nnc run');
    expect(readdirSync(folder)).toEqual(['notes.txt']);
  });

  test('in-place progress on a terminal: the batch line is rewritten, then replaced by the epoch summary', async () => {
    const fake = fakeIO({ files: { 'tiny.nn': tiny, 'd.csv': tinyCsv } });
    const flags: TrainFlags = { data: 'd.csv', backend: 'cpu', out: join(dir, 'tty') };
    const code = await runTrain('tiny.nn', flags, fake.io, { stdoutIsTTY: true, columns: 120, fs: nodeFolderFs, randomSeed: () => 0 });
    expect(code).toBe(0);
    const lines = fake.stdout().split('\n');
    const epoch1 = lines.find((l) => l.includes('epoch 1/2  loss'))!;
    expect(epoch1).toMatch(/^(\r\x1b\[2Kepoch 1\/2 \[[= ]{20}\] [1-3]\/3 {2}loss \S+ {2}\S+ samples\/s)+\r\x1b\[2Kepoch 1\/2 {2}loss \S+ {2}\(/);
    expect(epoch1).toContain('] 3/3  loss');
  });
});

describe('the run folder is written atomically', () => {
  test('a write failing half-way leaves the earlier run as it was, and no temporary folder', async () => {
    const parent = join(dir, 'atomic');
    const out = join(parent, 'run');
    await writeRunFolder(out, { 'history.json': '{"v": 1}', 'model.json': 'old' });
    let writes = 0;
    const failing: FolderFs = {
      ...nodeFolderFs,
      writeFile: async (path, data) => {
        if (++writes === 2) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        return nodeFolderFs.writeFile(path, data);
      },
    };
    await expect(writeRunFolder(out, { 'history.json': '{"v": 2}', 'model.json': 'new', 'weights.bin': new Uint8Array([1]) }, failing)).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(readdirSync(parent)).toEqual(['run']);
    expect(readFileSync(join(out, 'model.json'), 'utf8')).toBe('old');
    await writeRunFolder(out, { 'history.json': '{"v": 3}', 'model.json': 'new' });
    expect(readdirSync(parent)).toEqual(['run']);
    expect(readFileSync(join(out, 'model.json'), 'utf8')).toBe('new');
  });

  test('a failing rename into place puts the earlier run back', async () => {
    const parent = join(dir, 'atomic-rename');
    const out = join(parent, 'run');
    await writeRunFolder(out, { 'model.json': 'old' });
    let renames = 0;
    const failing: FolderFs = {
      ...nodeFolderFs,
      rename: async (from, to) => {
        if (++renames === 2) throw Object.assign(new Error('EXDEV'), { code: 'EXDEV' });
        return nodeFolderFs.rename(from, to);
      },
    };
    await expect(writeRunFolder(out, { 'model.json': 'new' }, failing)).rejects.toMatchObject({ code: 'EXDEV' });
    expect(readdirSync(parent)).toEqual(['run']);
    expect(readFileSync(join(out, 'model.json'), 'utf8')).toBe('old');
  });
});
