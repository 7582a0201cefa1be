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
    isTTY: false,
    env: {},
  };
  return { io, stdout: () => out, stderr: () => err };
}
