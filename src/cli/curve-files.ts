import type { FitResult } from '../train/loop/fit.js';
import { renderCurves } from './train-curves.js';
import type { RunFiles } from './train-output.js';

/**
 * The curves of a run as files: the Vega-Lite spec, its SVG and, where resvg loads, its PNG.
 * `nnc train` (either engine) and `nnc curves` draw them through this one function.
 */
export async function curveFiles(result: FitResult, shift: number, model: string): Promise<{ files: RunFiles; notes: string[] }> {
  const { alignCurves } = await import('../train/curves/align.js');
  const { curvesSpec } = await import('../train/curves/spec.js');
  const spec = curvesSpec(alignCurves(result.history, shift), { title: `${model}: training curves` });
  const files: RunFiles = { 'curves.vl.json': `${JSON.stringify(spec)}\n` };
  const rendered = await renderCurves(spec);
  files['curves.svg'] = rendered.svg;
  const notes: string[] = [];
  if (rendered.png) files['curves.png'] = rendered.png;
  else if (rendered.pngSkipped) notes.push(`no curves.png: ${rendered.pngSkipped}`);
  return { files, notes };
}
