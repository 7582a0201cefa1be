import type { SignalAnalysis } from '../analysis/signal.js';
import { columnWidths } from './column-widths.js';

function scale(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  return x.toExponential(2);
}

/**
 * `nnc check --depth`: the predicted scale of the signal at every layer, at initialization.
 * Forward is E[a²] relative to the input (×1 keeps it), backward E[(dL/da)²] relative to the
 * outputs' gradient; "per layer" is what this layer alone multiplies them by.
 */
export function renderDepthTable(analysis: SignalAnalysis): string {
  const header = ['Layer', 'Op', 'Depth', 'Forward', 'Per layer', 'Backward', 'Per layer'];
  const rows = analysis.rows.map((r) => [
    r.layer ?? r.node,
    r.op,
    String(r.depth),
    scale(r.forwardGain),
    r.layer === null ? '' : `×${Number(r.layerGain.toPrecision(3))}`,
    scale(r.backward),
    r.layer === null ? '' : `×${Number(r.layerBackwardGain.toPrecision(3))}`,
  ]);
  const widths = columnWidths(header, rows);
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [
    `Signal at initialization: ${analysis.model} (forward E[a²] relative to its input, backward E[(dL/da)²] relative to the outputs)`,
    line(header),
    ...rows.map(line),
  ].join('\n');
}
