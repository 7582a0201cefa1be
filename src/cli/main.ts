import { Command, CommanderError, Option } from 'commander';
import { runCheck, type CheckFlags } from './check-command.js';
import { runCompile, type CompileFlags } from './compile-command.js';
import { runExplain } from './explain-command.js';
import { runGradcheck, type GradcheckFlags } from './gradcheck-command.js';
import { ExitCode, type CliIO } from './io.js';
import { runProbe, type ProbeFlags } from './probe-command.js';
import { runTrain, type TrainFlags } from './train-command.js';
import { JsonCapture, jsonMode } from './json-errors.js';
import { nodeIO } from './node-io.js';
import { packageVersion } from './package-root.js';

/** Commander's codes for output the user asked for; every other CommanderError is a usage error. */
const REQUESTED_OUTPUT = new Set(['commander.helpDisplayed', 'commander.version']);

/**
 * Option help in one format: the description, then in parentheses its choices and its default,
 * unquoted (`(choices: full, sample, fast; default: 4)`), whether the default is a value commander
 * fills in or a rule nnc applies (`default: the train block's`).
 */
function optionFactory(defaults: Map<Option, string>) {
  return (flags: string, description: string, more: { default?: string; defaultText?: string; choices?: readonly string[]; parse?: (value: string, previous: string[]) => string[] } = {}): Option => {
    const option = new Option(flags, description);
    if (more.choices) option.choices(more.choices);
    if (more.default !== undefined) option.default(more.default);
    if (more.parse) option.argParser(more.parse);
    const shown = more.defaultText ?? more.default;
    if (shown !== undefined) defaults.set(option, shown);
    return option;
  };
}

function describeOption(option: Option, defaults: ReadonlyMap<Option, string>): string {
  const extra: string[] = [];
  if (option.argChoices) extra.push(`choices: ${option.argChoices.join(', ')}`);
  const shown = defaults.get(option);
  if (shown !== undefined) extra.push(`default: ${shown}`);
  return extra.length > 0 ? `${option.description} (${extra.join('; ')})` : option.description;
}

/** A fresh program per call: commander keeps parse state on the instance, and main() may run concurrently. */
export function buildProgram(io: CliIO, done: (code: number) => void): Command {
  const defaults = new Map<Option, string>();
  const option = optionFactory(defaults);
  const program = new Command('nnc')
    .description('Compile .nn neural-network descriptions to TensorFlow.js training code')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print help')
    .exitOverride()
    .configureHelp({ optionDescription: (o) => describeOption(o, defaults) })
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      // Usage errors are printed by main() with a usage hint, so commander's own copy is dropped.
      outputError: () => undefined,
    });
  const colorOptions = (command: Command): Command =>
    command
      .addOption(option('--color', 'always color diagnostics'))
      .addOption(option('--no-color', 'never color diagnostics', { defaultText: 'color on a terminal unless NO_COLOR is set' }));
  const json = (what: string) => option('--json', `print ${what} as JSON on stdout, usage and I/O errors included`);

  colorOptions(
    program
      .command('check')
      .description('check files and print each model\'s summary table')
      .argument('<files...>', '.nn files, folders (their .nn files) or quoted patterns such as \'src/**/*.nn\'; - reads stdin')
      .addOption(option('--model <name>', 'check only this model (of one file)'))
      .addOption(option('--depth', 'also print the predicted signal scale at every layer (forward and backward, at initialization)'))
      .addOption(option('--signal-band <low,high>', 'warn when a predicted signal scale leaves this band', { defaultText: '1e-3,1e3' }))
      .addOption(json('diagnostics and summaries')),
  ).action(async (files: string[], flags: CheckFlags) => done(await runCheck(files, flags, io)));

  colorOptions(
    program
      .command('compile')
      .description('generate TensorFlow.js code (or the IR) for one model')
      .argument('<file>', 'the .nn file, or - to read stdin')
      .addOption(option('-o, --output <file>', 'write to this file (atomically, only without errors, never over the input)', { defaultText: 'stdout' }))
      .addOption(option('--model <name>', 'the model to compile (required when the file declares several)'))
      .addOption(option('--js', 'emit JavaScript', { defaultText: 'from the output extension, .js/.mjs, else TypeScript' }))
      .addOption(option('--emit <what>', 'what to write', { choices: ['code', 'ir'], default: 'code' }))
      .addOption(json('the result')),
  ).action(async (file: string, flags: CompileFlags) => done(await runCompile(file, flags, io)));

  colorOptions(
    program
      .command('gradcheck')
      .description('check the model\'s gradients numerically in float64, tensor by tensor')
      .argument('<file>', 'the .nn file, or - to read stdin')
      .addOption(option('--model <name>', 'the model to check (required when the file declares several)'))
      .addOption(option('--mode <mode>', 'full: every component; sample: --samples per tensor; fast: random directions', { choices: ['full', 'sample', 'fast'], defaultText: 'full up to 5,000 parameters, else sample' }))
      .addOption(option('--batch <n>', 'batch size of the random inputs and targets', { default: '4' }))
      .addOption(option('--seed <n>', 'seed of the weights and the random batch', { default: '0' }))
      .addOption(option('--samples <n>', 'components per tensor in sample mode', { default: '20' }))
      .addOption(option('--epsilon <e>', 'finite-difference step', { default: '1e-6' }))
      .addOption(option('--data <file.json>', 'check on this batch: { "inputs": {...}, "targets": {...} }', { defaultText: 'a random batch' }))
      .addOption(option('--against <engine>', 'also run the generated code and compare its float32 gradients', { choices: ['tfjs'] }))
      .addOption(json('the report')),
  ).action(async (file: string, flags: GradcheckFlags) => done(await runGradcheck(file, flags, io)));

  colorOptions(
    program
      .command('probe')
      .description('measure activations and gradients at initialization in float64, beside the depth analysis\' prediction')
      .argument('<file>', 'the .nn file, or - to read stdin')
      .addOption(option('--model <name>', 'the model to probe (required when the file declares several)'))
      .addOption(option('--batch <n>', 'samples in the random N(0, 1) batch', { default: '256' }))
      .addOption(option('--seed <n>', 'seed of the weights, the batch and the output gradients', { default: '0' }))
      .addOption(option('--svg <file>', 'also write a chart of measured and predicted values against depth (atomically)'))
      .addOption(json('the report')),
  ).action(async (file: string, flags: ProbeFlags) => done(await runProbe(file, flags, io)));

  colorOptions(
    program
      .command('train')
      .description('train a model on a CSV or JSON(L) file and write the model, its history and curves')
      .usage('--data <file> [options] <file>')
      .argument('<file>', 'the .nn file, or - to read stdin')
      .addOption(option('--data <file>', '(required) the training data: .csv, .tsv, .json (array of records) or .jsonl').makeOptionMandatory())
      .addOption(option('--val <file>', 'validation data', { defaultText: 'the train block\'s validation_split of --data' }))
      .addOption(option('--model <name>', 'the model to train (required when the file declares several)'))
      .addOption(option('--epochs <n>', 'epochs', { defaultText: 'the train block\'s' }))
      .addOption(option('--batch-size <n>', 'batch size', { defaultText: 'the train block\'s' }))
      .addOption(option('--backend <backend>', 'tfjs backend; auto: node, else wasm, else cpu, the first that has the kernels the model needs', { choices: ['auto', 'node', 'wasm', 'cpu'], default: 'auto' }))
      .addOption(option('--out <dir>', 'the run folder, replaced atomically', { defaultText: 'runs/MODEL' }))
      .addOption(
        option('--columns <bindings>', 'NAME=COLUMN[,COLUMN...]: columns of an input or output, `prefix*` allowed; overrides the train block (repeatable)', {
          parse: (value: string, previous: string[] = []) => [...previous, value],
        }),
      )
      .addOption(option('--seed <n>', 'seed of the initial weights, shuffling and dropout', { defaultText: 'the train block\'s, else random' }))
      .addOption(option('--train-shift <epochs>', 'draw each epoch\'s training mean at epoch minus this', { defaultText: '0.5' }))
      .addOption(option('--plain', 'one line per epoch, no in-place progress', { defaultText: 'on when stdout is not a terminal' }))
      .addOption(option('--quiet', 'print only warnings and errors')),
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
  const json = jsonMode(argv) ? new JsonCapture(io) : undefined;
  const code = await run(argv, json?.io ?? io);
  json?.finish();
  return code;
}

async function run(argv: string[], io: CliIO): Promise<number> {
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
