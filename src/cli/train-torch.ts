import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { IRModel } from '../ir/ir.js';
import type { PreparedData } from '../train/prepare.js';
import { curveFiles } from './curve-files.js';
import { writeFilesInto } from './curves-command.js';
import { describeIoError, ExitCode, type CliIO } from './io.js';
import { findTorch, PythonError } from './python.js';
import { TorchFailure, type StartEvent } from './torch-output.js';
import type { TrainSettings } from './train-options.js';
import { progressHooks, type ProgressMode } from './train-progress.js';
import { describeColumns, describeEnd } from './train-report.js';
import { formatCount } from '../format/summary-table.js';

/** What `nnc train --engine torch` takes beyond nnc train's own flags. */
export interface TorchTrainFlags {
  nproc?: string;
  python?: string;
  resume?: boolean;
  syncBn?: boolean;
  amp?: boolean;
  device?: 'auto' | 'cpu' | 'cuda';
}

export interface TorchTrainRun {
  model: IRModel;
  source: { filename: string };
  prepared: PreparedData;
  settings: TrainSettings;
  flags: TorchTrainFlags & { data: string; val?: string; quiet?: boolean; plain?: boolean };
  io: CliIO;
  stdoutIsTTY: boolean;
  columns?: number;
  randomSeed(): number;
  out: string;
}

/** Where train.py writes a run until it is complete (its work_folder()); --resume finds the checkpoint there. */
export function workFolder(out: string): string {
  const target = resolve(out);
  return join(dirname(target), `.${basename(target)}.partial`);
}

/** The order nnc lists a run folder's files in. */
const FILE_ORDER = ['model.pt', 'model.onnx', 'model.py', 'train.py', 'classes.json', 'history.json', 'history.csv', 'batches.csv', 'curves.vl.json', 'curves.svg', 'curves.png'];

/**
 * `nnc train --engine torch`: nnc has checked the model and the data (so that their errors read
 * as nnc's); it generates model.py and train.py into the run's work folder, runs train.py there
 * (under torchrun with --nproc above 1), shows its progress as nnc train shows its own, then
 * draws the curves from the history train.py wrote and reports the end as nnc train does.
 */
export async function trainTorch(run: TorchTrainRun): Promise<number> {
  const { model, prepared, settings, flags, io, out } = run;
  const train = model.train!;
  const nproc = flags.nproc === undefined ? 1 : Number(flags.nproc);
  if (!/^\s*\d+\s*$/.test(flags.nproc ?? '1') || !Number.isSafeInteger(nproc) || nproc < 1) {
    io.stderr(`error: --nproc takes an integer of at least 1, found \`${flags.nproc}\`\n`);
    return ExitCode.usage;
  }
  let torch;
  try {
    torch = await findTorch(flags.python, io.env);
  } catch (error) {
    if (!(error instanceof PythonError)) throw error;
    io.stderr(`error: ${error.message}\nnote: nothing was trained or written\n`);
    return ExitCode.usage;
  }
  const seed = settings.seed ?? train.seed ?? run.randomSeed();
  const work = workFolder(out);
  const { generateTorch } = await import('../codegen/torch/generate.js');
  try {
    await mkdir(work, { recursive: true });
    await writeFilesInto(work, generateTorch(model, { filename: run.source.filename }) as unknown as Record<string, string>);
  } catch (error) {
    io.stderr(`error: cannot write the PyTorch code into \`${work}\`: ${describeIoError(error)}\n`);
    return ExitCode.usage;
  }

  const args = [join(work, 'train.py'), '--data', flags.data, '--out', out, '--seed', String(seed), '--train-shift', String(settings.trainShift), '--progress', 'jsonl'];
  if (flags.val !== undefined) args.push('--val', flags.val);
  if (settings.epochs !== undefined) args.push('--epochs', String(settings.epochs));
  if (settings.batchSize !== undefined) args.push('--batch-size', String(settings.batchSize));
  for (const [name, patterns] of Object.entries(settings.columns)) args.push('--columns', `${name}=${patterns.join(',')}`);
  if (flags.resume) args.push('--resume');
  if (flags.syncBn) args.push('--sync-bn');
  if (flags.amp) args.push('--amp');
  if (flags.device) args.push('--device', flags.device);
  // torchrun --standalone: one machine, a free port of its own (several runs at once do not collide).
  const { TORCHRUN_PY } = await import('../codegen/torch/python-sources.js');
  const command = nproc === 1 ? args : ['-c', TORCHRUN_PY, '--standalone', `--nproc_per_node=${nproc}`, ...args];

  const quiet = flags.quiet === true;
  const mode: ProgressMode = quiet ? 'quiet' : flags.plain || !run.stdoutIsTTY ? 'plain' : 'tty';
  const say = (text: string) => void (quiet ? undefined : io.stdout(text));
  const { logNames } = await import('../train/log-names.js');
  const progress = progressHooks({ mode, write: (t) => io.stdout(t), ...(run.columns !== undefined ? { columns: run.columns } : {}) }, logNames(model.outputs.map((o) => o.name), train));
  const seedText = settings.seed !== undefined ? `seed ${seed}` : train.seed !== null ? `seed ${seed} (from the train block)` : `seed ${seed} (chosen at random: --seed ${seed} repeats this run)`;
  const failure = new TorchFailure(nproc);
  let lastEpoch = 0;
  let ended = false;
  let folder = out;

  const onEvent = (event: Record<string, unknown>) => {
    switch (event.event) {
      case 'start': {
        const s = event as unknown as StartEvent;
        const split = s.world === 1 ? '' : s.batchChoice === 'global' ? ` (global: ${s.world} processes × ${s.perDevice} per device)` : ` (${s.world} processes × --per-device-batch ${s.perDevice})`;
        const where = `${s.device}${s.backend ? ` (${s.backend})` : ''}${s.amp ? ', mixed precision' : ''}${s.syncBn ? ', synchronised batch_norm' : ''}`;
        say(
          `Training ${model.name} (${formatCount(s.params)} params) on ${formatCount(s.train)} samples${s.validation ? `, validating on ${formatCount(s.validation)}` : ''}: ` +
            `${s.epochs} epochs of batch ${s.batch}${split}, engine PyTorch ${s.torch} on ${where}, ${seedText}\n`,
        );
        say(describeColumns(prepared));
        for (const note of prepared.notes) (note.startsWith('warning:') ? io.stderr(`${note}\n`) : say(`${note}\n`));
        if (train.earlyStopping) say(`early stopping on ${train.earlyStopping.monitor} (patience ${train.earlyStopping.patience}); * marks a new best\n`);
        if (s.resumedFrom !== null) say(`resuming from the checkpoint of epoch ${s.resumedFrom}\n`);
        return;
      }
      case 'batch':
        void progress.onBatchEnd?.(event as never);
        return;
      case 'epoch':
        lastEpoch = (event.record as { epoch: number }).epoch;
        void progress.onEpochEnd?.(event.record as never, { epochs: event.epochs as number, best: event.best === true });
        return;
      case 'end':
        ended = true;
        // A run without a model goes beside an earlier run's model rather than over it.
        if (typeof event.out === 'string' && resolve(event.out) !== resolve(out)) folder = event.out;
    }
  };

  const exit = await runTrainPy(torch.python, command, nproc, onEvent, (line) => failure.line(line, (text) => io.stderr(`${text}\n`)), (line) => io.stdout(`${line}\n`));
  progress.finish();
  failure.flush((text) => io.stderr(`${text}\n`));

  if (folder !== out) say(`note: \`${out}\` keeps its earlier run and model: this run has no model, so its history and curves go to \`${folder}\`\n`);
  const history = join(folder, 'history.json');
  if ((!ended || !existsSync(history)) && exit.interrupts > 1) {
    io.stderr('note: quit at once: nothing was written\n');
    return ExitCode.interrupted;
  }
  if (!ended || !existsSync(history)) {
    const checkpoint = existsSync(join(work, 'checkpoint.pt'));
    io.stderr(failure.report(exit, lastEpoch, out, checkpoint ? work : undefined));
    return exit.code === 2 ? ExitCode.usage : ExitCode.errors;
  }
  const { readHistoryJson } = await import('../train/history-read.js');
  const read = readHistoryJson(await io.readFile(history), history);
  const curves = await curveFiles(read.result, settings.trainShift, model.name, train.earlyStopping?.restoreBest === true);
  try {
    await writeFilesInto(folder, curves.files);
  } catch (error) {
    io.stderr(`error: cannot write the curves into \`${folder}\`: ${describeIoError(error)}\n`);
    return ExitCode.usage;
  }
  const end = describeEnd(read.result, model, settings.trainShift);
  if (end.error) io.stderr(end.error);
  say(end.text);
  for (const note of curves.notes) say(`note: ${note}\n`);
  const files = (await readdir(folder)).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  say(`wrote ${folder}: ${files.join(', ')}\n`);
  return read.result.status === 'diverged' ? ExitCode.errors : read.result.status === 'interrupted' ? ExitCode.interrupted : ExitCode.ok;
}

const rank = (file: string): number => {
  const i = FILE_ORDER.indexOf(file);
  return i < 0 ? FILE_ORDER.length : i;
};

export interface TrainPyExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** How many times Ctrl-C reached nnc while train.py ran. */
  interrupts: number;
}

/**
 * Runs train.py (or torchrun) to its end. Its stdout carries JSON events (`@nnc {...}`) and
 * whatever else it prints; stderr goes to `stderr` line by line. The first Ctrl-C is left to
 * train.py, which stops after the current batch and writes the run; a second one stops it at once.
 */
function runTrainPy(
  python: string,
  args: readonly string[],
  nproc: number,
  onEvent: (event: Record<string, unknown>) => void,
  stderr: (line: string) => void,
  stdout: (line: string) => void,
): Promise<TrainPyExit> {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1' };
  // torchrun sets one thread per process when it is unset, with a banner saying so; nnc says nothing and shares the cores.
  if (nproc > 1 && env.OMP_NUM_THREADS === undefined) env.OMP_NUM_THREADS = '1';
  return new Promise((resolvePromise) => {
    const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    // The terminal's Ctrl-C reaches train.py too: nnc lets it stop (or quit) and reports the outcome.
    let interrupts = 0;
    const interrupt = () => void interrupts++;
    process.on('SIGINT', interrupt);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('@nnc ')) return stdout(line);
      try {
        onEvent(JSON.parse(line.slice(5)) as Record<string, unknown>);
      } catch {
        stdout(line);
      }
    });
    createInterface({ input: child.stderr }).on('line', stderr);
    child.on('error', (error) => {
      process.off('SIGINT', interrupt);
      stderr(`error: cannot start ${python}: ${error.message}`);
      resolvePromise({ code: null, signal: null, interrupts });
    });
    child.on('close', (code, signal) => {
      process.off('SIGINT', interrupt);
      resolvePromise({ code, signal, interrupts });
    });
  });
}
