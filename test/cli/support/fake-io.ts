import type { CliIO } from '../../../src/cli/io.js';

export interface FakeIOOptions {
  files?: Record<string, string>;
  stdin?: string;
  isTTY?: boolean;
  env?: Record<string, string | undefined>;
  /** Makes writeFileAtomic fail with this errno code, leaving `files` untouched. */
  failWrite?: string;
}

export interface FakeIO {
  io: CliIO;
  files: Map<string, string>;
  /** Binary files written (an .onnx model). */
  binaries: Map<string, Uint8Array>;
  stdout: () => string;
  stderr: () => string;
}

function errno(code: string, message: string): Error {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

/** An in-memory CliIO: files in a map, output captured, writes atomic by construction. */
export function fakeIO(options: FakeIOOptions = {}): FakeIO {
  const files = new Map(Object.entries(options.files ?? {}));
  const binaries = new Map<string, Uint8Array>();
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (text) => void (out += text),
    stderr: (text) => void (err += text),
    readFile: async (path) => {
      const text = files.get(path);
      if (text === undefined) throw errno('ENOENT', `no such file or directory, open '${path}'`);
      return text;
    },
    readStdin: async () => options.stdin ?? '',
    writeFileAtomic: async (path, content) => {
      if (options.failWrite) throw errno(options.failWrite, `cannot write '${path}'`);
      if (typeof content === 'string') files.set(path, content);
      else binaries.set(path, content);
    },
    remove: async (path) => void files.delete(path),
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
    isTTY: options.isTTY ?? false,
    env: options.env ?? {},
  };
  return { io, files, binaries, stdout: () => out, stderr: () => err };
}
