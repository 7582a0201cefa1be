import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { globRegex } from '../../src/cli/input-files.js';
import { main } from '../../src/cli/main.js';
import { nodeIO } from '../../src/cli/node-io.js';
import { fakeIO } from './support/fake-io.js';

/** What the CLI reads and writes, through main() with the real compiler: several inputs, outputs that are inputs, JSON errors. */
const ok = 'model A {\n  input x: [2]\n  output y = x -> dense(1)\n}\n';
const warns = 'model B {\n  input x: [2]\n  input unused: [3]\n  output y = x -> dense(1)\n}\n';
const broken = 'model C {\n  input x: [2]\n  output y = x -> dense(1, rleu)\n}\n';
const files = { 'models/a.nn': ok, 'models/deep/b.nn': warns, 'models/node_modules/skip.nn': broken, 'models/.hidden/skip.nn': broken, 'models/notes.txt': 'x', 'c.nn': broken };

async function run(argv: string[]) {
  const fake = fakeIO({ files });
  const code = await main(argv, fake.io);
  return { code, out: fake.stdout(), err: fake.stderr(), files: fake.files };
}

describe('nnc check takes several files, folders and patterns', () => {
  test('a folder is every .nn file below it, node_modules and dot folders skipped; one line sums it up', async () => {
    const r = await run(['check', 'models']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^models\/a\.nn\nModel: A\n[^]*\n\nmodels\/deep\/b\.nn\nModel: B\n/);
    expect(r.err).toContain('warning[W3003]: input `unused` is never used');
    expect(r.err.endsWith('checked 2 files (2 models): no errors, 1 warning\n')).toBe(true);
  });

  test('files and patterns together, each file once; errors make the exit status 1', async () => {
    const r = await run(['check', 'c.nn', 'models/**/*.nn', 'models/a.nn']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[E2005]: unknown activation `rleu`');
    expect(r.err.endsWith('checked 3 files (2 models): 1 error in 1 file, 1 warning\n')).toBe(true);
    expect(r.out).not.toContain('Model: C');
    expect(r.out.match(/^Model: A$/gm)).toHaveLength(1);
  });

  test('an argument naming nothing is an error, after the others are checked', async () => {
    const r = await run(['check', 'models/a.nn', 'missing.nn', 'models/*.txt.nn']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('Model: A');
    expect(r.err).toContain('error: cannot read `missing.nn`: no such file or directory\n');
    expect(r.err).toContain('error: no file matches the pattern `models/*.txt.nn`\n');
    expect(r.err).toContain('checked 1 file (1 model): no errors, 0 warnings; 2 arguments could not be read\n');
  });

  test('--json lists the files, every diagnostic with its file, and each summary with its file', async () => {
    const r = await run(['check', 'models', 'c.nn', '--json']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ ok: false, files: ['models/a.nn', 'models/deep/b.nn', 'c.nn'] });
    expect(json.diagnostics.map((d: { code: string; filename: string }) => `${d.filename} ${d.code}`)).toEqual(['models/deep/b.nn W3003', 'c.nn E2005']);
    expect(json.summary.map((s: { filename: string; model: string }) => `${s.filename} ${s.model}`)).toEqual(['models/a.nn A', 'models/deep/b.nn B']);
  });

  test('globs: * stays in a folder, ** crosses folders', () => {
    expect(globRegex('models/*.nn').test('models/a.nn')).toBe(true);
    expect(globRegex('models/*.nn').test('models/deep/b.nn')).toBe(false);
    expect(globRegex('models/**/*.nn').test('models/a.nn')).toBe(true);
    expect(globRegex('models/**/*.nn').test('models/deep/b.nn')).toBe(true);
    expect(globRegex('m?dels/[ab].nn').test('models/a.nn')).toBe(true);
  });
});

describe('--json covers usage and I/O errors', () => {
  test.each([
    [['check', 'missing.nn', '--json'], 2, 'cannot read `missing.nn`: no such file or directory'],
    [['compile', 'models/a.nn', '--json', '--bogus'], 2, "unknown option '--bogus'"],
    [['compile', '--json'], 2, "missing required argument 'files'"],
    [['probe', 'models/a.nn', '--batch', '0', '--json'], 2, '--batch takes an integer of at least 1, found `0`'],
    [['gradcheck', 'models/a.nn', '--data', 'nope.json', '--json'], 2, 'cannot read `nope.json`: no such file or directory'],
    [['compile', 'c.nn', '-o', 'c.nn', '--json'], 2, '`-o c.nn` is the input file; nnc will not write over its source'],
  ])('%j: one JSON object on stdout, nothing on stderr', async (argv, code, message) => {
    const r = await run(argv);
    expect(r.code).toBe(code);
    expect(r.err).toBe('');
    const json = JSON.parse(r.out);
    expect(json.ok).toBe(false);
    expect(json.errors[0].message).toBe(message);
  });

  test('an error after the JSON result is added to it', async () => {
    const fake = fakeIO({ files, failWrite: 'EACCES' });
    expect(await main(['compile', 'models/a.nn', '-o', 'out.ts', '--json'], fake.io)).toBe(2);
    const json = JSON.parse(fake.stdout());
    expect(json).toMatchObject({ ok: false, errors: [{ message: 'cannot write `out.ts`: permission denied' }] });
    expect(fake.stderr()).toBe('');
  });

  test('--help with --json is still help', async () => {
    const r = await run(['check', '--json', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: nnc check/);
  });
});

describe('an output is never written over an input', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nnc-overwrite-'));
    writeFileSync(join(dir, 'm.nn'), ok);
    symlinkSync(join(dir, 'm.nn'), join(dir, 'link.nn'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each([
    ['the same path', (d: string) => ['compile', join(d, 'm.nn'), '-o', join(d, 'm.nn')]],
    ['another spelling of it', (d: string) => ['compile', join(d, 'm.nn'), '-o', `${d}/../${d.split('/').at(-1)}/./m.nn`]],
    ['a link to it', (d: string) => ['compile', join(d, 'link.nn'), '--output', join(d, 'm.nn')]],
    ['probe --svg', (d: string) => ['probe', join(d, 'm.nn'), '--svg', join(d, 'link.nn')]],
  ])('%s is refused, and the source stays as it was', async (_, argv) => {
    let err = '';
    const io = { ...nodeIO(), stdout: () => undefined, stderr: (t: string) => void (err += t) };
    expect(await main(argv(dir), io)).toBe(2);
    expect(err).toMatch(/^error: `(-o|--output|--svg) .*` is the input file; nnc will not write over its source\nhelp: write to another file, such as `(-o|--output|--svg) .*\.(ts|svg)`\n$/);
    expect(readFileSync(join(dir, 'm.nn'), 'utf8')).toBe(ok);
  });
});
