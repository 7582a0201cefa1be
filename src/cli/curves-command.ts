import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeIoError, ExitCode, type CliIO } from './io.js';
import type { RunFiles } from './train-output.js';

export interface CurvesFlags {
  trainShift?: string;
  quiet?: boolean;
}

/**
 * `nnc curves RUN_DIR`: draws the training curves of a run folder from its history.json, as
 * `nnc train` draws them (the PyTorch train.py writes the history and leaves the drawing to nnc),
 * and prints what they show.
 */
export async function runCurves(dir: string, flags: CurvesFlags, io: CliIO): Promise<number> {
  const shiftFlag = flags.trainShift === undefined ? undefined : Number(flags.trainShift);
  if (shiftFlag !== undefined && !(shiftFlag >= 0 && shiftFlag <= 1)) {
    io.stderr(`error: --train-shift takes a number of epochs from 0 to 1, found \`${flags.trainShift}\`\n`);
    return ExitCode.usage;
  }
  const path = join(dir, 'history.json');
  let text;
  try {
    text = await io.readFile(path);
  } catch (error) {
    io.stderr(`error: cannot read \`${path}\`: ${describeIoError(error)} (RUN_DIR is the folder nnc train or train.py wrote)\n`);
    return ExitCode.usage;
  }
  const { readHistoryJson } = await import('../train/history-read.js');
  const { DataError } = await import('../train/data/errors.js');
  let read;
  try {
    read = readHistoryJson(text, path);
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    io.stderr(`error: ${error.message}\n`);
    return ExitCode.usage;
  }
  const shift = shiftFlag ?? read.shift;
  const model = typeof read.facts.model === 'string' ? read.facts.model : 'model';
  const { curveFiles } = await import('./curve-files.js');
  const curves = await curveFiles(read.result, shift, model, read.restoreBest);
  try {
    await writeFilesInto(dir, curves.files);
  } catch (error) {
    io.stderr(`error: cannot write the curves into \`${dir}\`: ${describeIoError(error)}\n`);
    return ExitCode.usage;
  }
  if (!flags.quiet) {
    const { diagnoseCurves } = await import('../train/curves/diagnose.js');
    for (const line of diagnoseCurves(read.result.history, { shift }).lines) io.stdout(`${line}\n`);
    for (const note of curves.notes) io.stdout(`note: ${note}\n`);
    io.stdout(`wrote ${dir}: ${Object.keys(curves.files).join(', ')}\n`);
  }
  return ExitCode.ok;
}

/** Each file replaced in one step (a temporary file beside it, renamed over it). */
export async function writeFilesInto(dir: string, files: RunFiles): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const target = join(dir, name);
    const temp = join(dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await writeFile(temp, content, { flag: 'wx' });
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw error;
    }
  }
}
