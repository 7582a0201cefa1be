import type * as TF from '@tensorflow/tfjs';
import { renderReport } from '../diagnostics/render.js';
import { formatCount } from '../format/summary-table.js';
import type { IRModel } from '../ir/ir.js';
import { BackendError, selectBackend } from './backend.js';
import { colorEnabled } from './color.js';
import { PendingUndo, processInterrupts, type Interrupts } from './interrupt.js';
import { describeIoError, ExitCode, type CliIO } from './io.js';
import { readSource } from './source.js';
import { saveRun } from './train-finish.js';
import { checkColumnNames, FlagError, parseTrainFlags, type TrainFlags, type TrainSettings } from './train-options.js';
import { nodeFolderFs, outputProblem, type FolderFs } from './train-output.js';
import { progressHooks, type ProgressMode } from './train-progress.js';
import { describeColumns } from './train-report.js';

export type { TrainFlags } from './train-options.js';

/** What `nnc train` needs from the process beyond CliIO: stdout's terminal, the file system for the run folder, Ctrl-C. */
export interface TrainEnvironment {
  stdoutIsTTY: boolean;
  columns?: number;
  fs: FolderFs;
  /** Seeds a run whose train block and flags give none. */
  randomSeed(): number;
  interrupts?: Interrupts;
  /** Ends the process at once (a second Ctrl-C). */
  exit?(code: number): never;
}

export function nodeTrainEnvironment(): TrainEnvironment {
  return {
    stdoutIsTTY: process.stdout.isTTY === true,
    columns: process.stdout.columns,
    fs: nodeFolderFs,
    randomSeed: () => Math.floor(Math.random() * 1_000_000),
    interrupts: processInterrupts,
    exit: (code) => process.exit(code),
  };
}

/** A user problem found before or during training: reported as `error: ...` with this exit code. */
export class Stop extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/**
 * `nnc train`: check the model, read and map the data (every problem reported before anything
 * is written), pick a backend, train with progress, then write the run folder atomically and
 * print what the curves say.
 */
export async function runTrain(file: string, flags: TrainFlags, io: CliIO, env: TrainEnvironment = nodeTrainEnvironment()): Promise<number> {
  try {
    return await train(file, flags, io, env);
  } catch (error) {
    if (error instanceof Stop) {
      if (error.message) io.stderr(`error: ${error.message}\n`);
      return error.code;
    }
    throw error;
  }
}

async function train(file: string, flags: TrainFlags, io: CliIO, env: TrainEnvironment): Promise<number> {
  const settings = usage(() => parseTrainFlags(flags));
  const source = await readSource(io, file);
  if (!source) return ExitCode.usage;
  const { checkSource, selectModel } = await import('../compile.js');
  const checked = checkSource(source.text, { filename: source.filename, model: flags.model }, true);
  const model = checked.ok ? selectModel(checked.ir, flags.model) : undefined;
  if (checked.diagnostics.length > 0) io.stderr(renderReport(checked.diagnostics, source.text, source.filename, { color: colorEnabled(flags.color, io) }));
  if (!model) return ExitCode.errors;
  if (!model.train) throw new Stop(`model \`${model.name}\` has no \`train { }\` block, so nnc does not know its loss: add one (see docs/language.md#training)`, ExitCode.errors);
  usage(() => checkColumnNames(settings.columns, [...model.inputs, ...model.outputs].map((p) => p.name)));

  const prepared = await readData(flags, settings, model, io);
  const out = flags.out ?? `runs/${model.name}`;
  const problem = await outputProblem(out, env.fs);
  if (problem) throw new Stop(problem, ExitCode.usage);
  if (flags.engine === 'torch') {
    const { trainTorch } = await import('./train-torch.js');
    return trainTorch({ model, source, prepared, settings, flags, io, out, stdoutIsTTY: env.stdoutIsTTY, ...(env.columns !== undefined ? { columns: env.columns } : {}), randomSeed: env.randomSeed });
  }
  const torchOnly = (['nproc', 'python', 'resume', 'syncBn', 'amp', 'device'] as const).find((f) => flags[f] !== undefined);
  if (torchOnly) throw new Stop(`--${torchOnly.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} applies to \`--engine torch\``, ExitCode.usage);

  const tf = await import('@tensorflow/tfjs');
  const { modelKernels } = await import('../tfjs-kernels/op-kernels.js');
  const kernels = modelKernels(model);
  const backend = await selectBackend(tf, flags.backend, { model: model.name, kernels }).catch((error: unknown) => {
    throw error instanceof BackendError ? new Stop(error.message, ExitCode.usage) : error;
  });
  const seed = settings.seed ?? model.train.seed ?? env.randomSeed();
  const tfModel = await buildCompiled(tf, model, seed);
  const quiet = flags.quiet === true;
  const mode: ProgressMode = quiet ? 'quiet' : flags.plain || !env.stdoutIsTTY ? 'plain' : 'tty';
  const say = (text: string) => void (quiet ? undefined : io.stdout(text));
  const config = {
    epochs: settings.epochs ?? model.train.epochs,
    batchSize: settings.batchSize ?? model.train.batchSize,
    shuffle: model.train.shuffle,
    seed,
    earlyStopping: model.train.earlyStopping,
  };
  const seedText = settings.seed !== undefined ? `seed ${seed}` : model.train.seed !== null ? `seed ${seed} (from the train block)` : `seed ${seed} (chosen at random: --seed ${seed} repeats this run)`;
  for (const skipped of backend.skipped) say(`note: backend ${skipped}\n`);
  if (flags.backend === 'auto') say(`note: ${chosenBecause(backend, model.name, kernels.size)}\n`);
  say(
    `Training ${model.name} (${formatCount(tfModel.countParams())} params) on ${formatCount(prepared.train.size)} samples` +
      `${prepared.validation ? `, validating on ${formatCount(prepared.validation.size)}` : ''}: ${config.epochs} epochs of batch ${config.batchSize}, backend ${backend.description}, ${seedText}\n`,
  );
  say(describeColumns(prepared));
  for (const note of prepared.notes) (note.startsWith('warning:') ? io.stderr(`${note}\n`) : say(`${note}\n`));
  if (config.earlyStopping) say(`early stopping on ${config.earlyStopping.monitor} (patience ${config.earlyStopping.patience}); * marks a new best\n`);

  const { fit, TrainSetupError } = await import('../train/loop/fit.js');
  const { logNames } = await import('../train/log-names.js');
  const progress = progressHooks({ mode, write: (t) => io.stdout(t), ...(env.columns !== undefined ? { columns: env.columns } : {}) }, logNames(model.outputs.map((o) => o.name), model.train));
  // Ctrl-C: the first stops training after the current batch, the second quits at once, undoing any write in progress.
  const pending = new PendingUndo();
  let interrupted = false;
  let training = true;
  const stopListening = env.interrupts?.listen(
    () => {
      interrupted = true;
      progress.finish();
      io.stderr(training ? 'note: interrupted: stopping after this batch to write what was trained; Ctrl-C again quits at once, writing nothing\n' : 'note: interrupted: finishing the run folder; Ctrl-C again quits at once, writing nothing\n');
    },
    () => {
      pending.undoAll();
      io.stderr('note: quit at once: nothing was written\n');
      (env.exit ?? ((code: number) => process.exit(code)))(ExitCode.interrupted);
    },
  );
  try {
    let result;
    try {
      result = await fit(tf, tfModel, model, prepared, config, { ...progress, shouldStop: () => interrupted });
    } catch (error) {
      if (error instanceof TrainSetupError) throw new Stop(error.message, ExitCode.usage);
      throw error;
    } finally {
      progress.finish();
      training = false;
    }
    const facts = { model: model.name, source: source.filename, data: flags.data, validation: flags.val ?? null, backend: backend.name, seed, epochs: config.epochs, batchSize: config.batchSize };
    return await saveRun({ tf, tfModel, model, result, prepared, facts, settings, out, io, fs: env.fs, say, pending, sourceText: source.text });
  } finally {
    stopListening?.();
    tfModel.dispose();
  }
}

/** Why `auto` chose this backend: the first in order of speed that loaded and had every kernel. */
function chosenBecause(backend: { name: string; fromNnc: string[] }, model: string, kernels: number): string {
  const nnc = backend.fromNnc.length === 0 ? '' : ` (${backend.fromNnc.length} of them registered by nnc: ${backend.fromNnc.join(', ')})`;
  return `--backend auto chose ${backend.name}: the fastest backend that loads and has all ${kernels} kernels that training ${model} runs${nnc}`;
}

function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof FlagError) throw new Stop(error.message, ExitCode.usage);
    throw error;
  }
}

async function readData(flags: TrainFlags, settings: TrainSettings, model: IRModel, io: CliIO) {
  const { readTable } = await import('../train/data/read-table.js');
  const { DataError } = await import('../train/data/errors.js');
  const { prepareData } = await import('../train/prepare.js');
  const read = async (path: string) => {
    let text;
    try {
      text = await io.readFile(path);
    } catch (error) {
      throw new Stop(`cannot read \`${path}\`: ${describeIoError(error)}`, ExitCode.usage);
    }
    return readTable(text, path);
  };
  try {
    const train = await read(flags.data);
    const validation = flags.val === undefined ? undefined : await read(flags.val);
    return prepareData(model, { train, validation }, settings.columns);
  } catch (error) {
    if (error instanceof DataError) throw new Stop(`${error.message}\nnote: nothing was trained or written`, ExitCode.usage);
    throw error;
  }
}

/** A fresh model from the generated code, with the initial weights of `seed`, compiled as the train block says. */
async function buildCompiled(tf: typeof TF, model: IRModel, seed: number): Promise<TF.LayersModel> {
  const { generateTfjs } = await import('../codegen/tfjs/generate.js');
  const { loadGeneratedModule } = await import('./load-generated.js');
  const generated = await loadGeneratedModule(await generateTfjs(model, { format: 'js', filename: model.name }));
  return generated.compileModel(generated.buildModel({ seed }));
}
