import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PendingUndo } from '../../src/cli/interrupt.js';
import { nodeFolderFs, writeRunFolder, type FolderFs } from '../../src/cli/train-output.js';

/**
 * Ctrl-C during `nnc train`, with a real child process and a real SIGINT: the first stops after
 * the current batch and writes what was trained, the second quits at once without leaving
 * half-written files.
 */
const root = join(import.meta.dirname, '../..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nnc-interrupt-'));
  writeFileSync(join(dir, 'slow.nn'), 'model Slow {\n  input x: [2]\n  output y = x -> dense(32, tanh) -> dense(1)\n  train { loss = mse epochs = 100000 batch_size = 2 validation_split = 0.25 seed = 1 }\n}\n');
  writeFileSync(join(dir, 'd.csv'), `x_0,x_1,y\n${Array.from({ length: 16 }, (_, i) => `${Math.sin(i)},${Math.cos(i)},${(i % 4) / 4}`).join('\n')}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `nnc train` and sends SIGINT once stdout shows `after`; with `twice`, again as soon as nnc says it is stopping (two signals sent together would arrive as one). */
function trainAndInterrupt(out: string, after: RegExp, twice: boolean): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/bin.ts'), 'train', join(dir, 'slow.nn'), '--data', join(dir, 'd.csv'), '--out', out, '--backend', 'cpu'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!sent && after.test(stdout)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    let again = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (twice && !again && stderr.includes('note: interrupted')) {
        again = true;
        child.kill('SIGINT');
      }
    });
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

describe('Ctrl-C during nnc train', () => {
  test('the first stops after the current batch and writes the history, the curves and the best weights seen', async () => {
    const out = join(dir, 'once');
    const run = await trainAndInterrupt(out, /^epoch +3\//m, false);
    expect(run.stderr).toContain('note: interrupted: stopping after this batch to write what was trained; Ctrl-C again quits at once, writing nothing');
    expect(run.code).toBe(130);
    expect(run.stdout).toMatch(/\ninterrupted (in epoch \d+, after batch \d of 6|after epoch \d+)\nkept the weights of epoch \d+, the best val_loss: loss /);
    expect(readdirSync(out).sort()).toEqual(['batches.csv', 'curves.png', 'curves.svg', 'curves.vl.json', 'history.csv', 'history.json', 'model.json', 'model.nn', 'weights.bin']);
    const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
    expect(history.status).toBe('interrupted');
    const best = history.epochs.reduce((a: { val_loss: number }, b: { val_loss: number }) => (b.val_loss < a.val_loss ? b : a));
    expect(history.bestEpoch).toBe(best.epoch);
    expect(history.epochs.length).toBeGreaterThanOrEqual(3);
    // Every recorded epoch is complete: an unfinished one leaves only its batches.
    expect(history.epochs.every((e: { epoch: number }, i: number) => e.epoch === i + 1)).toBe(true);
    expect(readFileSync(join(out, 'curves.vl.json'), 'utf8')).toContain(`saved model: epoch ${best.epoch}, the best val_loss`);
  }, 90_000);

  test('a second quits at once, leaving the earlier run as it was and no temporary files', async () => {
    const out = join(dir, 'twice', 'run');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'history.json'), '{"earlier": true}\n');
    writeFileSync(join(out, 'model.json'), '{"earlier": true}\n');
    const run = await trainAndInterrupt(out, /^epoch +2\//m, true);
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('note: quit at once: nothing was written');
    expect(readdirSync(join(dir, 'twice'))).toEqual(['run']);
    expect(readdirSync(out).sort()).toEqual(['history.json', 'model.json']);
    expect(readFileSync(join(out, 'model.json'), 'utf8')).toBe('{"earlier": true}\n');
  }, 90_000);

  test('quitting in the middle of writing the run folder puts the earlier run back and removes the partial one', async () => {
    const parent = join(dir, 'mid-write');
    const out = join(parent, 'run');
    await writeRunFolder(out, { 'history.json': 'old', 'model.json': 'old' });
    for (const stage of ['writing', 'moved aside'] as const) {
      const pending = new PendingUndo();
      let writes = 0;
      // The "signal" arrives during the second file, or between renaming the earlier run aside and the new one into place.
      const quitting: FolderFs = {
        ...nodeFolderFs,
        writeFile: async (path, data) => {
          if (stage === 'writing' && ++writes === 2) throw quit(pending);
          return nodeFolderFs.writeFile(path, data);
        },
        rename: async (from, to) => {
          if (stage === 'moved aside' && from.endsWith('.tmp')) throw quit(pending);
          return nodeFolderFs.rename(from, to);
        },
      };
      await expect(writeRunFolder(out, { 'history.json': 'new', 'model.json': 'new', 'weights.bin': new Uint8Array([1]) }, quitting, pending)).rejects.toThrow('quit');
      expect(readdirSync(parent), stage).toEqual(['run']);
      expect(readFileSync(join(out, 'model.json'), 'utf8')).toBe('old');
      expect(existsSync(join(out, 'weights.bin'))).toBe(false);
    }
  });
});

/** What the second Ctrl-C does before the process exits: undo every write in progress. */
function quit(pending: PendingUndo): Error {
  pending.undoAll();
  return new Error('quit');
}
