/**
 * Everything the CLI does to the outside world goes through this interface, so tests run
 * `main()` in-process with a fake and the real process wiring stays in node-io.ts.
 * Failing operations reject with an Error carrying a Node-style `code` (`ENOENT`, `EACCES`...).
 */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<string>;
  readStdin(): Promise<string>;
  /** Replaces `path` in one step (temp file in the same directory, then rename), or leaves it untouched. */
  writeFileAtomic(path: string, content: string | Uint8Array): Promise<void>;
  /** Creates a folder and its parents (nothing when it exists); absent where folders need no creating. */
  mkdir?(path: string): Promise<void>;
  /** Removes a file (nothing when it is gone already). */
  remove?(path: string): Promise<void>;
  /** What `path` is, or undefined when there is nothing there. */
  kind(path: string): Promise<'file' | 'directory' | undefined>;
  /** The names in a directory. */
  readDir(path: string): Promise<string[]>;
  /** Whether two paths name one existing file (through links and `..` too). */
  sameFile(a: string, b: string): Promise<boolean>;
  /** Whether stderr, where diagnostics go, is a terminal. */
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

export const ExitCode = {
  ok: 0,
  /** The source has errors. */
  errors: 1,
  /** Bad command line, unreadable input, unwritable output. */
  usage: 2,
  /** A bug in nnc itself. */
  internal: 3,
  /** Stopped by Ctrl-C (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;

const reasons: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent path is not a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EEXIST: 'file already exists',
};

/** `no such file or directory` rather than Node's `ENOENT: no such file..., open 'x.nn'`. */
export function describeIoError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code in reasons) return reasons[code]!;
  return error instanceof Error ? error.message : String(error);
}
