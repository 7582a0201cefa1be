import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { CliIO } from './io.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Writes next to the target and renames over it: rename within one directory is atomic on
 * POSIX, so readers see the old file or the new one, never a prefix, and a failed write
 * leaves the old file as it was.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, { flag: 'wx' });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

export function nodeIO(): CliIO {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readFile: (path) => readFile(path, 'utf8'),
    readStdin,
    writeFileAtomic,
    mkdir: async (path) => void (await mkdir(path, { recursive: true })),
    remove: (path) => rm(path, { force: true }),
    kind: async (path) => {
      const found = await stat(path).catch(() => undefined);
      return found === undefined ? undefined : found.isDirectory() ? 'directory' : 'file';
    },
    readDir: (path) => readdir(path),
    sameFile: async (a, b) => {
      const [x, y] = await Promise.all([stat(a).catch(() => undefined), stat(b).catch(() => undefined)]);
      return x !== undefined && y !== undefined && x.dev === y.dev && x.ino === y.ino;
    },
    isTTY: process.stderr.isTTY === true,
    env: process.env,
  };
}
