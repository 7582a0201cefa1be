import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, test } from 'vitest';
import * as plugin from '../../src/prettier/plugin.js';
import { format } from '../../src/print/format.js';

/**
 * The prettier plugin is the formatter behind prettier's API: a `.nn` file formats exactly as
 * `nnc fmt` formats it (at prettier's printWidth), ```nn blocks in Markdown too, and a file
 * with a syntax error is a prettier syntax error with its location.
 */
const root = join(import.meta.dirname, '..', '..');
const messy = 'model M{input x:[4]\n  output y=x->dense(8,relu)->dense(1)  # out\n}\n';

describe('prettier --plugin nnc/prettier', () => {
  test('formats a .nn file as nnc fmt does', async () => {
    const expected = format(messy);
    expect(expected.ok).toBe(true);
    expect(await prettier.format(messy, { filepath: 'model.nn', plugins: [plugin] })).toBe(expected.ok && expected.text);
  });

  test('follows printWidth', async () => {
    const narrow = await prettier.format(messy, { parser: 'nn', plugins: [plugin], printWidth: 30 });
    const expected = format(messy, { width: 30 });
    expect(narrow).toBe(expected.ok && expected.text);
    expect(narrow).toContain('\n    -> dense(8, relu)\n');
  });

  test('formats ```nn blocks in Markdown and leaves the prose alone', async () => {
    const markdown = `# Title\n\nSome *prose*.\n\n\`\`\`nn\n${messy}\`\`\`\n`;
    const formatted = await prettier.format(markdown, { parser: 'markdown', plugins: [plugin] });
    const expected = format(messy);
    expect(formatted).toBe(`# Title\n\nSome _prose_.\n\n\`\`\`nn\n${expected.ok && expected.text}\`\`\`\n`);
  });

  test('a syntax error is reported with its location', async () => {
    const failed = prettier.format('model M {\n  output y = x -> dense(1;\n}\n', { parser: 'nn', plugins: [plugin] });
    await expect(failed).rejects.toThrow('unexpected character `;` [E1001]');
    await expect(failed).rejects.toMatchObject({ loc: { start: { line: 2, column: 26 } } });
  });

  test('prettier\'s command line loads it and checks files with it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnc-prettier-'));
    try {
      writeFileSync(join(dir, 'model.nn'), messy);
      const run = (...args: string[]) =>
        spawnSync(process.execPath, ['--import', pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, join(root, 'node_modules', 'prettier', 'bin', 'prettier.cjs'), '--plugin', join(root, 'src', 'prettier', 'plugin.ts'), ...args], { cwd: dir, encoding: 'utf8' });
      const check = run('--check', 'model.nn');
      expect(check.status).toBe(1);
      expect(check.stdout + check.stderr).toContain('model.nn');
      expect(run('--write', 'model.nn').status).toBe(0);
      const expected = format(messy);
      expect(readFileSync(join(dir, 'model.nn'), 'utf8')).toBe(expected.ok && expected.text);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the package exports the plugin as nnc/prettier, from the build of this file', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(manifest.exports['./prettier']).toEqual({ types: './dist/src/prettier/plugin.d.ts', default: './dist/src/prettier/plugin.js' });
  });
});
