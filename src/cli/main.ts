import { Command, CommanderError, Option } from 'commander';
import { runCheck, type CheckFlags } from './check-command.js';
import { runCompile, type CompileFlags } from './compile-command.js';
import { runExplain } from './explain-command.js';
import { runGradcheck, type GradcheckFlags } from './gradcheck-command.js';
import { ExitCode, type CliIO } from './io.js';
import { nodeIO } from './node-io.js';
import { packageVersion } from './package-root.js';

/** Commander's codes for output the user asked for; every other CommanderError is a usage error. */
const REQUESTED_OUTPUT = new Set(['commander.helpDisplayed', 'commander.version']);

function colorOptions(command: Command): Command {
  return command
    .option('--color', 'always color diagnostics')
    .option('--no-color', 'never color diagnostics (default: color on a terminal unless NO_COLOR is set)');
}

/** A fresh program per call: commander keeps parse state on the instance, and main() may run concurrently. */
function buildProgram(io: CliIO, done: (code: number) => void): Command {
  const program = new Command('nnc')
    .description('Compile .nn neural-network descriptions to TensorFlow.js training code')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print help')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      // Usage errors are printed by main() with a usage hint, so commander's own copy is dropped.
      outputError: () => undefined,
    });

  colorOptions(
    program
      .command('check')
      .description('check a file and print each model\'s summary table')
      .argument('<file>', 'the .nn file, or - to read stdin')
      .option('--model <name>', 'check only this model')
      .option('--depth', 'also print the predicted signal scale at every layer (forward and backward, at initialization)')
      .option('--signal-band <low,high>', 'warn when a predicted signal scale leaves this band (default 1e-3,1e3)')
      .option('--json', 'print diagnostics and summaries as JSON on stdout'),
  ).action(async (file: string, flags: CheckFlags) => done(await runCheck(file, flags, io)));

  colorOptions(
    program
      .command('compile')
      .description('generate TensorFlow.js code (or the IR) for one model')
      .argument('<file>', 'the .nn file, or - to read stdin')
      .option('-o, --output <file>', 'write to this file (atomically, and only without errors) instead of stdout')
      .option('--model <name>', 'the model to compile (required when the file declares several)')
      .option('--js', 'emit JavaScript (default: from the output extension, .js/.mjs, else TypeScript)')
      .addOption(new Option('--emit <what>', 'what to write').choices(['code', 'ir']).default('code'))
      .option('--json', 'print the result as JSON on stdout'),
  ).action(async (file: string, flags: CompileFlags) => done(await runCompile(file, flags, io)));

  colorOptions(
    program
      .command('gradcheck')
      .description('check the model\'s gradients numerically in float64, tensor by tensor')
      .argument('<file>', 'the .nn file, or - to read stdin')
      .option('--model <name>', 'the model to check (required when the file declares several)')
      .addOption(new Option('--mode <mode>', 'full: every component; sample: --samples per tensor; fast: random directions').choices(['full', 'sample', 'fast']))
      .option('--batch <n>', 'batch size of the random inputs and targets', '4')
      .option('--seed <n>', 'seed of the weights and the random batch', '0')
      .option('--samples <n>', 'components per tensor in sample mode', '20')
      .option('--epsilon <e>', 'finite-difference step', '1e-6')
      .option('--data <file.json>', 'check on this batch: { "inputs": {...}, "targets": {...} }')
      .addOption(new Option('--against <engine>', 'also run the generated code and compare its float32 gradients').choices(['tfjs']))
      .option('--json', 'print the report as JSON on stdout'),
  ).action(async (file: string, flags: GradcheckFlags) => done(await runGradcheck(file, flags, io)));

  program
    .command('explain')
    .description('explain a diagnostic code in detail')
    .argument('<code>', 'a code such as E2001')
    .action(async (code: string) => done(await runExplain(code, io)));

  return program;
}

function usageError(error: CommanderError, argv: readonly string[], program: Command, io: CliIO): number {
  if (REQUESTED_OUTPUT.has(error.code)) return ExitCode.ok;
  // `commander.help` is `nnc help [cmd]` (exit 0) or `nnc` without a command (help already on stderr).
  if (error.code === 'commander.help') return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  const first = argv.find((arg) => program.commands.some((c) => c.name() === arg));
  const command = program.commands.find((c) => c.name() === first);
  const name = command ? `nnc ${command.name()}` : 'nnc';
  const message = error.message.startsWith('error:') ? error.message : `error: ${error.message}`;
  io.stderr(`${message}\nusage: ${name} ${(command ?? program).usage()}\nrun \`${name} --help\` for more\n`);
  return ExitCode.usage;
}

/** Runs `nnc` with `argv` (without node and script) and returns the exit code; never throws. */
export async function main(argv: string[], io: CliIO = nodeIO()): Promise<number> {
  let exitCode: number = ExitCode.ok;
  let program: Command | undefined;
  try {
    program = buildProgram(io, (code) => {
      exitCode = code;
    });
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError && program) return usageError(error, argv, program, io);
    const detail = io.env.NNC_BACKTRACE === '1' && error instanceof Error ? error.stack : String(error);
    io.stderr(
      `error: internal compiler error: ${detail}\n` +
        'note: this is a bug in nnc, not in your file; please report it (NNC_BACKTRACE=1 shows the stack)\n',
    );
    return ExitCode.internal;
  }
}
