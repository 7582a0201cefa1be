import type * as TF from '@tensorflow/tfjs';
import type { IRModel } from '../ir/ir.js';
import type { RunFacts } from '../train/history-files.js';
import type { FitResult } from '../train/loop/fit.js';
import type { PreparedData } from '../train/prepare.js';
import type { TrainSettings } from './train-options.js';
import { renderCurves } from './train-curves.js';
import type { RunFiles } from './train-output.js';

/**
 * Everything a run folder holds: the model (unless training left none worth keeping), the class names, the
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
): Promise<{ files: RunFiles; notes: string[] }> {
  const { epochsCsv, batchesCsv, historyJson } = await import('../train/history-files.js');
  const { alignCurves } = await import('../train/curves/align.js');
  const { curvesSpec } = await import('../train/curves/spec.js');
  const { saveModel } = await import('../train/save-model.js');
  const files: RunFiles = {};
  const notes: string[] = [];
  if (result.hasWeights) {
    const saved = await saveModel(tf, tfModel);
    files['model.json'] = saved.modelJson;
    files['weights.bin'] = saved.weights;
  }
  if (Object.keys(prepared.classNames).length > 0) files['classes.json'] = `${JSON.stringify(prepared.classNames, null, 2)}\n`;
  files['history.json'] = historyJson(result, facts, settings.trainShift);
  files['history.csv'] = epochsCsv(result.history, settings.trainShift);
  files['batches.csv'] = batchesCsv(result.history);
  const best = savedEpoch(result, model);
  const spec = curvesSpec(alignCurves(result.history, settings.trainShift), { title: `${model.name}: training curves`, ...(best ? { best } : {}) });
  files['curves.vl.json'] = `${JSON.stringify(spec)}\n`;
  const rendered = await renderCurves(spec);
  files['curves.svg'] = rendered.svg;
  if (rendered.png) files['curves.png'] = rendered.png;
  else if (rendered.pngSkipped) notes.push(`no curves.png: ${rendered.pngSkipped}`);
  return { files, notes };
}

/** The best epoch, when the saved model holds its weights (put back, or the last epoch was the best). */
function savedEpoch(result: FitResult, model: IRModel): { epoch: number; monitor: string } | undefined {
  if (!result.hasWeights || result.bestEpoch === undefined || result.monitor === undefined) return undefined;
  const last = result.history.epochs.at(-1)?.epoch;
  const keeps = result.restored || (result.bestEpoch === last && (result.status === 'interrupted' || model.train?.earlyStopping?.restoreBest === true));
  return keeps ? { epoch: result.bestEpoch, monitor: result.monitor } : undefined;
}
