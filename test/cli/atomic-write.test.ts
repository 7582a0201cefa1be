import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { nodeIO, writeFileAtomic } from '../../src/cli/node-io.js';

vi.mock('../../src/compile.js', () => import('./support/fake-compiler.js'));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nnc-atomic-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  test('creates a new file and leaves nothing else behind', async () => {
    await writeFileAtomic(join(dir, 'a.ts'), 'new\n');
    expect(readFileSync(join(dir, 'a.ts'), 'utf8')).toBe('new\n');
    expect(readdirSync(dir)).toEqual(['a.ts']);
  });

  test('replaces an existing file', async () => {
    writeFileSync(join(dir, 'a.ts'), 'old\n');
    await writeFileAtomic(join(dir, 'a.ts'), 'new\n');
    expect(readFileSync(join(dir, 'a.ts'), 'utf8')).toBe('new\n');
    expect(readdirSync(dir)).toEqual(['a.ts']);
  });

  test('a failed rename (target is a directory) removes the temp file', async () => {
    mkdirSync(join(dir, 'out.ts'));
    writeFileSync(join(dir, 'out.ts', 'keep'), 'x');
    await expect(writeFileAtomic(join(dir, 'out.ts'), 'new\n')).rejects.toMatchObject({ code: expect.stringMatching(/^E/) });
    expect(readdirSync(dir)).toEqual(['out.ts']);
    expect(readdirSync(join(dir, 'out.ts'))).toEqual(['keep']);
  });

  test('a missing directory fails without creating anything', async () => {
    await expect(writeFileAtomic(join(dir, 'no', 'a.ts'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(readdirSync(dir)).toEqual([]);
  });
});

/** Real files and the real atomic write; output captured instead of going to the test's terminal. */
function diskIO() {
  let err = '';
  let out = '';
  const io: CliIO = {
    ...nodeIO(),
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readFile: (path) => readFile(path, 'utf8'),
    readStdin: async () => '',
    writeFileAtomic,
    isTTY: false,
    env: {},
  };
  return { io, out: () => out, err: () => err };
}

describe('nnc compile -o on disk', () => {
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  test('success replaces the output and leaves no temp file', async () => {
    const input = write('m.nn', 'model M {}\n');
    const output = write('m.ts', 'old\n');
    const d = diskIO();
    expect(await main(['compile', input, '-o', output], d.io)).toBe(0);
    expect(readFileSync(output, 'utf8')).toContain("export const name = 'M'");
    expect(readdirSync(dir).sort()).toEqual(['m.nn', 'm.ts']);
  });

  test('errors keep the existing output byte for byte', async () => {
    const input = write('bad.nn', 'model M { hiden }\n');
    const output = write('m.ts', 'previous build\n');
    const d = diskIO();
    expect(await main(['compile', input, '-o', output], d.io)).toBe(1);
    expect(readFileSync(output, 'utf8')).toBe('previous build\n');
    expect(readdirSync(dir).sort()).toEqual(['bad.nn', 'm.ts']);
  });

  test('errors do not create a missing output', async () => {
    const input = write('bad.nn', 'model M { hiden }\n');
    const d = diskIO();
    expect(await main(['compile', input, '-o', join(dir, 'm.ts')], d.io)).toBe(1);
    expect(readdirSync(dir)).toEqual(['bad.nn']);
  });

  test('an unwritable output is exit 2 and leaves nothing half-written', async () => {
    const input = write('m.nn', 'model M {}\n');
    mkdirSync(join(dir, 'm.ts'));
    const d = diskIO();
    expect(await main(['compile', input, '-o', join(dir, 'm.ts')], d.io)).toBe(2);
    expect(d.err()).toMatch(/^error: cannot write `.*m\.ts`: /);
    expect(readdirSync(dir).sort()).toEqual(['m.nn', 'm.ts']);
    expect(readdirSync(join(dir, 'm.ts'))).toEqual([]);
  });

  test('an output in a missing directory is exit 2: no such file or directory', async () => {
    const input = write('m.nn', 'model M {}\n');
    const d = diskIO();
    expect(await main(['compile', input, '-o', join(dir, 'missing', 'm.ts')], d.io)).toBe(2);
    expect(d.err()).toContain(': no such file or directory\n');
    expect(readdirSync(dir)).toEqual(['m.nn']);
  });

  test('a directory as the input of compile, without --out-dir, is exit 2', async () => {
    const d = diskIO();
    expect(await main(['compile', dir], d.io)).toBe(2);
    expect(d.err()).toBe('error: several files (a folder or a pattern) are compiled with --out-dir DIR, one module per model\n');
  });
});
