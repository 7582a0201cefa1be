import type { OnnxCheckReport } from '../reference/crosscheck-onnx.js';

const number = (x: number): string => (Number.isNaN(x) ? 'NaN' : x === 0 ? '0' : x.toExponential(2));

/** The exported model's float32 outputs in onnxruntime against the float64 reference, one row per output. */
export function renderOnnxCheckTable(report: OnnxCheckReport): string {
  const header = ['Output', 'Line', 'Difference', 'Max error', 'Agreement'];
  const rows = report.rows.map((r) => [r.output, String(r.line), number(r.difference), number(r.maxError), r.agreement]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 1 && i <= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [
    `ONNX model (opset ${report.opset}) in ${report.runtime}, float32, against the float64 reference at inference: ${report.model}, batch ${report.batch}`,
    line(header),
    ...rows.map(line),
    ...(report.error ? [`onnxruntime could not run the model on this batch: ${report.error}`] : []),
    `Agreement: ${report.agreement} (normwise difference ≤ 1e-5 pass, ≤ 1e-4 warn, ≤ 1e-3 suspect, above that fail)`,
  ].join('\n');
}
