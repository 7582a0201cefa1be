import { startServer } from './server.js';

export interface LspFlags {
  stdio?: boolean;
}

/**
 * `nnc lsp --stdio`: serves the Language Server Protocol on stdin and stdout until the client
 * sends `exit` (the protocol's library then ends the process). `--stdio` is what clients pass;
 * stdio is the only transport.
 */
export function runLsp(_flags: LspFlags): Promise<number> {
  const connection = startServer(process.stdin, process.stdout);
  return new Promise((resolve) => connection.onExit(() => resolve(0)));
}
