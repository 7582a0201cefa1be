import type * as TF from '@tensorflow/tfjs';
import type { IRModel } from '../ir/ir.js';
import type { RunFacts } from '../train/history-files.js';
import type { FitResult } from '../train/loop/fit.js';
import type { PreparedData } from '../train/prepare.js';
import type { TrainSettings } from './train-options.js';
import { curveFiles } from './curve-files.js';
import type { RunFiles } from './train-output.js';

/**
 * Everything a run folder holds: the model and its .nn source (unless training left none worth keeping), the class names, the
 * history as JSON and CSV, and the curves as a Vega-Lite spec, SVG and, where resvg loads, PNG.
 */
export async function runFiles(
  tf: typeof TF,
  tfModel: TF.LayersModel,
  model: IRModel,
  result: FitResult,
  prepared: PreparedData,
  facts: RunFacts,
  settings: TrainSettings,
  /** The .nn source, kept as model.nn so that the run is exported (`nnc export`) with exactly the model it trained. */
  sourceText?: string,
): Promise<{ files: RunFiles; notes: string[] }> {
  const { epochsCsv, batchesCsv, historyJson } = await import('../train/history-files.js');
  const { saveModel } = await import('../train/save-model.js');
  const files: RunFiles = {};
  const notes: string[] = [];
  if (result.hasWeights) {
    const saved = await saveModel(tf, tfModel);
    files['model.json'] = saved.modelJson;
    files['weights.bin'] = saved.weights;
    if (sourceText !== undefined) files['model.nn'] = sourceText;
  }
  if (Object.keys(prepared.classNames).length > 0) files['classes.json'] = `${JSON.stringify(prepared.classNames, null, 2)}\n`;
  files['history.json'] = historyJson(result, facts, settings.trainShift);
  files['history.csv'] = epochsCsv(result.history, settings.trainShift);
  files['batches.csv'] = batchesCsv(result.history);
  const curves = await curveFiles(result, settings.trainShift, model.name, model.train?.earlyStopping?.restoreBest === true);
  Object.assign(files, curves.files);
  notes.push(...curves.notes);
  return { files, notes };
}
