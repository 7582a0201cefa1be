import { readdirSync, watch, type FSWatcher } from 'node:fs';
import { dirname, join } from 'node:path';
import { ExitCode, type CliIO } from './io.js';

const GLOB = /[*?[]/;

/** The folder to watch for an argument: a file's own folder, a folder itself (and below), a pattern's fixed part (and below). */
async function watchedFolder(arg: string, io: CliIO): Promise<{ path: string; below: boolean }> {
  if (GLOB.test(arg)) {
    const parts = arg.split('/');
    return { path: parts.slice(0, parts.findIndex((p) => GLOB.test(p))).join('/') || '.', below: true };
  }
  if ((await io.kind(arg)) === 'directory') return { path: arg, below: true };
  return { path: dirname(arg), below: false };
}

/** `path` and, with `below`, every folder under it but `node_modules` and dot folders, as input-files.ts walks them. */
function foldersOf(path: string, below: boolean): string[] {
  if (!below) return [path];
  const found = [path];
  try {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) found.push(...foldersOf(join(path, entry.name), true));
    }
  } catch {
    // gone meanwhile
  }
  return found;
}

/**
 * `--watch`: runs `pass` again whenever a `.nn` file below what the command line names changes,
 * appears or goes (a pattern or folder picks up new files), until Ctrl-C. Changes within 100 ms
 * of each other make one pass; a change during a pass makes one more after it.
 */
export async function watchInputs(args: readonly string[], io: CliIO, pass: () => Promise<number>): Promise<number> {
  const state = { timer: undefined as ReturnType<typeof setTimeout> | undefined, running: false, again: false, refresh: () => undefined as void };
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
      state.refresh();
      io.stderr('watching for changes (Ctrl-C stops)\n');
    } while (state.again);
    state.running = false;
  };
  const changed = (name: string | null) => {
    // A new folder may hold .nn files; anything else that is not a .nn file is not an input.
    if (name !== null && !name.endsWith('.nn') && /\.[^/]*$/.test(name)) return;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => void run(), 100);
  };
  const roots = new Map<string, boolean>();
  for (const arg of args) {
    const { path, below } = await watchedFolder(arg, io);
    roots.set(path, (roots.get(path) ?? false) || below);
  }
  // One watcher per folder (recursive watching would walk node_modules too); folders made since are added after each pass.
  const watched = new Map<string, FSWatcher>();
  const watchFolders = () => {
    for (const [root, below] of roots) {
      for (const path of foldersOf(root, below)) {
        if (watched.has(path)) continue;
        try {
          watched.set(path, watch(path, (_event, name) => changed(name === null ? null : String(name))));
        } catch (error) {
          io.stderr(`error: cannot watch \`${path}\`: ${String(error)}\n`);
        }
      }
    }
  };
  watchFolders();
  state.refresh = watchFolders;
  io.stderr('watching for changes (Ctrl-C stops)\n');
  return new Promise((done) => {
    process.once('SIGINT', () => {
      for (const w of watched.values()) w.close();
      clearTimeout(state.timer);
      done(ExitCode.interrupted);
    });
  });
}
