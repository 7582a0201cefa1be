import type { Command, Option } from 'commander';
import { runFmt, type FmtFlags } from './fmt/fmt-command.js';
import type { CliIO } from './io.js';

/** How main() builds options (one help format for every command), handed to the commands added here. */
export interface OptionKit {
  option(flags: string, description: string, more?: { default?: string; defaultText?: string }): Option;
  colorOptions(command: Command): Command;
}

/** `nnc fmt` and `nnc lsp`: the commands editors and CI use, added to the program by main(). */
export function addEditorCommands(program: Command, io: CliIO, done: (code: number) => void, kit: OptionKit): void {
  kit
    .colorOptions(
      program
        .command('fmt')
        .description('format .nn files in place, or - from stdin to stdout')
        .argument('[paths...]', '.nn files, folders (their .nn files) or quoted patterns such as \'src/**/*.nn\'; - reads stdin')
        .addOption(kit.option('--check', 'only list the files that are not formatted, and exit 1 if there are any'))
        .addOption(kit.option('--width <n>', 'the line width pipelines and lists are broken at', { defaultText: '80' })),
    )
    .action(async (paths: string[], flags: FmtFlags) => done(await runFmt(paths, flags, io)));

  program
    .command('lsp')
    .description('run the language server (Language Server Protocol) for editors')
    .addOption(kit.option('--stdio', 'talk over stdin and stdout (the only transport, and what clients pass)'))
    .action(async (flags: { stdio?: boolean }) => {
      // Loaded only here: the protocol library is needed by nothing else.
      const { runLsp } = await import('./lsp/lsp-command.js');
      done(await runLsp(flags));
    });
}
