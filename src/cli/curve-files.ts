import type { FitResult } from '../train/loop/fit.js';
import { renderCurves } from './train-curves.js';
import type { RunFiles } from './train-output.js';

/**
 * The curves of a run as files: the Vega-Lite spec, its SVG and, where resvg loads, its PNG.
 * `nnc train` (either engine) and `nnc curves` draw them through this one function.
 */
export async function curveFiles(result: FitResult, shift: number, model: string, restoreBest: boolean): Promise<{ files: RunFiles; notes: string[] }> {
  const { alignCurves } = await import('../train/curves/align.js');
  const { curvesSpec } = await import('../train/curves/spec.js');
  const best = savedEpoch(result, restoreBest);
  const spec = curvesSpec(alignCurves(result.history, shift), { title: `${model}: training curves`, ...(best ? { best } : {}) });
  const files: RunFiles = { 'curves.vl.json': `${JSON.stringify(spec)}\n` };
  const rendered = await renderCurves(spec);
  files['curves.svg'] = rendered.svg;
  const notes: string[] = [];
  if (rendered.png) files['curves.png'] = rendered.png;
  else if (rendered.pngSkipped) notes.push(`no curves.png: ${rendered.pngSkipped}`);
  return { files, notes };
}

/** The best epoch, when the saved model holds its weights (put back, or the last epoch was the best). */
export function savedEpoch(result: FitResult, restoreBest: boolean): { epoch: number; monitor: string } | undefined {
  if (!result.hasWeights || result.bestEpoch === undefined || result.monitor === undefined) return undefined;
  const last = result.history.epochs.at(-1)?.epoch;
  const keeps = result.restored || (result.bestEpoch === last && (result.status === 'interrupted' || restoreBest));
  return keeps ? { epoch: result.bestEpoch, monitor: result.monitor } : undefined;
}
