import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fakeIO } from '../cli/support/fake-io.js';

/**
 * A build tool's path to the renderer: the package as npm would install it (this project built
 * with tsconfig.build.json, its package.json, `node_modules/nnc` pointing at it), a consumer
 * that imports `nnc` and `nnc/diagnostics` by name, type-checked by tsc under NodeNext (which
 * reads the `exports` map and its `types`) and run by Node.
 */
const root = join(import.meta.dirname, '../..');
const dir = join(root, 'test/.tmp/package-exports');
const pkg = join(dir, 'nnc');
const consumer = join(dir, 'consumer');
const source = 'model M {\n  input x: [4]\n  h = x -> dense(8, rleu)\n  output y = h -> dense(1)\n}\n';

const consumerCode = `import { check, renderReport as fromMain, type Diagnostic as MainDiagnostic } from 'nnc';
import { renderReport, renderDiagnostic, diagnosticByCode, hasErrors, type Diagnostic, type RenderOptions } from 'nnc/diagnostics';
import { readFileSync } from 'node:fs';

const source: string = readFileSync(process.argv[2]!, 'utf8');
const result = check(source, { filename: 'model.nn' });
const diagnostics: Diagnostic[] = result.diagnostics;
const same: MainDiagnostic[] = diagnostics;
const options: RenderOptions = { color: false };
if (fromMain !== renderReport) throw new Error('nnc and nnc/diagnostics export different renderers');
process.stdout.write(renderReport(diagnostics, source, 'model.nn', options));
process.stderr.write(JSON.stringify({ first: renderDiagnostic(same[0]!, source).split('\\n')[0], title: diagnosticByCode(diagnostics[0]!.code)?.title, errors: hasErrors(diagnostics) }));
`;

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  return { status: result.status, out: result.stdout + result.stderr, stdout: result.stdout, stderr: result.stderr };
}

describe('the package exports the diagnostic renderer and types', () => {
  beforeAll(() => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(consumer, 'node_modules'), { recursive: true });
    writeFileSync(join(root, 'test/.tmp/.gitignore'), '*\n');
    const build = run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(pkg, 'dist')], root);
    expect(build.out).toBe('');
    cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
    // The package's own dependencies resolve from the project's node_modules, as hoisted ones would.
    symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'), 'dir');
    symlinkSync(pkg, join(consumer, 'node_modules/nnc'), 'dir');
    symlinkSync(join(root, 'node_modules/@types'), join(consumer, 'node_modules/@types'), 'dir');
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
    writeFileSync(join(consumer, 'tool.ts'), consumerCode);
    writeFileSync(join(consumer, 'model.nn'), source);
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', types: ['node'], skipLibCheck: true, outDir: 'out' }, files: ['tool.ts'] }),
    );
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the exports map names nnc/diagnostics beside the main entry', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(manifest.exports['./diagnostics']).toEqual({ types: './dist/src/diagnostics/index.d.ts', default: './dist/src/diagnostics/index.js' });
  });

  test('a TypeScript tool imports them by name, type-checks, and renders as `nnc check` prints', async () => {
    const typecheck = run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], consumer);
    expect(typecheck.out).toBe('');
    expect(typecheck.status).toBe(0);
    const tool = run(process.execPath, [join(consumer, 'out/tool.js'), join(consumer, 'model.nn')], consumer);
    expect(tool.status).toBe(0);
    expect(JSON.parse(tool.stderr)).toEqual({ first: 'error[E2005]: unknown activation `rleu`', title: 'unknown activation', errors: true });

    const fake = fakeIO({ files: { 'model.nn': source }, env: { NO_COLOR: '1' } });
    expect(await main(['check', 'model.nn'], fake.io)).toBe(1);
    expect(tool.stdout).toBe(fake.stderr());
  });

  test('nnc/diagnostics loads no part of the compiler', () => {
    const loaded = run(process.execPath, ['--input-type=module', '-e', "const d = await import('nnc/diagnostics'); process.stdout.write(typeof d.renderReport);"], consumer);
    expect(loaded.stdout).toBe('function');
    const folder = join(pkg, 'dist/src/diagnostics');
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.js'))) {
      const imports = [...readFileSync(join(folder, file), 'utf8').matchAll(/(?:from|import) '([^']+)'/g)].map((m) => m[1]!);
      expect(imports.filter((path) => !/^\.\/[\w-]+\.js$/.test(path)), file).toEqual([]);
    }
  });
});
