import type { CliIO } from './io.js';

/** An integer flag of at least `min`: undefined when absent, null after reporting a bad value. */
export function integerFlag(io: CliIO, flag: string, text: string | undefined, min: number): number | undefined | null {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\s*-?\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    io.stderr(`error: ${flag} takes an integer of at least ${min}, found \`${text}\`\n`);
    return null;
  }
  return value;
}
