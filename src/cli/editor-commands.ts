import type { Command } from 'commander';
import { runFmt, type FmtFlags } from './fmt/fmt-command.js';
import type { CliIO } from './io.js';

/** `nnc fmt` and `nnc lsp`: the commands editors and CI use, added to the program by main(). */
export function addEditorCommands(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command('fmt')
    .description('format .nn files in place (folders are searched), or - from stdin to stdout')
    .argument('[paths...]', 'files and folders to format, or - for stdin')
    .option('--check', 'only list the files that are not formatted, and exit 1 if there are any')
    .option('--width <n>', 'the line width pipelines and lists are broken at (default 80)')
    .option('--color', 'always color diagnostics')
    .option('--no-color', 'never color diagnostics (default: color on a terminal unless NO_COLOR is set)')
    .action(async (paths: string[], flags: FmtFlags) => done(await runFmt(paths, flags, io)));

  program
    .command('lsp')
    .description('run the language server (Language Server Protocol) for editors')
    .option('--stdio', 'talk over stdin and stdout (the only transport, and the default)')
    .action(async (flags: { stdio?: boolean }) => {
      // Loaded only here: the protocol library is needed by nothing else.
      const { runLsp } = await import('./lsp/lsp-command.js');
      done(await runLsp(flags));
    });
}
