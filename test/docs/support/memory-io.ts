import type { CliIO } from '../../../src/cli/io.js';

/** A CliIO over an in-memory file map, capturing stdout and stderr, never a terminal. */
export function memoryIO(files: Map<string, string>): { io: CliIO; stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  const missing = (path: string) => Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
  const io: CliIO = {
    stdout: (text) => void (out += text),
    stderr: (text) => void (err += text),
    readFile: async (path) => {
      const text = files.get(path);
      if (text === undefined) throw missing(path);
      return text;
    },
    readStdin: async () => '',
    // Binary outputs (.onnx) are kept as Latin-1 text: the pages only show what is printed.
    writeFileAtomic: async (path, content) => void files.set(path, typeof content === 'string' ? content : new TextDecoder('latin1').decode(content)),
    kind: async (path) => {
      const clean = path.replace(/\/+$/, '');
      if (files.has(clean)) return 'file';
      return clean === '.' || [...files.keys()].some((f) => f.startsWith(`${clean}/`)) ? 'directory' : undefined;
    },
    readDir: async (path) => {
      const prefix = path === '.' ? '' : `${path.replace(/\/+$/, '')}/`;
      const names = [...files.keys()].filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length).split('/')[0]!);
      if (names.length === 0) throw Object.assign(new Error(`ENOENT: no such file or directory, scandir '${path}'`), { code: 'ENOENT' });
      return [...new Set(names)].sort();
    },
    sameFile: async (a, b) => files.has(a) && a.replace(/^\.\//, '') === b.replace(/^\.\//, ''),
    isTTY: false,
    env: {},
  };
  return { io, stdout: () => out, stderr: () => err };
}
