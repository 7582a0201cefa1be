import type { GradcheckReport, Grade } from '../reference/gradcheck.js';
import { columnWidths } from './column-widths.js';

const GRADE_TEXT: Record<Grade, string> = {
  excellent: 'excellent',
  acceptable: 'acceptable (re-check)',
  suspect: 'suspect',
  bug: 'BUG in backprop',
};

function sci(x: number): string {
  return x === 0 ? '0' : x.toExponential(2);
}

/**
 * The per-tensor gradient check table:
 *
 *     Gradient check of WideDeep (full, ε = 1e-6, batch 4, seed 0): 1,207 parameters
 *     Tensor                 Line  Checked  Kinks  Difference  Grade
 *     hidden/dense_1/kernel     4      180      0    3.12e-10  excellent
 *     ...
 *     Overall difference 4.01e-10: excellent
 */
export function renderGradcheckTable(report: GradcheckReport): string {
  const header = ['Tensor', 'Line', 'Checked', 'Kinks', 'Difference', 'Grade'];
  const rows = report.tensors.map((t) => [t.name, String(t.line), String(t.checked), String(t.kinks), sci(t.difference), GRADE_TEXT[t.grade]]);
  const widths = columnWidths(header, rows);
  const right = new Set([1, 2, 3, 4]);
  const line = (cells: string[]) => cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [
    `Gradient check of ${report.model} (${report.mode}, ε = ${report.epsilon < 1e-3 ? report.epsilon.toExponential() : report.epsilon}, batch ${report.batch}, seed ${report.seed}): ${report.parameters.toLocaleString('en-US')} parameters, loss ${report.loss.toPrecision(6)}`,
  ];
  if (report.directions) {
    out.push(`Random directions: ${report.directions.map(sci).join(', ') || 'none usable (all crossed kinks)'}`);
  }
  if (rows.length > 0) {
    out.push(line(header));
    for (const row of rows) out.push(line(row));
  }
  for (const note of report.notes) out.push(`note: ${note}`);
  const kinks = report.tensors.reduce((n, t) => n + t.kinks, 0);
  const unresolved = report.tensors.reduce((n, t) => n + t.unresolved, 0);
  if (unresolved > 0) out.push(`note: ${unresolved} component${unresolved === 1 ? '' : 's'} had gradients too small for a finite difference to resolve (a vanishing gradient?) and ${unresolved === 1 ? 'was' : 'were'} skipped`);
  if (kinks > 0) out.push(`note: ${kinks} component${kinks === 1 ? '' : 's'} crossed a kink (relu at 0, a max changing its argmax) and ${kinks === 1 ? 'was' : 'were'} skipped: not a backprop bug`);
  const checked = report.tensors.reduce((n, t) => n + t.checked, 0);
  if (report.tensors.length > 0 && checked === 0) out.push('Overall: no component could be checked (see the notes above)');
  else out.push(`Overall difference ${sci(report.difference)}: ${GRADE_TEXT[report.grade]}`);
  return out.join('\n');
}
