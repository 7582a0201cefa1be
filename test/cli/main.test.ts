import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { diagnosticsDocPath } from '../../src/cli/package-root.js';
import { fakeIO, type FakeIOOptions } from './support/fake-io.js';

// The CLI's contract is tested against a stand-in compiler; cli-real.test.ts runs the real one.
vi.mock('../../src/compile.js', () => import('./support/fake-compiler.js'));

const TWO_MODELS = 'model A {\n}\nmodel B {\n}\n';
const ONE_MODEL = 'model B {\n}\n';
const WITH_ERROR = 'model A {\n  merged = concat(wide, hiden)\n}\n';
const WITH_WARNING = 'model A {\n  input unused: [3]\n}\n';

async function run(argv: string[], options: FakeIOOptions = {}) {
  const fake = fakeIO({ ...options, files: { 'one.nn': ONE_MODEL, 'two.nn': TWO_MODELS, 'bad.nn': WITH_ERROR, 'warn.nn': WITH_WARNING, ...options.files } });
  const code = await main(argv, fake.io);
  return { code, out: fake.stdout(), err: fake.stderr(), files: fake.files };
}

const ESC = '\u001b[';

describe('nnc check', () => {
  test('a clean file prints each summary table on stdout and exits 0', async () => {
    const r = await run(['check', 'two.nn']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain('Model: A\n');
    expect(r.out).toContain('Model: B\n');
    expect(r.out).toContain('Total params: 2,041 (trainable 2,041, non-trainable 0)\n');
  });

  test('--model prints only that model', async () => {
    const r = await run(['check', 'two.nn', '--model', 'B']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Model: B');
    expect(r.out).not.toContain('Model: A');
  });

  test('--model with a name not in the file is an E2015 error listing the models', async () => {
    const r = await run(['check', 'two.nn', '--model', 'C']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('error[E2015]: there is no model named `C` (models in this file: `A`, `B`)');
  });

  test('errors are rendered on stderr, no table, exit 1', async () => {
    const r = await run(['check', 'bad.nn']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      [
        'error[E2001]: cannot find `hiden` in this scope',
        ' --> bad.nn:2:25',
        '  |',
        '2 |   merged = concat(wide, hiden)',
        '  |                         ^^^^^',
        '  |',
        '  = help: did you mean `hidden`?',
        '',
        'error: could not compile `bad.nn` due to 1 error',
        '',
      ].join('\n'),
    );
  });

  test('warnings alone still exit 0 and print the table', async () => {
    const r = await run(['check', 'warn.nn']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning[W3003]: input `unused` is never used');
    expect(r.err).toContain('warning: `warn.nn` generated 1 warning\n');
    expect(r.out).toContain('Model: A');
  });

  test('- reads stdin and calls it <stdin>', async () => {
    const r = await run(['check', '-'], { stdin: WITH_ERROR });
    expect(r.code).toBe(1);
    expect(r.err).toContain(' --> <stdin>:2:25');
    expect(r.err).toContain('could not compile `<stdin>`');
  });

  test('a byte order mark does not shift columns', async () => {
    const r = await run(['check', 'bom.nn'], { files: { 'bom.nn': '\uFEFFhiden model A {}' } });
    expect(r.err).toContain(' --> bom.nn:1:1');
    expect(r.err).toContain('1 | hiden model A {}\n  | ^^^^^\n');
  });

  test('a missing file is an IO error, exit 2', async () => {
    const r = await run(['check', 'x.nn']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('error: cannot read `x.nn`: no such file or directory\n');
    expect(r.out).toBe('');
  });

  test('--json prints diagnostics with spans and filenames on stdout only', async () => {
    const r = await run(['check', 'bad.nn', '--json']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    const json = JSON.parse(r.out);
    expect(json.ok).toBe(false);
    expect(json.diagnostics).toEqual([
      {
        code: 'E2001',
        severity: 'error',
        message: 'cannot find `hiden` in this scope',
        filename: 'bad.nn',
        span: { start: { offset: 34, line: 2, column: 25 }, end: { offset: 39, line: 2, column: 30 } },
        labels: [],
        help: 'did you mean `hidden`?',
      },
    ]);
  });

  test('--json on a clean file has ok and the summaries', async () => {
    const r = await run(['check', 'two.nn', '--json', '--model', 'A']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.ok).toBe(true);
    expect(json.diagnostics).toEqual([]);
    expect(json.summary.map((s: { model: string }) => s.model)).toEqual(['A']);
    expect(json.summary[0].totalParams).toBe(2041);
  });

  test.each([
    ['a terminal', [], { isTTY: true }, true],
    ['a pipe', [], { isTTY: false }, false],
    ['NO_COLOR on a terminal', [], { isTTY: true, env: { NO_COLOR: '1' } }, false],
    ['an empty NO_COLOR', [], { isTTY: true, env: { NO_COLOR: '' } }, true],
    ['--color on a pipe', ['--color'], { isTTY: false }, true],
    ['--color despite NO_COLOR', ['--color'], { isTTY: false, env: { NO_COLOR: '1' } }, true],
    ['--no-color on a terminal', ['--no-color'], { isTTY: true }, false],
  ] as Array<[string, string[], FakeIOOptions, boolean]>)('color on %s: %s', async (_, flags, options, colored) => {
    const r = await run(['check', 'bad.nn', ...flags], options);
    expect(r.code).toBe(1);
    expect(r.err.includes(ESC)).toBe(colored);
  });
});

describe('nnc compile', () => {
  test('without -o the code goes to stdout and the note to stderr', async () => {
    const r = await run(['compile', 'one.nn']);
    expect(r.code).toBe(0);
    expect(r.out).toBe("// ts for B from one.nn\nexport const name = 'B';\n");
    expect(r.err).toBe('compiled B (2 layers, 2,041 params) -> <stdout>\n');
  });

  test('-o writes the file, stdout stays empty', async () => {
    const r = await run(['compile', 'one.nn', '-o', 'out/model.ts']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.files.get('out/model.ts')).toBe("// ts for B from one.nn\nexport const name = 'B';\n");
    expect(r.err).toBe('compiled B (2 layers, 2,041 params) -> out/model.ts\n');
  });

  test.each([
    [['-o', 'm.js'], 'm.js', 'js'],
    [['-o', 'm.mjs'], 'm.mjs', 'js'],
    [['-o', 'm.ts'], 'm.ts', 'ts'],
    [['-o', 'm.out'], 'm.out', 'ts'],
    [['-o', 'm.ts', '--js'], 'm.ts', 'js'],
  ])('format from %j', async (flags, path, format) => {
    const r = await run(['compile', 'one.nn', ...flags]);
    expect(r.code).toBe(0);
    expect(r.files.get(path)).toMatch(new RegExp(`^// ${format} for B`));
  });

  test('--output is -o; --emit code is the default', async () => {
    const r = await run(['compile', 'one.nn', '--output', 'm.ts', '--emit', 'code']);
    expect(r.code).toBe(0);
    expect(r.files.get('m.ts')).toMatch(/^\/\/ ts for B/);
  });

  test('--color and --no-color apply to compile diagnostics too', async () => {
    expect((await run(['compile', 'bad.nn', '--color'])).err).toContain(ESC);
    expect((await run(['compile', 'bad.nn', '--no-color'], { isTTY: true })).err).not.toContain(ESC);
  });

  test('--js without -o emits JavaScript on stdout; -o - means stdout too', async () => {
    expect((await run(['compile', 'one.nn', '--js'])).out).toMatch(/^\/\/ js for B/);
    const dash = await run(['compile', 'one.nn', '-o', '-']);
    expect(dash.out).toMatch(/^\/\/ ts for B/);
    expect(dash.files.has('-')).toBe(false);
  });

  test('several models need --model', async () => {
    const r = await run(['compile', 'two.nn', '-o', 'm.ts']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[E2023]: this file declares 2 models; choose the one to compile');
    expect(r.files.has('m.ts')).toBe(false);
  });

  test('--model picks the model', async () => {
    const r = await run(['compile', 'two.nn', '--model', 'A']);
    expect(r.out).toContain("export const name = 'A'");
    expect(r.err).toContain('compiled A ');
  });

  test('--model with an unknown name is an error and writes nothing', async () => {
    const r = await run(['compile', 'two.nn', '--model', 'Z', '-o', 'm.ts']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[E2015]: there is no model named `Z`');
    expect(r.files.has('m.ts')).toBe(false);
  });

  test('--emit ir writes the IR of the selected model as pretty JSON', async () => {
    const r = await run(['compile', 'one.nn', '--emit', 'ir', '-o', 'm.ir.json']);
    expect(r.code).toBe(0);
    const text = r.files.get('m.ir.json')!;
    expect(text).toMatch(/^\{\n  "version": 1,/);
    const ir = JSON.parse(text);
    expect(ir.filename).toBe('one.nn');
    expect(ir.models.map((m: { name: string }) => m.name)).toEqual(['B']);
  });

  test('errors: exit 1, diagnostics on stderr, an existing output keeps its content', async () => {
    const r = await run(['compile', 'bad.nn', '-o', 'm.ts'], { files: { 'm.ts': 'old content\n' } });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('error[E2001]');
    expect(r.err).not.toContain('compiled');
    expect(r.files.get('m.ts')).toBe('old content\n');
  });

  test('errors: a missing output is not created', async () => {
    const r = await run(['compile', 'bad.nn', '-o', 'm.ts']);
    expect(r.code).toBe(1);
    expect(r.files.has('m.ts')).toBe(false);
  });

  test('an unwritable output is exit 2 with a message, old content kept', async () => {
    const r = await run(['compile', 'one.nn', '-o', 'm.ts'], { files: { 'm.ts': 'old\n' }, failWrite: 'EACCES' });
    expect(r.code).toBe(2);
    expect(r.err).toBe('error: cannot write `m.ts`: permission denied\n');
    expect(r.files.get('m.ts')).toBe('old\n');
  });

  test('warnings are shown and the code is still written', async () => {
    const r = await run(['compile', 'warn.nn', '-o', 'm.ts']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning[W3003]');
    expect(r.err).toContain('compiled A (2 layers, 2,041 params) -> m.ts');
    expect(r.files.has('m.ts')).toBe(true);
  });

  test('--json without -o carries the code; stderr stays empty', async () => {
    const r = await run(['compile', 'one.nn', '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ ok: true, diagnostics: [], model: 'B', code: "// ts for B from one.nn\nexport const name = 'B';\n" });
    expect(json.summary.map((s: { model: string }) => s.model)).toEqual(['B']);
  });

  test('--json with -o names the output and writes it', async () => {
    const r = await run(['compile', 'one.nn', '--json', '-o', 'm.js']);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ ok: true, model: 'B', output: 'm.js' });
    expect(json.code).toBeUndefined();
    expect(r.files.get('m.js')).toMatch(/^\/\/ js for B/);
  });

  test('--json --emit ir carries the IR as an object', async () => {
    const json = JSON.parse((await run(['compile', 'one.nn', '--json', '--emit', 'ir'])).out);
    expect(json.ir.models[0].name).toBe('B');
  });

  test('--json with errors: ok false, exit 1, nothing written', async () => {
    const r = await run(['compile', 'bad.nn', '--json', '-o', 'm.ts']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, diagnostics: [{ code: 'E2001', filename: 'bad.nn' }] });
    expect(r.files.has('m.ts')).toBe(false);
  });

  test('a missing input is exit 2', async () => {
    const r = await run(['compile', 'nope.nn', '-o', 'm.ts']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('error: cannot read `nope.nn`: no such file or directory\n');
  });
});

describe('nnc explain', () => {
  const docs = [
    '# Diagnostics',
    '',
    '## E2001 undefined name',
    '',
    'A name is used that nothing defines.',
    '',
    '```nn',
    '## a comment in an example, not a heading',
    'model M { input x: [2] output y = z -> dense(1) }',
    '```',
    '',
    '## E2002 name defined twice',
    '',
    'Two definitions share a name.',
    '',
  ].join('\n');
  const withDocs = { files: { [diagnosticsDocPath()]: docs } };

  test('prints the section up to the next heading, fenced `##` included', async () => {
    const r = await run(['explain', 'E2001'], withDocs);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${docs.split('\n').slice(2, 10).join('\n')}\n`);
    expect(r.out).not.toContain('E2002');
  });

  test('the last section runs to the end of the file; codes are case-insensitive', async () => {
    const r = await run(['explain', 'e2002'], withDocs);
    expect(r.code).toBe(0);
    expect(r.out).toBe('## E2002 name defined twice\n\nTwo definitions share a name.\n');
  });

  test('an unknown code suggests close ones, exit 2', async () => {
    const r = await run(['explain', 'E2301'], withDocs);
    expect(r.code).toBe(2);
    expect(r.err).toBe('error: unknown diagnostic code `E2301`\nhelp: did you mean `E2001`?\n');
  });

  test('a code far from any known one says what codes look like', async () => {
    const r = await run(['explain', 'banana'], withDocs);
    expect(r.code).toBe(2);
    expect(r.err).toContain('error: unknown diagnostic code `banana`\nhelp: codes look like `E2001`');
  });

  test('missing docs: exit 2 with the path and the short title', async () => {
    const r = await run(['explain', 'W3003']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `error: cannot read the explanations in \`${diagnosticsDocPath()}\`: no such file or directory\n` +
        'note: W3003 (warning): unused input\n',
    );
  });

  test('a known code without a section: exit 2', async () => {
    const r = await run(['explain', 'E3001'], withDocs);
    expect(r.code).toBe(2);
    expect(r.err).toContain('has no section for E3001');
    expect(r.err).toContain('note: E3001 (error): cycle in the graph');
  });

  test('the docs path is the package docs folder', () => {
    expect(diagnosticsDocPath()).toBe(join(import.meta.dirname, '..', '..', 'docs', 'diagnostics.md'));
  });
});

describe('usage', () => {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8'));

  test.each([['--version'], ['-V']])('%s prints the package version', async (flag) => {
    const r = await run([flag]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${pkg.version}\n`);
  });

  test.each([[['--help']], [['-h']], [['check', '--help']], [['compile', '--help']], [['help', 'explain']]])(
    '%j prints help on stdout, exit 0',
    async (argv) => {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^Usage: nnc/);
      expect(r.err).toBe('');
    },
  );

  test('no command: help on stderr, exit 2', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^Usage: nnc \[options\] \[command\]/);
  });

  test.each([
    [['frob'], "error: unknown command 'frob'", 'usage: nnc [options] [command]'],
    [['check'], "error: missing required argument 'files'", 'usage: nnc check [options] <files...>'],
    [['explain', 'E2001', 'E2002'], 'error: too many arguments', 'usage: nnc explain [options] <code>'],
    [['check', 'two.nn', '--bogus'], "error: unknown option '--bogus'", 'usage: nnc check [options] <files...>'],
    [['check', 'two.nn', '--model'], "error: option '--model <name>' argument missing", 'usage: nnc check'],
    [['compile', 'two.nn', '--emit', 'wasm'], "argument 'wasm' is invalid", 'usage: nnc compile [options] <files...>'],
    [['explain'], "error: missing required argument 'code'", 'usage: nnc explain [options] <code>'],
  ])('%j is a usage error with a hint, exit 2', async (argv, message, usage) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(message);
    expect(r.err).toContain(usage);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  test('an internal crash is reported without a stack, exit 3; NNC_BACKTRACE=1 shows it', async () => {
    const files = { 'boom.nn': 'model A { boom }' };
    const plain = await run(['check', 'boom.nn'], { files });
    expect(plain.code).toBe(3);
    expect(plain.err).toContain('error: internal compiler error: Error: fake compiler crashed\n');
    expect(plain.err).not.toMatch(/\n\s+at /);
    const traced = await run(['check', 'boom.nn'], { files, env: { NNC_BACKTRACE: '1' } });
    expect(traced.err).toMatch(/\n\s+at /);
  });

  test('concurrent runs keep their own state and output', async () => {
    const [a, b] = await Promise.all([run(['check', 'bad.nn']), run(['compile', 'two.nn', '--model', 'A'])]);
    expect([a.code, b.code]).toEqual([1, 0]);
    expect(a.out).toBe('');
    expect(b.out).toContain("'A'");
  });
});
