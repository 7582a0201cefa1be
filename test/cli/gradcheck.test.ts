import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fakeIO, type FakeIOOptions } from './support/fake-io.js';

const examples = join(import.meta.dirname, '..', '..', 'examples');
const wideDeep = readFileSync(join(examples, 'wide_deep.nn'), 'utf8');
const tiny = 'model Tiny {\n  input x: [2]\n  output y = x -> dense(3, tanh) -> dense(1)\n  train { loss = mse }\n}\n';

async function run(argv: string[], options: FakeIOOptions = {}) {
  const fake = fakeIO({ ...options, files: { 'wide_deep.nn': wideDeep, 'tiny.nn': tiny, ...options.files } });
  const code = await main(argv, fake.io);
  return { code, out: fake.stdout(), err: fake.stderr() };
}

describe('nnc gradcheck', () => {
  test('prints one graded line per tensor and exits 0 when backprop is right', async () => {
    const r = await run(['gradcheck', 'wide_deep.nn']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Gradient check of WideDeep \(full, ε = 1e-6, batch 4, seed 0\): 1,207 parameters/);
    expect(r.out).toMatch(/\nhidden\/dense_1\/kernel +7 +loss +\d+ +0 +\S+ +excellent\n/);
    expect(r.out).toMatch(/Overall difference \S+: excellent\n$/);
  });

  test('--json carries the per-tensor report', async () => {
    const r = await run(['gradcheck', 'tiny.nn', '--json', '--mode', 'sample', '--samples', '2', '--seed', '9']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.ok).toBe(true);
    expect(json.gradcheck.mode).toBe('sample');
    expect(json.gradcheck.seed).toBe(9);
    expect(json.gradcheck.tensors.map((t: { name: string }) => t.name)).toEqual(['y/dense_1/kernel', 'y/dense_1/bias', 'y/kernel', 'y/bias']);
    expect(json.gradcheck.tensors.every((t: { checked: number }) => t.checked <= 2)).toBe(true);
  });

  test('--data checks on the given batch, and bad data is a clear usage error', async () => {
    const good = JSON.stringify({ inputs: { x: [[1, 2], [3, 4]] }, targets: { y: [[0.5], [1]] } });
    const ok = await run(['gradcheck', 'tiny.nn', '--data', 'batch.json'], { files: { 'batch.json': good } });
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('batch 2');
    const cases: Array<[string, RegExp]> = [
      ['{"inputs": {}, "targets": {"y": [[1]]}}', /batch\.json: inputs\.x is missing/],
      ['{"inputs": {"x": [[1, 2, 3]]}, "targets": {"y": [[1]]}}', /inputs\.x has shape \[1, 3\], the model expects \[batch, 2\]/],
      ['{"inputs": {"x": [[1, "a"]]}, "targets": {"y": [[1]]}}', /inputs\.x\[0\]\[1\] is "a", not a finite number/],
      ['{"inputs": {"x": [[1, 2]]}, "targets": {"y": [[1], [2]]}}', /different batch sizes/],
      ['{"inputs": ', /not valid JSON/],
    ];
    for (const [data, message] of cases) {
      const r = await run(['gradcheck', 'tiny.nn', '--data', 'batch.json'], { files: { 'batch.json': data } });
      expect(r.code, data).toBe(2);
      expect(r.err, data).toMatch(message);
      expect(r.out).toBe('');
    }
  });

  test('usage and source errors have their exit codes', async () => {
    expect((await run(['gradcheck', 'tiny.nn', '--batch', '0'])).code).toBe(2);
    expect((await run(['gradcheck', 'tiny.nn', '--mode', 'slow'])).code).toBe(2);
    expect((await run(['gradcheck', 'missing.nn'])).code).toBe(2);
    const broken = await run(['gradcheck', 'bad.nn'], { files: { 'bad.nn': 'model M { input x: [2] output y = x -> dense(0) }' } });
    expect(broken.code).toBe(1);
    expect(broken.err).toContain('error[E2014]');
  });

  test('--against tfjs compares the generated code with the reference, tensor by tensor', async () => {
    const r = await run(['gradcheck', 'wide_deep.nn', '--mode', 'fast', '--against', 'tfjs']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Generated tfjs code (cpu, float32) against the float64 reference');
    expect(r.out).toMatch(/\noutput price +10 +\S+ +pass\n/);
    expect(r.out).toMatch(/\nd hidden\/dense_1\/kernel +7 +\S+ +pass\n/);
    expect(r.out).toContain('Agreement: pass');
  });

  test('--against tfjs reports a gradient that is zero in truth as zero up to float32 rounding, and exits 0', async () => {
    const source = 'model B {\n  input x: [3]\n  output y = x -> dense(4) -> batch_norm -> dense(1)\n  train { loss = mse }\n}\n';
    const r = await run(['gradcheck', 'b.nn', '--mode', 'fast', '--against', 'tfjs'], { files: { 'b.nn': source } });
    expect(r.out).toMatch(/\nd y\/dense_1\/bias +3 +\S+ +pass \(zero up to float32 rounding\)\n/);
    expect(r.out).toContain('Agreement: pass');
    expect(r.code).toBe(0);
  });
});

describe('nnc gradcheck says what it checked and how', () => {
  const deepLinear = readFileSync(join(examples, 'deep_linear.nn'), 'utf8');
  const dead = 'model K {\n  input x: [3]\n  output y = x -> dense(2, relu, init=zeros) -> dense(1, init=ones)\n}\n';

  test('a vanishing model is graded layer by layer, and the table and --json say so', async () => {
    const r = await run(['gradcheck', 'deep_linear.nn', '--model', 'DeepLinearVanishing'], { files: { 'deep_linear.nn': deepLinear } });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\ny\/dense_1\/kernel +17 +layer +4 +0 +\S+ +excellent\n/);
    expect(r.out).toMatch(/\ny\/dense_2 \(input\) +17 +layer +8 +0 +\S+ +excellent\n/);
    expect(r.out).toMatch(/\nloss of y +17 +layer +8 +0 +\S+ +excellent\n/);
    expect(r.out).toContain('note: the loss could not resolve 50 of 50 tensors');
    const json = JSON.parse((await run(['gradcheck', 'deep_linear.nn', '--model', 'DeepLinearVanishing', '--json'], { files: { 'deep_linear.nn': deepLinear } })).out);
    expect(json.ok).toBe(true);
    const first = json.gradcheck.tensors[0];
    expect([first.name, first.kind, first.method, first.checked, first.grade]).toEqual(['y/dense_1/kernel', 'weight', 'layer', 4, 'excellent']);
    expect(typeof first.resolution).toBe('number');
  });

  test('a run where some tensor could not be checked is not a pass: exit 1, and the table says NOT CHECKED', async () => {
    const r = await run(['gradcheck', 'dead.nn'], { files: { 'dead.nn': dead } });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\ny\/dense_1\/kernel +3 +layer +0 +6 +- +NOT CHECKED\n/);
    expect(r.out).toContain('Overall: 2 of 6 tensors could not be checked: the gradients are not proven');
    const json = JSON.parse((await run(['gradcheck', 'dead.nn', '--json'], { files: { 'dead.nn': dead } })).out);
    expect(json.ok).toBe(false);
    expect(json.gradcheck.grade).toBe('unchecked');
  });
});

test('sizes of `?` that do not fit the model are a usage error naming the layer, from --data or when none fit', async () => {
  const source = 'model M {\n  input a: [?, 3]\n  input b: [4, 2]\n  output y = add(a, b -> dense(3)) -> dense(1)\n}\n';
  const data = JSON.stringify({ inputs: { a: [[[1, 2, 3], [1, 2, 3]]], b: [[[1, 2], [1, 2], [1, 2], [1, 2]]] }, targets: { y: [[[1], [1], [1], [1]]] } });
  const bad = await run(['gradcheck', 'm.nn', '--data', 'batch.json'], { files: { 'm.nn': source, 'batch.json': data } });
  expect(bad.code).toBe(2);
  expect(bad.err).toBe('error: batch.json: the sizes of the inputs do not fit the model: line 4: add: `a` is [2, 3], the output of `y/dense_1` is [4, 3]; add needs all inputs to have the same shape\n');
  // A strided convolution's output size is not solved for: the user is told to give a batch.
  const strided = 'model C {\n  input x: [?, ?, 3]\n  input b: [8, 8, 4]\n  output y = add(x -> conv2d(4, 3, strides=2), b) -> flatten -> dense(1)\n}\n';
  const none = await run(['gradcheck', 'c.nn'], { files: { 'c.nn': strided } });
  expect(none.code).toBe(2);
  expect(none.err).toContain('error: no sizes for the unknown dimensions (`?`) of the inputs of `C` fit every layer (line 4: add:');
  expect(none.err).toContain('give a batch of your own with `--data FILE.json`');
});

test('--data with an id outside the embedding table is a usage error, not a crash', async () => {
  const source = 'model E {\n  input ids: int32[2]\n  output y = ids -> embedding(5, 3) -> flatten -> dense(1)\n  train { loss = mse }\n}\n';
  const data = JSON.stringify({ inputs: { ids: [[1, 7]] }, targets: { y: [[0.5]] } });
  const fake = fakeIO({ files: { 'e.nn': source, 'batch.json': data } });
  const code = await main(['gradcheck', 'e.nn', '--data', 'batch.json'], fake.io);
  expect(code).toBe(2);
  expect(fake.stderr()).toContain('batch.json: inputs.ids: entry 1 (flattened) is 7; ids must be whole numbers from 0 below 5');
});
