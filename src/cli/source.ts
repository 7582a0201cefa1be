import { describeIoError, type CliIO } from './io.js';

export interface Source {
  text: string;
  /** What diagnostics call the file: the path as given, or `<stdin>`. */
  filename: string;
}

export const STDIN = '-';

/** Reads the input file (or stdin for `-`); on failure reports it and returns undefined. */
export async function readSource(io: CliIO, file: string): Promise<Source | undefined> {
  const filename = file === STDIN ? '<stdin>' : file;
  try {
    const raw = file === STDIN ? await io.readStdin() : await io.readFile(file);
    // Editors on Windows may save a BOM; left in, it would shift every column on line 1.
    return { text: raw.startsWith('\uFEFF') ? raw.slice(1) : raw, filename };
  } catch (error) {
    io.stderr(`error: cannot read \`${filename}\`: ${describeIoError(error)}\n`);
    return undefined;
  }
}
