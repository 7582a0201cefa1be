import type { Compared, Deviation, ProbeReport } from '../analysis/probe.js';
import { columnWidths } from './column-widths.js';

const DASH = '—';

function sci(x: number | null): string {
  if (x === null) return DASH;
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  return x.toExponential(2);
}

/** measured / predicted: three digits near 1, powers of ten far from it. */
function ratio(x: number | null): string {
  if (x === null) return DASH;
  if (x === 0 || !Number.isFinite(x)) return String(x);
  return x >= 0.01 && x < 1000 ? x.toFixed(2) : x.toExponential(1);
}

function cells(c: Compared | null): string[] {
  return c ? [sci(c.measured), sci(c.predicted), ratio(c.ratio)] : ['', '', ''];
}

function deviation(what: string, d: Deviation | null): string | undefined {
  return d ? `${what} ×${ratio(d.ratio)} at \`${d.node}\`` : undefined;
}

/**
 * The `nnc probe` table: per node, what the reference engine measured at initialization beside
 * what the depth analysis predicted, and their ratio:
 *
 *     Probe of Deep at initialization (float64, batch 256, seed 0): measured vs predicted RMS
 *     Layer      Op     Depth  Activation  Predicted  Ratio  Gradient  Predicted  Ratio  Weight grad  Predicted  Ratio
 *     x          input      0     1.00e+0    1.00e+0   1.00   ...
 */
export function renderProbeTable(report: ProbeReport): string {
  const header = ['Layer', 'Op', 'Depth', 'Activation', 'Predicted', 'Ratio', 'Gradient', 'Predicted', 'Ratio', 'Weight grad', 'Predicted', 'Ratio'];
  const rows = report.rows.map((r) => [
    r.node,
    r.op,
    String(r.depth),
    ...cells(r.activation),
    ...cells(r.gradient),
    ...cells(r.weightGradient && { measured: r.weightGradient.measured, predicted: r.weightGradient.predicted, ratio: r.weightGradient.ratio }),
  ]);
  const widths = columnWidths(header, rows);
  const line = (row: string[]) => row.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const worst = [
    deviation('activation', report.worst.activation),
    deviation('gradient', report.worst.gradient),
    deviation('weight gradient', report.worst.weightGradient),
  ].filter((s) => s !== undefined);
  return [
    `Probe of ${report.model} at initialization (float64, batch ${report.batch}, seed ${report.seed}): measured vs predicted RMS`,
    line(header),
    ...rows.map(line),
    'Activation: RMS of the output; Gradient: RMS of dL/d(output) for N(0, 1) gradients at the outputs; Weight grad: RMS of one sample\'s dL/dW',
    ...(worst.length > 0 ? [`Largest deviations from the prediction: ${worst.join(', ')}`] : []),
  ].join('\n');
}
