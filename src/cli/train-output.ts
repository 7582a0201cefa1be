import { randomBytes } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import type { PendingUndo } from './interrupt.js';
import { basename, dirname, join, resolve } from 'node:path';

/** File name to content. */
export type RunFiles = Record<string, string | Uint8Array>;

/** The file operations the run folder needs, so that tests can make one fail half-way. */
export interface FolderFs {
  mkdir(path: string, options: { recursive: boolean }): Promise<unknown>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { recursive: boolean; force: boolean }): Promise<void>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<{ isDirectory(): boolean }>;
}

export const nodeFolderFs: FolderFs = {
  mkdir: (path, options) => fsp.mkdir(path, options),
  writeFile: (path, data) => fsp.writeFile(path, data, { flag: 'wx' }),
  rename: fsp.rename,
  rm: fsp.rm,
  readdir: (path) => fsp.readdir(path),
  stat: fsp.stat,
};

/** Files by which an existing folder is recognised as an earlier run, and so may be replaced. */
const RUN_MARKERS = ['history.json', 'model.json'];

/** Why `dir` cannot take a run's files (it is a file, or a folder holding something else), or undefined. */
export async function outputProblem(dir: string, fs: FolderFs = nodeFolderFs): Promise<string | undefined> {
  let stat;
  try {
    stat = await fs.stat(dir);
  } catch {
    return undefined;
  }
  if (!stat.isDirectory()) return `\`${dir}\` is a file; --out names the folder a run is written to`;
  const entries = await fs.readdir(dir);
  if (entries.length === 0 || entries.some((e) => RUN_MARKERS.includes(e))) return undefined;
  return `\`${dir}\` is a folder that does not hold an nnc run (no ${RUN_MARKERS.join(' or ')}), and nnc will not replace it: choose another --out`;
}

/**
 * Writes every file into a fresh folder beside `dir`, then renames it into place, so that `dir`
 * is either the earlier run or the complete new one and never a half-written model. An earlier
 * run is first renamed aside and removed once the new one is in place; on any failure the
 * partial folder is removed and the earlier run put back. `pending`, when given, holds what a
 * process quitting in the middle (a second Ctrl-C) must undo to leave the same state behind.
 */
export async function writeRunFolder(dir: string, files: RunFiles, fs: FolderFs = nodeFolderFs, pending?: PendingUndo): Promise<void> {
  const target = resolve(dir);
  const parent = dirname(target);
  const tag = `${process.pid}.${randomBytes(4).toString('hex')}`;
  const stage = join(parent, `.${basename(target)}.${tag}.tmp`);
  const aside = join(parent, `.${basename(target)}.${tag}.old`);
  await fs.mkdir(parent, { recursive: true });
  await fs.mkdir(stage, { recursive: false });
  let movedAside = false;
  let placed = false;
  // Synchronous, for a signal handler: back to the earlier run, or on to the new one, never in between.
  const remove = pending?.add(() => {
    if (!placed) {
      rmSync(stage, { recursive: true, force: true });
      if (movedAside) renameSync(aside, target);
    } else if (movedAside) {
      rmSync(aside, { recursive: true, force: true });
    }
  });
  try {
    for (const [name, content] of Object.entries(files)) await fs.writeFile(join(stage, name), content);
    try {
      await fs.rename(target, aside);
      movedAside = true;
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
    }
    await fs.rename(stage, target);
    placed = true;
  } catch (error) {
    await fs.rm(stage, { recursive: true, force: true }).catch(() => undefined);
    if (movedAside) await fs.rename(aside, target).catch(() => undefined);
    remove?.();
    throw error;
  }
  if (movedAside) await fs.rm(aside, { recursive: true, force: true }).catch(() => undefined);
  remove?.();
}

/** Whether `dir` holds a run with a trained model (of either engine), which a run without one must not replace. */
export async function holdsModel(dir: string, fs: FolderFs = nodeFolderFs): Promise<boolean> {
  try {
    const entries = await fs.readdir(dir);
    return entries.includes('model.json') || entries.includes('model.pt');
  } catch {
    return false;
  }
}
