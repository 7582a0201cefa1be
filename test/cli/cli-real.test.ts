import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fakeIO, type FakeIOOptions } from './support/fake-io.js';

/** The CLI over the real parser, checker and code generator, on the shipped example. */
const wideDeep = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'wide_deep.nn'), 'utf8');
const typo = wideDeep.replace('concat(wide, hidden)', 'concat(wide, hiden)');
const typoLine = typo.split('\n').findIndex((l) => l.includes('hiden')) + 1;
const typoColumn = typo.split('\n')[typoLine - 1]!.indexOf('hiden') + 1;

async function run(argv: string[], options: FakeIOOptions = {}) {
  const fake = fakeIO({ ...options, files: { 'wide_deep.nn': wideDeep, 'typo.nn': typo, ...options.files } });
  const code = await main(argv, fake.io);
  return { code, out: fake.stdout(), err: fake.stderr(), files: fake.files };
}

describe('nnc with the real compiler', () => {
  test('check prints the Keras-style summary of the example', async () => {
    const r = await run(['check', 'wide_deep.nn']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Model: WideDeep\nLayer +Op +Output shape +Params +Init +Connected to\n=+\n/);
    expect(r.out).toMatch(/\nwide +input +\[\?, 5\] +0 +-\n/);
    expect(r.out).toMatch(/\nmerged +concat +\[\?, 35\] +0 +wide\[0\]\[0\], hidden\[0\]\[0\]\n/);
    expect(r.out).toContain('Total params: 1,207 (trainable 1,207, non-trainable 0)\n');
  });

  test('check renders a misspelt name with its help', async () => {
    const r = await run(['check', 'typo.nn']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain(
      [
        'error[E2001]: cannot find `hiden` in this scope',
        ` --> typo.nn:${typoLine}:${typoColumn}`,
        '  |',
        `${typoLine} |   merged = concat(wide, hiden)`,
        `  | ${' '.repeat(typoColumn - 1)}^^^^^`,
      ].join('\n'),
    );
    expect(r.err).toContain('= help: did you mean `hidden`?');
    expect(r.err).toMatch(/error: could not compile `typo.nn` due to \d+ errors?/);
  });

  test('check --json gives the span of the misspelt name', async () => {
    const r = await run(['check', 'typo.nn', '--json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.ok).toBe(false);
    expect(json.diagnostics[0]).toMatchObject({
      code: 'E2001',
      severity: 'error',
      filename: 'typo.nn',
      span: { start: { line: typoLine, column: typoColumn }, end: { line: typoLine, column: typoColumn + 5 } },
    });
  });

  test('check --model with an unknown model is E2015', async () => {
    const r = await run(['check', 'wide_deep.nn', '--model', 'WideDep']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[E2015]: there is no model named `WideDep`');
  });

  test('compile -o writes TypeScript and notes the size', async () => {
    const r = await run(['compile', 'wide_deep.nn', '-o', 'wide_deep.ts']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^compiled WideDeep \(\d+ layers, 1,207 params\) -> wide_deep\.ts\n$/);
    expect(r.files.get('wide_deep.ts')).toContain('@tensorflow/tfjs');
  });

  test('compile with errors leaves an existing output alone', async () => {
    const r = await run(['compile', 'typo.nn', '-o', 'wide_deep.ts'], { files: { 'wide_deep.ts': 'old\n' } });
    expect(r.code).toBe(1);
    expect(r.files.get('wide_deep.ts')).toBe('old\n');
  });

  test('compile --emit ir prints the typed graph', async () => {
    const r = await run(['compile', 'wide_deep.nn', '--emit', 'ir']);
    expect(r.code).toBe(0);
    const ir = JSON.parse(r.out);
    expect(ir.models.map((m: { name: string }) => m.name)).toEqual(['WideDeep']);
    expect(ir.models[0].inputs.map((i: { name: string }) => i.name)).toEqual(['wide', 'deep']);
  });
});

describe('metrics per output', () => {
  const model = (train: string) =>
    `model M {\n  input x: [4]\n  h = x -> dense(8, relu)\n  output score = h -> dense(1)\n  output kind = h -> dense(3, softmax)\n  train {\n    loss = { score: mse, kind: categorical_crossentropy }\n    ${train}\n  }\n}\n`;

  test('a list shared by a regression and a classifier warns where a metric does not fit, and says how to split it', async () => {
    const r = await run(['check', 'm.nn'], { files: { 'm.nn': model('metrics = [mae, accuracy]') } });
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning[W5008]: `accuracy` on output `score`, trained with `mse`: accuracy counts predicted classes, and an output trained as a regression predicts none');
    expect(r.err).toContain('= help: give each output its own metrics: `metrics = { score: [mae], kind: [mae, accuracy] }`');
    expect(r.err).not.toContain('on output `kind`');
  });

  test('per output, quoted names too: no warning, and the IR holds each output\'s metrics', async () => {
    const r = await run(['compile', 'm.nn', '--emit', 'ir'], { files: { 'm.nn': model('metrics = { score: ["mae"], kind: [accuracy, acc] }') } });
    expect(r.err).toMatch(/^compiled M/);
    expect(JSON.parse(r.out).models[0].train.metrics).toEqual({ score: ['mae'], kind: ['accuracy'] });
  });

  test('an unknown output is E5007; early stopping monitors the per-output logs, with a suggestion', async () => {
    const unknown = await run(['check', 'm.nn'], { files: { 'm.nn': model('metrics = { scor: [mae] }') } });
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('error[E5007]: there is no output named `scor`');
    expect(unknown.err).toContain('= help: did you mean `score`?');
    const monitor = await run(['check', 'm.nn'], { files: { 'm.nn': model('metrics = { score: [mae] }\n    validation_split = 0.2\n    early_stopping = { monitor: val_mae }') } });
    expect(monitor.code).toBe(1);
    expect(monitor.err).toContain('`early_stopping.monitor` must be a log of this model (`loss`, `val_loss`, `score_loss`, `val_score_loss`, `kind_loss`, `val_kind_loss`, `score_mae`, `val_score_mae`), found `val_mae`');
    expect(monitor.err).toContain('= help: with several outputs each logs its own: `val_score_mae`');
  });
});
