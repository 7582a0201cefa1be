import type { CrossCheckReport } from '../reference/crosscheck-tfjs.js';

/** The generated tfjs code's float32 results against the float64 reference, one row per tensor. */
export function renderCrossCheckTable(report: CrossCheckReport): string {
  const header = ['Tensor', 'Line', 'Difference', 'Agreement'];
  const rows = report.rows.map((r) => [r.kind === 'output' ? r.name : `d ${r.name}`, String(r.line), r.difference === 0 ? '0' : r.difference.toExponential(2), r.zero ? 'pass (zero up to float32 rounding)' : r.agreement]);
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i]!.length), h.length));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [
    `Generated tfjs code (${report.backend}, float32) against the float64 reference: loss ${report.loss.tfjs.toPrecision(7)} vs ${report.loss.reference.toPrecision(7)}`,
    line(header),
    rows.map(line).join('\n'),
    `Agreement: ${report.agreement} (normwise difference beyond float32 rounding ≤ 1e-5 pass, ≤ 1e-4 warn, ≤ 1e-3 suspect, above that fail)`,
  ].join('\n');
}
