import { Command, CommanderError, Option } from 'commander';
import { runCheck, type CheckFlags } from './check-command.js';
import { runCompile, type CompileFlags } from './compile-command.js';
import { runExplain } from './explain-command.js';
import { runGradcheck, type GradcheckFlags } from './gradcheck-command.js';
import { ExitCode, type CliIO } from './io.js';
import { runProbe, type ProbeFlags } from './probe-command.js';
import { runTrain, type TrainFlags } from './train-command.js';
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

  colorOptions(
    program
      .command('probe')
      .description('measure activations and gradients at initialization in float64, beside the depth analysis\' prediction')
      .argument('<file>', 'the .nn file, or - to read stdin')
      .option('--model <name>', 'the model to probe (required when the file declares several)')
      .option('--batch <n>', 'samples in the random N(0, 1) batch', '256')
      .option('--seed <n>', 'seed of the weights, the batch and the output gradients', '0')
      .option('--svg <file>', 'also write a chart of measured and predicted values against depth (atomically)')
      .option('--json', 'print the report as JSON on stdout'),
  ).action(async (file: string, flags: ProbeFlags) => done(await runProbe(file, flags, io)));

  colorOptions(
    program
      .command('train')
      .description('train a model on a CSV or JSON(L) file and write the model, its history and curves')
      .argument('<file>', 'the .nn file, or - to read stdin')
      .requiredOption('--data <file>', 'training data: .csv, .tsv, .json (array of records) or .jsonl')
      .option('--val <file>', 'validation data (default: the train block\'s validation_split of --data)')
      .option('--model <name>', 'the model to train (required when the file declares several)')
      .option('--epochs <n>', 'epochs (default: the train block\'s)')
      .option('--batch-size <n>', 'batch size (default: the train block\'s)')
      .addOption(new Option('--backend <backend>', 'tfjs backend; auto: node, else wasm, else cpu, the first that has the kernels the model needs').choices(['auto', 'node', 'wasm', 'cpu']).default('auto'))
      .option('--out <dir>', 'the run folder, replaced atomically (default: runs/MODEL)')
      .option('--columns <bindings>', 'NAME=COLUMN[,COLUMN...]: columns of an input or output, `prefix*` allowed; overrides the train block (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
      .option('--seed <n>', 'seed of the initial weights, shuffling and dropout (default: the train block\'s, else random)')
      .option('--train-shift <epochs>', 'draw each epoch\'s training mean at epoch minus this (default 0.5)')
      .option('--plain', 'one line per epoch, no in-place progress (the default when stdout is not a terminal)')
      .option('--quiet', 'print only warnings and errors'),
  ).action(async (file: string, flags: TrainFlags) => done(await runTrain(file, flags, io)));

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
