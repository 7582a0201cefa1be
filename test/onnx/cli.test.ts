import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { check } from '../../src/compile.js';
import { decodeModelProto } from '../../src/onnx/proto/onnx.js';
import { float32Values } from '../../src/onnx/tensors.js';
import { ReferenceModel } from '../../src/reference/engine.js';
import { renderOnnxCheckTable } from '../../src/format/onnx-check-table.js';
import { crossCheckOnnx } from '../../src/reference/crosscheck-onnx.js';
import { exportModel, nnc, ort } from './support.js';

/**
 * The ONNX commands as a user runs them (main() on the real file system): what they write, and
 * that every bad input is one clear line and a non-zero exit, never a stack trace or a
 * half-written file.
 */

let dir: string;
let run: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nnc-onnx-cli-'));
  run = join(dir, 'iris-run');
  const trained = await nnc('train', 'examples/iris.nn', '--data', 'examples/data/iris.csv', '--epochs', '2', '--backend', 'cpu', '--out', run, '--quiet');
  expect(trained.code, trained.err).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const noTrace = (err: string) => expect(err).not.toMatch(/internal|\n\s+at /);

describe('nnc compile --target onnx', () => {
  test('writes the model with the reference engine\'s initial weights for the seed (the train block\'s by default)', async () => {
    const out = join(dir, 'iris.onnx');
    const r = await nnc('compile', 'examples/iris.nn', '-o', out);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe(`compiled Iris (3 layers, 403 params) -> ${out} (ONNX opset 17, 6 nodes, initial weights of seed 42)\n`);
    const model = check(readFileSync('examples/iris.nn', 'utf8')).ir!.models[0]!;
    const expectWeights = (file: string, seed: number) => {
      const proto = decodeModelProto(readFileSync(file));
      const kernel = proto.graph!.initializer!.find((t) => t.name === 'hidden/dense_1/kernel')!;
      expect(Array.from(float32Values(kernel.raw_data!))).toEqual(Array.from(new ReferenceModel(model, seed).params.get('hidden/dense_1')![0]!.data, Math.fround));
    };
    expectWeights(out, 42);
    expect((await nnc('compile', 'examples/iris.nn', '-o', out, '--seed', '3')).code).toBe(0);
    expectWeights(out, 3);
  });

  test('--emit onnxtxt prints ONNX text; --opset picks the opset and its IR version', async () => {
    const r = await nnc('compile', 'examples/iris.nn', '--emit', 'onnxtxt', '--opset', '21');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^<\n {3}ir_version: 10,\n {3}opset_import: \["" : 21\],/);
    expect(r.out).toContain('Iris (float[batch,4] features) => (float[batch,3] species)');
  });

  test('--json reports the model, opset and output', async () => {
    const out = join(dir, 'json.onnx');
    const r = await nnc('compile', 'examples/iris.nn', '-o', out, '--json');
    expect(JSON.parse(r.out)).toMatchObject({ ok: true, model: 'Iris', opset: 17, nodes: 6, output: out });
  });

  test.each([
    [['--target', 'onnx'], 'error: an ONNX model is binary: write it to a file with `-o model.onnx`, or print its text form with `--emit onnxtxt`\n'],
    [['-o', 'x.onnx', '--opset', '12'], 'error: --opset takes an ONNX opset from 13 to 21, found `12`\n'],
    [['-o', 'x.onnx', '--opset', '22'], 'error: --opset takes an ONNX opset from 13 to 21, found `22`\n'],
    [['-o', 'x.onnx', '--opset', 'seventeen'], 'error: --opset takes an ONNX opset from 13 to 21, found `seventeen`\n'],
    [['-o', 'x.onnx', '--seed', '-1'], 'error: --seed takes an integer of at least 0, found `-1`\n'],
    [['--target', 'tfjs', '--emit', 'onnxtxt'], 'error: --emit onnxtxt applies to `--target onnx`\n'],
    [['-o', 'x.ts', '--opset', '13'], 'error: --opset applies to `--target onnx`\n'],
    [['-o', 'x.onnx', '--js'], 'error: --js applies to the tfjs target; an ONNX model is not code\n'],
  ])('%j is a usage error', async (args, message) => {
    const r = await nnc('compile', 'examples/iris.nn', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toBe(message);
    expect(existsSync('x.onnx')).toBe(false);
  });

  test('a source with errors writes nothing and leaves an earlier file as it was', async () => {
    const source = join(dir, 'broken.nn');
    writeFileSync(source, readFileSync('examples/iris.nn', 'utf8').replace('dense(3, softmax)', 'dense(3, softmx)'));
    const out = join(dir, 'kept.onnx');
    writeFileSync(out, 'earlier');
    const r = await nnc('compile', source, '-o', out);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[E2005]');
    expect(readFileSync(out, 'utf8')).toBe('earlier');
  });

  test('an unwritable output is a usage error', async () => {
    const r = await nnc('compile', 'examples/iris.nn', '-o', join(dir, 'missing', 'x.onnx'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: cannot write `.*x\.onnx`: no such file or directory\n$/);
  });
});

describe('nnc export', () => {
  test('exports a run folder next to its model, and --verify runs it against the float64 engine', async () => {
    const r = await nnc('export', run, '--verify');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe(`exported Iris (403 params, trained in ${run}) -> ${join(run, 'model.onnx')} (ONNX opset 17, 6 nodes)\n`);
    expect(r.out).toMatch(/^ONNX model \(opset 17\) in onnxruntime-web [\d.]+ \(wasm\), float32, against the float64 reference at inference: Iris, batch 8\n/);
    expect(r.out).toMatch(/\nspecies +7 +\d\.\d\de-\d+ +\d\.\d\de-\d+ +pass\n/);
    const proto = decodeModelProto(readFileSync(join(run, 'model.onnx')));
    expect(Object.fromEntries(proto.metadata_props!.map((p) => [p.key, p.value]))).toMatchObject({
      'nnc.source': 'examples/iris.nn',
      'nnc.weights': `trained: ${join(run, 'model.json')}`,
      'nnc.classes.species': '["setosa","versicolor","virginica"]',
    });
  });

  test('--json carries the verification', async () => {
    const r = await nnc('export', run, '-o', join(dir, 'v.onnx'), '--verify', '--json', '--batch', '3');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ ok: true, model: 'Iris', verification: { agreement: 'pass', batch: 3, rows: [{ output: 'species' }] } });
  });

  test('a TensorFlow.js model folder without a run history needs --source', async () => {
    const saved = join(dir, 'saved');
    cpSync(run, saved, { recursive: true });
    for (const f of ['history.json', 'model.nn', 'classes.json']) rmSync(join(saved, f));
    const without = await nnc('export', saved, '-o', join(dir, 's.onnx'));
    expect(without.code).toBe(2);
    expect(without.err).toBe(`error: \`${saved}\` does not say which .nn file it was trained from (it has no model.nn or history.json): pass it with \`--source FILE\`\n`);
    const withSource = await nnc('export', join(saved, 'model.json'), '--source', 'examples/iris.nn', '-o', join(dir, 's.onnx'));
    expect(withSource.code, withSource.err).toBe(0);
  });

  test('weights that do not fit the model are named, and nothing is written', async () => {
    const changed = join(dir, 'changed.nn');
    writeFileSync(changed, readFileSync('examples/iris.nn', 'utf8').replace('dense(16, relu) -> dense(16, relu)', 'dense(8, relu) -> dense(16, relu)'));
    const out = join(dir, 'nope.onnx');
    const r = await nnc('export', run, '--source', changed, '-o', out);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`error: the weights in \`${join(run, 'model.json')}\` are not those of \`Iris\` in \`${changed}\`:\n`);
    expect(r.err).toContain(`  - weight \`hidden/dense_1/kernel\` is [4, 16] in \`${join(run, 'model.json')}\`, but the model needs [4, 8]\n`);
    expect(existsSync(out)).toBe(false);
    noTrace(r.err);
  });

  test.each([
    ['a missing folder', (d: string) => join(d, 'nowhere'), (d: string) => `error: there is no model.json in \`${join(d, 'nowhere')}\`: give the run folder of \`nnc train\`, or a TensorFlow.js model saved by the generated code\n`],
    ['a .nn file', () => 'examples/iris.nn', () => 'error: `examples/iris.nn` is a model\'s source: `nnc compile examples/iris.nn -o model.onnx` exports it with its initial weights; `nnc export` takes the run folder of a trained model\n'],
  ])('%s is a usage error', async (_what, path, message) => {
    const r = await nnc('export', path(dir));
    expect(r.code).toBe(2);
    expect(r.err).toBe(message(dir));
  });

  test.each([
    ['model.json is not JSON', (d: string) => writeFileSync(join(d, 'model.json'), '{ nope'), /error: `.*model\.json` is not valid JSON\n/],
    ['weights.bin is missing', (d: string) => rmSync(join(d, 'weights.bin')), /error: cannot read the weights `.*weights\.bin` listed in `model\.json`: no such file or directory\n/],
    ['weights.bin is cut short', (d: string) => writeFileSync(join(d, 'weights.bin'), readFileSync(join(d, 'weights.bin')).subarray(0, 100)), /^error: `.*weights\.bin` holds 100 bytes, but `model\.json` lists 1,612 bytes of weights: the files are incomplete or from different runs\n$/],
  ])('a run folder whose %s is a usage error', async (what, damage, message) => {
    const damaged = join(dir, what.replace(/\W+/g, '-'));
    cpSync(run, damaged, { recursive: true });
    rmSync(join(damaged, 'model.onnx'), { force: true });
    damage(damaged);
    const r = await nnc('export', damaged);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(existsSync(join(damaged, 'model.onnx'))).toBe(false);
    noTrace(r.err);
  });

  test('never writes over a file it exports from', async () => {
    const before = readFileSync(join(run, 'weights.bin'));
    const r = await nnc('export', run, '-o', join(run, 'weights.bin'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: `-o .*weights\.bin` is one of the files exported from; nnc will not write over it\n/);
    expect(readFileSync(join(run, 'weights.bin'))).toEqual(before);
  });

  test('--emit onnxtxt -o - prints the text; a binary model is never printed', async () => {
    const text = await nnc('export', run, '--emit', 'onnxtxt', '-o', '-');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^<\n/);
    const binary = await nnc('export', run, '-o', '-');
    expect(binary.code).toBe(2);
  });
});

describe('nnc gradcheck --against onnx', () => {
  test('prints the comparison after the gradient check', async () => {
    const r = await nnc('gradcheck', 'examples/cnn.nn', '--against', 'onnx', '--opset', '13', '--mode', 'fast', '--batch', '2');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/\n\nONNX model \(opset 13\) in onnxruntime-web .*: DigitCNN, batch 2\nOutput +Line +Difference +Max error +Agreement\ndigit +14 +\S+ +\S+ +pass\nAgreement: pass/);
  });

  test('a batch onnxruntime cannot run is a failed comparison, in nnc\'s words', async () => {
    // gradcheck picks sizes of `?` that fit every layer; a batch of other sizes fails in onnxruntime.
    const source = 'model S {\n  input x: [?, ?, 3]\n  output y = x -> conv2d(4, 3, padding=same, strides=2) -> max_pool2d(2, padding=same) -> conv2d(2, 2) -> global_avg_pool2d\n}\n';
    const model = check(source).ir!.models[0]!;
    const reference = new ReferenceModel(model, 0);
    const { bytes } = exportModel(model, 17, reference.params);
    const batch = { inputs: new Map([['x', { shape: [1, 3, 3, 3], data: new Float64Array(27) }]]), targets: new Map() };
    const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 4 });
    const report = await crossCheckOnnx(ort, session, model, reference, batch, { opset: 17, runtime: 'onnxruntime-web' });
    expect(report.agreement).toBe('fail');
    expect(report.error).toMatch(/Conv node/);
    expect(renderOnnxCheckTable(report)).toMatch(/\ny +3 +NaN +NaN +fail\nonnxruntime could not run the model on this batch: .*Conv node.*\nAgreement: fail/);
  });

  test('--opset without --against onnx is a usage error', async () => {
    const r = await nnc('gradcheck', 'examples/iris.nn', '--opset', '13');
    expect(r.code).toBe(2);
    expect(r.err).toBe('error: --opset applies to `--against onnx`\n');
  });
});
