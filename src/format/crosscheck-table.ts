import type { CrossCheckReport } from '../reference/crosscheck-tfjs.js';

const BANDS = {
  float32: 'normwise difference ≤ 1e-5 pass, ≤ 1e-4 warn, ≤ 1e-3 suspect, above that fail',
  float64: 'normwise difference ≤ 1e-10 pass, ≤ 1e-8 warn, ≤ 1e-6 suspect, above that fail',
};

/** The generated code's results (tfjs in float32, or PyTorch) against the float64 reference, one row per tensor. */
export function renderCrossCheckTable(report: CrossCheckReport): string {
  const precision = report.precision ?? 'float32';
  const header = ['Tensor', 'Line', 'Difference', 'Agreement'];
  const rows = report.rows.map((r) => [r.kind === 'output' ? r.name : `d ${r.name}`, String(r.line), r.difference === 0 ? '0' : r.difference.toExponential(2), r.agreement]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [
    `Generated ${report.engine ?? 'tfjs'} code (${report.backend}, ${precision}) against the float64 reference: loss ${report.loss.tfjs.toPrecision(precision === 'float64' ? 15 : 7)} vs ${report.loss.reference.toPrecision(precision === 'float64' ? 15 : 7)}`,
    line(header),
    ...rows.map(line),
    `Agreement: ${report.agreement} (${BANDS[precision]})`,
  ].join('\n');
}
