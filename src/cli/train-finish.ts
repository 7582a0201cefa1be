import type * as TF from '@tensorflow/tfjs';
import type { IRModel } from '../ir/ir.js';
import type { RunFacts } from '../train/history-files.js';
import type { FitResult } from '../train/loop/fit.js';
import type { PreparedData } from '../train/prepare.js';
import type { PendingUndo } from './interrupt.js';
import { describeIoError, ExitCode, type CliIO } from './io.js';
import { runFiles } from './train-files.js';
import type { TrainSettings } from './train-options.js';
import { holdsModel, outputProblem, writeRunFolder, type FolderFs } from './train-output.js';
import { describeEnd } from './train-report.js';

export interface FinishedRun {
  tf: typeof TF;
  tfModel: TF.LayersModel;
  model: IRModel;
  result: FitResult;
  prepared: PreparedData;
  facts: RunFacts;
  settings: TrainSettings;
  out: string;
  io: CliIO;
  fs: FolderFs;
  say(text: string): void;
  pending: PendingUndo;
  /** The .nn source, kept in the run folder as model.nn (what `nnc export` reads). */
  sourceText?: string;
}

/**
 * Writes the run folder and says how training ended. A run without a model (it diverged, or was
 * interrupted before an epoch finished) never replaces an earlier run's model: its history and
 * curves go to a folder beside it (`runs/M-diverged`), and the earlier run stays as it was.
 */
export async function saveRun(run: FinishedRun): Promise<number> {
  const { result, io, say } = run;
  const files = await runFiles(run.tf, run.tfModel, run.model, result, run.prepared, run.facts, run.settings, run.sourceText);
  const end = describeEnd(result, run.model, run.settings.trainShift);
  if (end.error) io.stderr(end.error);
  say(end.text);
  let folder = run.out;
  if (!result.hasWeights && (await holdsModel(run.out, run.fs))) {
    folder = `${run.out.replace(/[\\/]+$/, '')}-${result.status}`;
    const problem = await outputProblem(folder, run.fs);
    if (problem) {
      io.stderr(`error: this run has no model, so it does not replace the one in \`${run.out}\`, and its history cannot go beside it: ${problem}\n`);
      return exitCode(result);
    }
    say(`note: \`${run.out}\` keeps its earlier run and model: this run has no model, so its history and curves go to \`${folder}\`\n`);
  }
  try {
    await writeRunFolder(folder, files.files, run.fs, run.pending);
  } catch (error) {
    io.stderr(`error: cannot write the run to \`${folder}\`: ${describeIoError(error)} (nothing was written)\n`);
    return ExitCode.usage;
  }
  for (const note of files.notes) say(`note: ${note}\n`);
  say(`wrote ${folder}: ${Object.keys(files.files).join(', ')}\n`);
  return exitCode(result);
}

function exitCode(result: FitResult): number {
  if (result.status === 'diverged') return ExitCode.errors;
  return result.status === 'interrupted' ? ExitCode.interrupted : ExitCode.ok;
}
