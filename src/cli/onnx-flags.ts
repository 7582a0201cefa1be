import { DEFAULT_OPSET, MAX_OPSET, MIN_OPSET } from '../onnx/opset.js';
import type { CliIO } from './io.js';

/** `--opset N`: the default when absent, null after reporting a value outside the supported range. */
export function opsetFlag(io: CliIO, text: string | undefined): number | null {
  if (text === undefined) return DEFAULT_OPSET;
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || value < MIN_OPSET || value > MAX_OPSET) {
    io.stderr(`error: --opset takes an ONNX opset from ${MIN_OPSET} to ${MAX_OPSET}, found \`${text}\`\n`);
    return null;
  }
  return value;
}

export const BINARY_TO_STDOUT =
  'error: an ONNX model is binary: write it to a file with `-o model.onnx`, or print its text form with `--emit onnxtxt`\n';

/** `1 node`, `12 nodes`. */
export function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
