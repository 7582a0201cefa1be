import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** What `nnc fmt` needs to know of the file system to expand folders. */
export interface FileTree {
  isDirectory(path: string): Promise<boolean>;
  /** The entries of a folder, by name. */
  list(dir: string): Promise<string[]>;
}

export const nodeFileTree: FileTree = {
  isDirectory: async (path) => (await stat(path)).isDirectory(),
  list: (dir) => readdir(dir),
};

/** Folders never searched: dependencies, build output, version control and other hidden folders. */
const SKIPPED = new Set(['node_modules', 'dist']);

/**
 * The `.nn` files under the given paths, in a stable order, each once: a file stands for
 * itself (whatever its extension), a folder for every `.nn` file below it. A folder that
 * cannot be read rejects with its error.
 */
export async function findFiles(paths: readonly string[], tree: FileTree): Promise<string[]> {
  const found: string[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    if (!seen.has(file)) {
      seen.add(file);
      found.push(file);
    }
  };
  for (const path of paths) {
    // A path that does not exist is a file that cannot be read: reading it says so.
    const isDirectory = await tree.isDirectory(path).catch((error: { code?: string }) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    });
    if (!isDirectory) {
      add(path);
      continue;
    }
    const stack = [path];
    const files: string[] = [];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      for (const name of (await tree.list(dir)).sort()) {
        if (name.startsWith('.') || SKIPPED.has(name)) continue;
        const child = join(dir, name);
        if (await tree.isDirectory(child)) stack.push(child);
        else if (name.endsWith('.nn')) files.push(child);
      }
    }
    files.sort().forEach(add);
  }
  return found;
}
