import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import { ExitCode, type CliIO } from './io.js';

const GLOB = /[*?[]/;

/** The folder to watch for an argument: a file's own folder, a folder itself (recursively), a pattern's fixed part. */
async function watchedFolder(arg: string, io: CliIO): Promise<{ path: string; recursive: boolean }> {
  if (GLOB.test(arg)) {
    const parts = arg.split('/');
    return { path: parts.slice(0, parts.findIndex((p) => GLOB.test(p))).join('/') || '.', recursive: true };
  }
  if ((await io.kind(arg)) === 'directory') return { path: arg, recursive: true };
  return { path: dirname(arg), recursive: false };
}

/**
 * `--watch`: runs `pass` again whenever a `.nn` file below what the command line names changes,
 * appears or goes (a pattern or folder picks up new files), until Ctrl-C. Changes within 100 ms
 * of each other make one pass; a change during a pass makes one more after it.
 */
export async function watchInputs(args: readonly string[], io: CliIO, pass: () => Promise<number>): Promise<number> {
  const watchers: FSWatcher[] = [];
  const state = { timer: undefined as ReturnType<typeof setTimeout> | undefined, running: false, again: false };
  const run = async () => {
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    do {
      state.again = false;
      io.stderr('change detected, compiling again\n');
      await pass().catch((error: unknown) => io.stderr(`error: ${String(error)}\n`));
      io.stderr('watching for changes (Ctrl-C stops)\n');
    } while (state.again);
    state.running = false;
  };
  const changed = (name: string | null) => {
    if (name !== null && !name.endsWith('.nn')) return;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => void run(), 100);
  };
  const folders = new Map<string, boolean>();
  for (const arg of args) {
    const { path, recursive } = await watchedFolder(arg, io);
    folders.set(path, (folders.get(path) ?? false) || recursive);
  }
  for (const [path, recursive] of folders) {
    try {
      watchers.push(watch(path, { recursive }, (_event, name) => changed(name === null ? null : String(name))));
    } catch (error) {
      io.stderr(`error: cannot watch \`${path}\`: ${String(error)}\n`);
    }
  }
  io.stderr('watching for changes (Ctrl-C stops)\n');
  return new Promise((done) => {
    process.once('SIGINT', () => {
      for (const w of watchers) w.close();
      clearTimeout(state.timer);
      done(ExitCode.interrupted);
    });
  });
}
