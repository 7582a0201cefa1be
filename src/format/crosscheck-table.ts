import type { CrossCheckReport } from '../reference/crosscheck-tfjs.js';

const BANDS = {
  float32: 'normwise difference beyond float32 rounding ≤ 1e-5 pass, ≤ 1e-4 warn, ≤ 1e-3 suspect, above that fail',
  float64: 'normwise difference beyond float64 rounding ≤ 1e-10 pass, ≤ 1e-8 warn, ≤ 1e-6 suspect, above that fail',
};

/** The generated code's results (tfjs in float32, or PyTorch in either precision) against the float64 reference, one row per tensor. */
export function renderCrossCheckTable(report: CrossCheckReport): string {
  const precision = report.precision ?? 'float32';
  const header = ['Tensor', 'Line', 'Difference', 'Agreement'];
  const rows = report.rows.map((r) => [r.kind === 'output' ? r.name : `d ${r.name}`, String(r.line), r.difference === 0 ? '0' : r.difference.toExponential(2), r.zero ? `pass (zero up to ${precision} rounding)` : r.agreement]);
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i]!.length), h.length));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const digits = precision === 'float64' ? 15 : 7;
  return [
    `Generated ${report.engine ?? 'tfjs'} code (${report.backend}, ${precision}) against the float64 reference: loss ${report.loss.tfjs.toPrecision(digits)} vs ${report.loss.reference.toPrecision(digits)}`,
    line(header),
    rows.map(line).join('\n'),
    `Agreement: ${report.agreement} (${BANDS[precision]})`,
  ].join('\n');
}
