import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fakeIO, type FakeIOOptions } from '../cli/support/fake-io.js';

const examples = join(import.meta.dirname, '../../examples');
const files = {
  'wide_deep.nn': readFileSync(join(examples, 'wide_deep.nn'), 'utf8'),
  'deep_linear.nn': readFileSync(join(examples, 'deep_linear.nn'), 'utf8'),
  'tiny.nn': 'model Tiny {\n  input x: [3]\n  output y = x -> dense(4, tanh) -> dense(2)\n}\n',
};

async function run(argv: string[], options: FakeIOOptions = {}) {
  const fake = fakeIO({ ...options, files: { ...files, ...options.files } });
  const code = await main(argv, fake.io);
  return { code, out: fake.stdout(), err: fake.stderr(), files: fake.files };
}

describe('nnc probe', () => {
  test('prints the table and exits 0, writing no file unless asked', async () => {
    const r = await run(['probe', 'wide_deep.nn']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^Probe of WideDeep at initialization \(float64, batch 256, seed 0\): measured vs predicted RMS\n/);
    expect(r.out).toMatch(/\nhidden\/dense_1 +dense +1 +\S+ +1\.00e\+0 +\S+ +\S+ +\S+ +\S+ +\S+ +\S+ +\S+\n/);
    expect(r.out).toMatch(/\nLargest deviations from the prediction: .*\n$/);
    expect([...r.files.keys()].sort()).toEqual(Object.keys(files).sort());
  });

  test('--batch and --seed change the measurement, not the prediction', async () => {
    const a = JSON.parse((await run(['probe', 'tiny.nn', '--json', '--batch', '16', '--seed', '3'])).out);
    const b = JSON.parse((await run(['probe', 'tiny.nn', '--json', '--batch', '16', '--seed', '4'])).out);
    expect(a.probe).toMatchObject({ model: 'Tiny', batch: 16, seed: 3 });
    expect(a.probe.rows.map((r: { activation: { predicted: number } }) => r.activation.predicted)).toEqual(
      b.probe.rows.map((r: { activation: { predicted: number } }) => r.activation.predicted),
    );
    expect(a.probe.rows[1].activation.measured).not.toBe(b.probe.rows[1].activation.measured);
  });

  test('--svg writes the chart atomically and says where', async () => {
    const r = await run(['probe', 'deep_linear.nn', '--model', 'DeepLinear', '--batch', '8', '--svg', 'out/chart.svg']);
    expect(r.code).toBe(0);
    const svg = r.files.get('out/chart.svg')!;
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('DeepLinear: measured and predicted signal at initialization');
    expect(r.err).toMatch(/warning\[W6002\]/);
    expect(r.err).toMatch(/\nwrote the chart to out\/chart\.svg\n$/);
    expect(r.out).toContain('\ny           dense     50 ');
  });

  test('--json prints the report with the diagnostics, and where the chart went', async () => {
    const r = await run(['probe', 'deep_linear.nn', '--model', 'DeepLinearVanishing', '--batch', '8', '--json', '--svg', 'v.svg']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const json = JSON.parse(r.out);
    expect(json.ok).toBe(true);
    expect(json.svg).toBe('v.svg');
    expect(json.diagnostics.map((d: { code: string }) => d.code)).toEqual(['W6001', 'W6003']);
    expect(json.probe.rows).toHaveLength(51);
    expect(json.probe.rows[50]).toMatchObject({ node: 'y', op: 'dense', depth: 50, inputs: ['y/dense_49'] });
    expect(json.probe.rows[50].activation.predicted).toBeCloseTo(0.5 ** 50, 25);
    expect(r.files.has('v.svg')).toBe(true);
  });

  test('an unwritable chart is an I/O error (exit 2) and nothing else is printed', async () => {
    const r = await run(['probe', 'tiny.nn', '--svg', 'ro/chart.svg'], { failWrite: 'EACCES' });
    expect(r.code).toBe(2);
    expect(r.err).toBe('error: cannot write `ro/chart.svg`: permission denied\n');
    expect(r.out).toBe('');
  });

  test('usage errors exit 2, source errors 1', async () => {
    for (const argv of [['probe', 'tiny.nn', '--batch', '0'], ['probe', 'tiny.nn', '--seed', '-1'], ['probe', 'tiny.nn', '--batch', '2.5'], ['probe', 'missing.nn'], ['probe']]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.out, argv.join(' ')).toBe('');
    }
    expect((await run(['probe', 'tiny.nn', '--batch', '0'])).err).toBe('error: --batch takes an integer of at least 1, found `0`\n');
    const several = await run(['probe', 'deep_linear.nn']);
    expect(several.code).toBe(1);
    expect(several.err).toContain('error[E2023]');
    const broken = await run(['probe', 'bad.nn', '--json'], { files: { 'bad.nn': 'model M { input x: [2] output y = x -> dense(0) }' } });
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.out)).toMatchObject({ ok: false, diagnostics: [{ code: 'E2014' }] });
  });

  test('reads stdin with -', async () => {
    const r = await run(['probe', '-', '--batch', '4'], { stdin: files['tiny.nn'] });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Probe of Tiny /);
  });
});

test('a `?` that no sizes make fit the layers is an error naming the layer, not an internal error', async () => {
  const source = 'model C {\n  input x: [?, ?, 3]\n  input b: [8, 8, 4]\n  output y = add(x -> conv2d(4, 3, strides=2), b) -> flatten -> dense(1)\n}\n';
  const r = await run(['probe', 'c.nn'], { files: { 'c.nn': source } });
  expect(r.code).toBe(1);
  expect(r.err).toContain('error: no sizes for the unknown dimensions (`?`) of the inputs of `C` fit every layer (line 4: add:');
  expect(r.err).not.toContain('internal');
  expect(r.out).toBe('');
});
