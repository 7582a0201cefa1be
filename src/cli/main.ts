import { Command, CommanderError, Option } from 'commander';
import { runCheck, type CheckFlags } from './check-command.js';
import { runCompileFiles, type CompileFilesFlags } from './compile-files.js';
import { addEditorCommands } from './editor-commands.js';
import { runExplain } from './explain-command.js';
import { runExport, type ExportFlags } from './export-command.js';
import { runGradcheck, type GradcheckFlags } from './gradcheck-command.js';
import { ExitCode, type CliIO } from './io.js';
import { runProbe, type ProbeFlags } from './probe-command.js';
import { runTrain, type TrainFlags } from './train-command.js';
import { runTypes, type TypesFlags } from './types-command.js';
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
    .description('Compile .nn neural-network descriptions to TensorFlow.js training code and ONNX models')
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
      .description('generate TensorFlow.js code, an ONNX model, PyTorch code (model.py and train.py) or the IR, for one model')
      .argument('<files...>', 'the .nn file, or - to read stdin; with --out-dir, files, folders or quoted patterns such as \'src/**/*.nn\'')
      .addOption(option('-o, --output <file>', 'write to this file (atomically, only without errors, never over the input); with --target torch, the folder', { defaultText: 'stdout' }))
      .addOption(option('--out-dir <dir>', 'write one TensorFlow.js module per model of every file into this folder, keeping the files\' folders'))
      .addOption(option('--watch', 'compile again whenever a .nn file named (or below a folder or pattern named) changes, until Ctrl-C'))
      .addOption(option('--model <name>', 'the model to compile (required when the file declares several)'))
      .addOption(option('--js', 'emit JavaScript', { defaultText: 'from the output extension, .js/.mjs, else TypeScript' }))
      .addOption(option('--target <target>', 'tfjs: a TensorFlow.js module; onnx: an ONNX model; torch: model.py and train.py into the -o folder', { choices: ['tfjs', 'onnx', 'torch'], defaultText: 'onnx when -o names a .onnx or .onnxtxt file, else tfjs' }))
      .addOption(option('--emit <what>', 'code: the module, .onnx file or Python files; ir: the checked IR as JSON; onnxtxt: the ONNX model in ONNX\'s text syntax', { choices: ['code', 'ir', 'onnxtxt'], default: 'code' }))
      .addOption(option('--opset <n>', 'the ONNX opset, 13 to 21', { defaultText: '17' }))
      .addOption(option('--seed <n>', 'seed of the ONNX model\'s initial weights', { defaultText: 'the train block\'s, else 0' }))
      .addOption(json('the result')),
  ).action(async (files: string[], flags: CompileFilesFlags) => done(await runCompileFiles(files, flags, io)));

  colorOptions(
    program
      .command('types')
      .description('write model.d.nn.ts beside each .nn file: the types of `import ... from \'./model.nn\'` (TypeScript\'s allowArbitraryExtensions)')
      .argument('<files...>', '.nn files, folders (their .nn files; declarations of deleted ones are removed) or quoted patterns')
      .addOption(option('--check', 'write nothing; fail when a declaration file is missing, out of date or left from a deleted .nn file'))
      .addOption(option('--signal-band <low,high>', 'warn when a predicted signal scale leaves this band', { defaultText: '1e-3,1e3' })),
  ).action(async (files: string[], flags: TypesFlags) => done(await runTypes(files, flags, io)));

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
      .addOption(option('--against <engine>', 'also compare with tfjs (the generated code\'s float32 outputs and gradients), onnx (the exported model\'s outputs in onnxruntime) or torch (the generated PyTorch module in float64 and float32)', { choices: ['tfjs', 'onnx', 'torch'] }))
      .addOption(option('--opset <n>', 'the ONNX opset of --against onnx, 13 to 21', { defaultText: '17' }))
      .addOption(option('--python <path>', 'the Python interpreter with torch, for --against torch', { defaultText: '$NNC_PYTHON, else /usr/bin/python3, python3, python' }))
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
      .addOption(option('--quiet', 'print only warnings and errors'))
      .addOption(option('--engine <engine>', 'tfjs trains here; torch runs the generated PyTorch train.py (under torchrun for --nproc above 1)', { choices: ['tfjs', 'torch'], default: 'tfjs' }))
      .addOption(option('--nproc <n>', 'with --engine torch: processes on this machine, one per GPU (or CPU processes)', { defaultText: '1' }))
      .addOption(option('--python <path>', 'with --engine torch: the Python interpreter with torch', { defaultText: '$NNC_PYTHON, else /usr/bin/python3, python3, python' }))
      .addOption(option('--resume', 'with --engine torch: continue an interrupted run from its last checkpoint'))
      .addOption(option('--sync-bn', 'with --engine torch: batch_norm statistics over all processes'))
      .addOption(option('--amp', 'with --engine torch: mixed precision on GPUs'))
      .addOption(option('--device <device>', 'with --engine torch: a GPU per process when torch sees one (auto), or cpu or cuda', { choices: ['auto', 'cpu', 'cuda'], defaultText: 'auto' })),
  ).action(async (file: string, flags: TrainFlags) => done(await runTrain(file, flags, io)));

  colorOptions(
    program
      .command('export')
      .description('export the trained model of a run folder (or a TensorFlow.js model saved by the generated code) to ONNX')
      .argument('<run>', 'the run folder of `nnc train`, or a folder or model.json saved by the generated code')
      .addOption(option('-o, --output <file>', 'the ONNX file, replaced atomically; - prints --emit onnxtxt', { defaultText: 'model.onnx in the run folder' }))
      .addOption(option('--source <file>', 'the .nn file the model was trained from', { defaultText: 'the run folder\'s model.nn, else the file its history.json names' }))
      .addOption(option('--model <name>', 'the model', { defaultText: 'the one the run trained' }))
      .addOption(option('--opset <n>', 'the ONNX opset, 13 to 21', { defaultText: '17' }))
      .addOption(option('--emit <what>', 'onnx: the binary model; onnxtxt: ONNX\'s text syntax', { choices: ['onnx', 'onnxtxt'], default: 'onnx' }))
      .addOption(option('--verify', 'run the exported model in onnxruntime and compare each output with the float64 reference on a random batch'))
      .addOption(option('--batch <n>', 'samples in the verification batch', { default: '8' }))
      .addOption(option('--seed <n>', 'seed of the verification batch', { default: '0' }))
      .addOption(json('the result')),
  ).action(async (run: string, flags: ExportFlags) => done(await runExport(run, flags, io)));

  program
    .command('curves')
    .description('draw the training curves of a run folder from its history.json (for runs of the PyTorch train.py) and say what they show')
    .argument('<run>', 'the run folder')
    .addOption(option('--train-shift <epochs>', 'draw each epoch\'s training mean at epoch minus this', { defaultText: 'the run\'s' }))
    .addOption(option('--quiet', 'print only errors'))
    .action(async (dir: string, flags: import('./curves-command.js').CurvesFlags) => done(await (await import('./curves-command.js')).runCurves(dir, flags, io)));

  program
    .command('explain')
    .description('explain a diagnostic code in detail')
    .argument('<code>', 'a code such as E2001')
    .action(async (code: string) => done(await runExplain(code, io)));

  program
    .command('playground')
    .description('serve the browser playground on this machine: the editor with nnc check as you type, shapes on hover and inline, the summary, depth analysis and generated code')
    .argument('[file]', 'the .nn file to open; the page writes it back only when you press "Save to file"')
    .addOption(option('--port <n>', 'the port to listen on', { defaultText: 'a free one, printed' }))
    .addOption(option('--host <host>', 'the address to listen on', { default: '127.0.0.1' }))
    .addOption(option('--no-open', 'print the address but do not open a browser'))
    .action(async (file: string | undefined, flags: import('./playground-command.js').PlaygroundFlags) =>
      done(await (await import('./playground-command.js')).runPlayground(file, flags, io)),
    );

  addEditorCommands(program, io, done, { option, colorOptions });
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
