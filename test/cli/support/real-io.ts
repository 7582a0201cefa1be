import { nodeIO } from '../../../src/cli/node-io.js';
import type { CliIO } from '../../../src/cli/io.js';

/** The real file system and environment, with stdout and stderr captured (as the PyTorch engine needs real files). */
export function realIO(env: Record<string, string | undefined> = {}): { io: CliIO; stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  const io: CliIO = { ...nodeIO(), stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTTY: false, env: { ...process.env, NO_COLOR: '1', ...env } };
  return { io, stdout: () => out, stderr: () => err };
}
