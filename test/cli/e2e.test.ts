import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

/** The real process: argv, stdin, stdout/stderr and process.exitCode, through src/cli/bin.ts. */
const root = join(import.meta.dirname, '..', '..');

function nnc(args: string[], input?: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('nnc as a process', () => {
  test('check - reads stdin, prints the summary and exits 0', () => {
    const r = nnc(['check', '-'], readFileSync(join(root, 'examples', 'wide_deep.nn'), 'utf8'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Model: WideDeep\n');
    expect(r.out).toContain('Total params: 1,207 (trainable 1,207, non-trainable 0)\n');
  });

  test('check - with an error exits 1 with the rendered diagnostic on stderr', () => {
    const r = nnc(['check', '-'], 'model M {\n  input x: [2]\n  output y = x -> dense(1, reul)\n}\n');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain(' --> <stdin>:3:');
    expect(r.err).toContain('error: could not compile `<stdin>` due to 1 error\n');
  });

  test('a missing file exits 2', () => {
    const r = nnc(['check', 'does-not-exist.nn']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('error: cannot read `does-not-exist.nn`: no such file or directory\n');
  });

  test('--version exits 0', () => {
    const r = nnc(['--version']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
