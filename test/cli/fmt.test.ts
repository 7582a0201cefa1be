import { describe, expect, test } from 'vitest';
import { runFmt } from '../../src/cli/fmt/fmt-command.js';
import { main } from '../../src/cli/main.js';
import { format } from '../../src/print/format.js';
import { fakeIO, type FakeIOOptions } from './support/fake-io.js';

/** `nnc fmt`: in place, `--check`, stdin, folders, files with syntax errors, and failures to write. */
const messy = 'model M{input x:[4]\n  output y=x->dense(1)}\n';
const tidy = (format(messy) as { text: string }).text;
const broken = 'model M {\n  output y = x -> dense(1;\n}\n';

async function fmt(argv: string[], options: FakeIOOptions = {}) {
  const fake = fakeIO({ files: { 'messy.nn': messy, 'tidy.nn': tidy, 'broken.nn': broken, ...options.files }, ...options });
  const [, ...args] = argv;
  const flags = { check: args.includes('--check') };
  const code = await runFmt(args.filter((a) => a !== '--check'), flags, fake.io);
  return { code, out: fake.stdout(), err: fake.stderr(), files: fake.files };
}

describe('nnc fmt', () => {
  test('rewrites unformatted files in place and leaves formatted ones alone', async () => {
    const r = await fmt(['fmt', 'messy.nn', 'tidy.nn']);
    expect(r.code).toBe(0);
    expect(r.files.get('messy.nn')).toBe(tidy);
    expect(r.err).toBe('1 file reformatted, 1 file already formatted\n');
    expect(r.out).toBe('');
  });

  test('--check lists the unformatted files, changes nothing and exits 1', async () => {
    const r = await fmt(['fmt', '--check', 'messy.nn', 'tidy.nn']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('messy.nn\n');
    expect(r.files.get('messy.nn')).toBe(messy);
    expect((await fmt(['fmt', '--check', 'tidy.nn'])).code).toBe(0);
  });

  test('- formats stdin to stdout', async () => {
    const fake = fakeIO({ stdin: messy });
    expect(await main(['fmt', '-'], fake.io)).toBe(0);
    expect(fake.stdout()).toBe(tidy);
  });

  test('a file with syntax errors is left untouched, with its diagnostics, and the exit code is 1', async () => {
    const r = await fmt(['fmt', 'broken.nn', 'messy.nn']);
    expect(r.code).toBe(1);
    expect(r.files.get('broken.nn')).toBe(broken);
    expect(r.files.get('messy.nn')).toBe(tidy);
    expect(r.err).toContain('error[E1001]: unexpected character `;`\n --> broken.nn:2:26');
    expect(r.err).toContain('error: `broken.nn` has syntax errors; left unformatted');
  });

  test('folders and patterns are expanded as nnc check expands them, skipping hidden folders and node_modules', async () => {
    const files = { 'models/a.nn': messy, 'models/deep/b.nn': messy, 'models/notes.txt': 'x', 'models/.cache/c.nn': messy, 'models/node_modules/d.nn': messy };
    expect((await fmt(['fmt', '--check', 'models'], { files })).out).toBe('models/a.nn\nmodels/deep/b.nn\n');
    expect((await fmt(['fmt', '--check', 'models/**/b.nn'], { files })).out).toBe('models/deep/b.nn\n');
  });

  test('a path that does not exist, a failed write and a bad width are errors with exit code 2', async () => {
    const missing = await fmt(['fmt', 'missing']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('error: cannot read `missing`: no such file or directory\n');
    const failed = await fmt(['fmt', 'messy.nn'], { failWrite: 'EACCES' });
    expect(failed.code).toBe(2);
    expect(failed.err).toContain('error: cannot write `messy.nn`: permission denied');
    expect(failed.files.get('messy.nn')).toBe(messy);
    const fake = fakeIO({ files: { 'messy.nn': messy } });
    expect(await main(['fmt', '--width', '0', 'messy.nn'], fake.io)).toBe(2);
    expect(fake.stderr()).toContain('--width takes an integer of at least 1');
  });
});
