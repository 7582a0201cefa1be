import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/**
 * Starts `nnc lsp --stdio` for `.nn` documents and restarts it on request or when its
 * settings change. Every feature comes from the server; this file only finds and starts it.
 */
let client: LanguageClient | undefined;

/** The `nnc` to run: the setting, else the workspace's own, else the one on the PATH. */
function serverCommand(): string {
  const configured = vscode.workspace.getConfiguration('nnc').get<string>('server.path', '');
  if (configured) return configured;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const local = join(folder.uri.fsPath, 'node_modules', '.bin', process.platform === 'win32' ? 'nnc.cmd' : 'nnc');
    if (existsSync(local)) return local;
  }
  return process.platform === 'win32' ? 'nnc.cmd' : 'nnc';
}

async function start(): Promise<void> {
  const command = serverCommand();
  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const serverOptions: ServerOptions = { command, args: ['lsp', '--stdio'], options: cwd ? { cwd } : {} };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'nn' }],
    initializationOptions: { formatWidth: vscode.workspace.getConfiguration('nnc').get<number>('format.width', 80) },
  };
  client = new LanguageClient('nnc', 'nnc', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(`nnc: cannot start \`${command} lsp --stdio\` (${message}). Install nnc in the workspace (npm install nnc) or set "nnc.server.path".`);
  }
}

async function restart(): Promise<void> {
  await client?.stop();
  client = undefined;
  await start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand('nnc.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('nnc.server') || event.affectsConfiguration('nnc.format')) void restart();
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
