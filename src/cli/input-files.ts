import { describeIoError, type CliIO } from './io.js';
import { STDIN } from './source.js';

/**
 * The files a command line names, as eslint and prettier take them: a file as it is, a folder as
 * every `.nn` file below it, and a pattern with `*`, `**`, `?` or `[...]` (quoted, so that nnc
 * rather than the shell expands it) as the files it matches. Folders named `node_modules` or
 * starting with `.` are skipped when walking. Each file comes once, in the order given, a
 * folder's or pattern's files sorted.
 */
export interface ExpandedInputs {
  files: string[];
  /** One message per argument that names nothing: a missing file, an empty folder, a pattern without a match. */
  errors: string[];
}

const GLOB = /[*?[]/;

export async function expandInputs(args: readonly string[], io: CliIO): Promise<ExpandedInputs> {
  const files: string[] = [];
  const errors: string[] = [];
  const add = (file: string) => void (files.includes(file) || files.push(file));
  for (const arg of args) {
    if (arg === STDIN) {
      add(arg);
      continue;
    }
    try {
      if (GLOB.test(arg)) {
        const matched = await expandPattern(arg, io);
        if (matched.length === 0) errors.push(`no file matches the pattern \`${arg}\``);
        matched.forEach(add);
        continue;
      }
      const kind = await io.kind(arg);
      if (kind === 'directory') {
        const found = await walk(arg, io, (path) => path.endsWith('.nn'));
        if (found.length === 0) errors.push(`\`${arg}\` is a folder without any .nn file`);
        found.forEach(add);
      } else if (kind === 'file') {
        add(arg);
      } else {
        errors.push(`cannot read \`${arg}\`: no such file or directory`);
      }
    } catch (error) {
      errors.push(`cannot read \`${arg}\`: ${describeIoError(error)}`);
    }
  }
  return { files, errors };
}

/** Every file below `dir` that `keep` accepts, sorted, skipping `node_modules` and dot folders. */
export async function walk(dir: string, io: CliIO, keep: (path: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  for (const name of (await io.readDir(dir)).sort()) {
    const path = dir === '.' ? name : `${dir.replace(/\/+$/, '')}/${name}`;
    const kind = await io.kind(path);
    if (kind === 'directory') {
      if (name !== 'node_modules' && !name.startsWith('.')) found.push(...(await walk(path, io, keep)));
    } else if (kind === 'file' && keep(path)) {
      found.push(path);
    }
  }
  return found;
}

async function expandPattern(pattern: string, io: CliIO): Promise<string[]> {
  const parts = pattern.split('/');
  const fixed = parts.findIndex((part) => GLOB.test(part));
  const base = parts.slice(0, fixed).join('/') || (pattern.startsWith('/') ? '/' : '.');
  if ((await io.kind(base)) !== 'directory') return [];
  const regex = globRegex(pattern.replace(/^\.\//, ''));
  return walk(base, io, (path) => regex.test(path.replace(/^\.\//, '')));
}

/** `*` within a path segment, `**` across them, `?` one character, `[...]` a class. */
export function globRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      source += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += pattern[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') {
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) source += '\\[';
      else {
        source += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else {
      source += c.replace(/[.+^${}()|\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}
