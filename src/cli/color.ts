import type { CliIO } from './io.js';

/**
 * `--color` / `--no-color` win; otherwise color only on a terminal, and never when NO_COLOR
 * is set to a non-empty value (https://no-color.org).
 */
export function colorEnabled(flag: boolean | undefined, io: CliIO): boolean {
  if (flag !== undefined) return flag;
  const noColor = io.env.NO_COLOR;
  return io.isTTY && (noColor === undefined || noColor === '');
}
