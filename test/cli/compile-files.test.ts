import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { compile } from '../../src/compile.js';
import { fakeIO } from './support/fake-io.js';

const root = join(import.meta.dirname, '../..');
const models = readFileSync(join(root, 'test/bundler/fixtures/app/models.nn'), 'utf8');
const wideDeep = readFileSync(join(root, 'examples/wide_deep.nn'), 'utf8');

describe('nnc compile of several files', () => {
  test('--out-dir writes one module per model, keeping the folders below the one the inputs share', async () => {
    const fake = fakeIO({ files: { 'src/models.nn': models, 'src/deep/wide_deep.nn': wideDeep } });
    expect(await main(['compile', 'src/**/*.nn', '--out-dir', 'gen/'], fake.io)).toBe(0);
    expect(fake.stderr()).toBe(
      'compiled WideDeep (src/deep/wide_deep.nn) -> gen/deep/wide_deep.ts\ncompiled Tiny (src/models.nn) -> gen/models.Tiny.ts\ncompiled Wide (src/models.nn) -> gen/models.Wide.ts\n3 modules written into gen/\n',
    );
    expect(fake.files.get('gen/deep/wide_deep.ts')).toBe((await compile(wideDeep, { filename: 'src/deep/wide_deep.nn' })).code);
    expect(fake.files.get('gen/models.Wide.ts')).toBe((await compile(models, { filename: 'src/models.nn', model: 'Wide' })).code);
  });

  test('--out-dir with --js and --model; a file with errors writes nothing and fails, the others are written', async () => {
    const broken = wideDeep.replace('concat(wide, hidden)', 'concat(wide, hiden)');
    const fake = fakeIO({ files: { 'a.nn': broken, 'b.nn': wideDeep } });
    expect(await main(['compile', 'a.nn', 'b.nn', '--out-dir', 'out', '--js'], fake.io)).toBe(1);
    expect(fake.stderr()).toContain('error[E2001]: cannot find `hiden` in this scope');
    expect(fake.stderr()).toContain('1 module written into out; 1 failed\n');
    expect([...fake.files.keys()].filter((f) => f.startsWith('out/'))).toEqual(['out/b.js']);
    const one = fakeIO({ files: { 'm.nn': models } });
    expect(await main(['compile', 'm.nn', '--out-dir', 'out', '--model', 'Tiny'], one.io)).toBe(0);
    expect([...one.files.keys()].filter((f) => f.startsWith('out/'))).toEqual(['out/m.ts']);
  });

  test('several files without --out-dir, or --out-dir with -o or another target, are usage errors', async () => {
    for (const argv of [['compile', 'a.nn', 'b.nn'], ['compile', 'a.nn', '--out-dir', 'o', '-o', 'x.ts'], ['compile', 'a.nn', '--out-dir', 'o', '--target', 'onnx']]) {
      const fake = fakeIO({ files: { 'a.nn': wideDeep, 'b.nn': wideDeep } });
      expect(await main(argv, fake.io)).toBe(2);
      expect(fake.stderr()).toMatch(/^error: (several files|--out-dir writes TensorFlow.js modules)/);
    }
  });

  test('--watch compiles again when the file changes, and stops on Ctrl-C', { timeout: 120_000 }, async () => {
    const dir = join(root, 'test/.tmp/compile-watch');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(root, 'test/.tmp/.gitignore'), '*\n');
    const file = join(dir, 'm.nn');
    writeFileSync(file, wideDeep);
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/bin.ts'), 'compile', file, '-o', join(dir, 'm.ts'), '--watch'], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let err = '';
    const seen = (text: string, count: number) =>
      new Promise<void>((done, fail) => {
        const look = () => (err.split(text).length - 1 >= count ? done() : undefined);
        child.stderr.on('data', (chunk: Buffer) => ((err += chunk.toString()), look()));
        child.on('exit', () => fail(new Error(`nnc exited before printing ${text} ${count} times:\n${err}`)));
        look();
      });
    try {
      await seen('watching for changes', 1);
      expect(err).toContain(`compiled WideDeep (5 layers, 1,207 params) -> ${join(dir, 'm.ts')}`);
      writeFileSync(file, wideDeep.replace('input wide: [5]', 'input wide: [7]'));
      await seen('compiled WideDeep (5 layers, 1,209 params)', 1);
      expect(err).toContain('change detected, compiling again');
      expect(readFileSync(join(dir, 'm.ts'), 'utf8')).toContain("{ name: 'wide', shape: [null, 7], dtype: 'float32' }");
      writeFileSync(file, wideDeep.replace('concat(wide, hidden)', 'concat(wide, hiden)'));
      await seen('error[E2001]: cannot find `hiden` in this scope', 1);
      await seen('error: could not compile', 1);
      expect(readFileSync(join(dir, 'm.ts'), 'utf8')).toContain('shape: [null, 7]');
      const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
      child.kill('SIGINT');
      expect(await exit).toBe(130);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      expect(existsSync(join(dir, 'm.ts'))).toBe(true);
    }
  });

  test('--watch with --out-dir over a folder compiles a file added in a new subfolder', { timeout: 120_000 }, async () => {
    const dir = join(root, 'test/.tmp/compile-watch-dir');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(join(root, 'test/.tmp/.gitignore'), '*\n');
    writeFileSync(join(dir, 'src/a.nn'), wideDeep);
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/bin.ts'), 'compile', 'src', '--out-dir', 'gen', '--watch'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => void (err += chunk.toString()));
    const seen = (text: string) =>
      new Promise<void>((done, fail) => {
        const timer = setInterval(() => (err.includes(text) ? (clearInterval(timer), done()) : undefined), 20);
        child.on('exit', () => (clearInterval(timer), fail(new Error(`nnc exited before printing ${text}:\n${err}`))));
      });
    try {
      await seen('watching for changes');
      expect(existsSync(join(dir, 'gen/a.ts'))).toBe(true);
      mkdirSync(join(dir, 'src/more'));
      writeFileSync(join(dir, 'src/more/b.nn'), models);
      await seen('compiled Wide (src/more/b.nn) -> gen/more/b.Wide.ts');
      expect(readFileSync(join(dir, 'gen/more/b.Tiny.ts'), 'utf8')).toContain("export const modelName = 'Tiny';");
    } finally {
      child.kill('SIGINT');
    }
  });
});
