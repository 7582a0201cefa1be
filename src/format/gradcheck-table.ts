import type { GradcheckReport, Grade } from '../reference/gradcheck.js';

const GRADE_TEXT: Record<Grade, string> = {
  excellent: 'excellent',
  acceptable: 'acceptable (re-check)',
  suspect: 'suspect',
  unchecked: 'NOT CHECKED',
  bug: 'BUG in backprop',
};

function sci(x: number): string {
  return x === 0 ? '0' : x.toExponential(2);
}

/**
 * The per-tensor gradient check table:
 *
 *     Gradient check of WideDeep (full, ε = 1e-6, batch 4, seed 0): 1,207 parameters
 *     Tensor                 Line  Method  Checked  Kinks  Difference  Grade
 *     hidden/dense_1/kernel     4  loss        180      0    3.12e-10  excellent
 *     ...
 *     Overall difference 4.01e-10: excellent
 */
export function renderGradcheckTable(report: GradcheckReport): string {
  const header = ['Tensor', 'Line', 'Method', 'Checked', 'Kinks', 'Difference', 'Grade'];
  const rows = report.tensors.map((t) => [t.name, String(t.line), t.method, String(t.checked), String(t.kinks), t.checked === 0 ? '-' : sci(t.difference), GRADE_TEXT[t.grade]]);
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i]!.length), h.length));
  const right = new Set([1, 3, 4, 5]);
  const line = (cells: string[]) => cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [
    `Gradient check of ${report.model} (${report.mode}, ε = ${report.epsilon < 1e-3 ? report.epsilon.toExponential() : report.epsilon}, batch ${report.batch}, seed ${report.seed}): ${report.parameters.toLocaleString('en-US')} parameters, loss ${report.loss.toPrecision(6)}`,
  ];
  if (report.directions) {
    out.push(`Random directions: ${report.directions.map(sci).join(', ') || 'none usable (kinks or rounding)'}`);
  }
  if (rows.length > 0) out.push(line(header), rows.map(line).join('\n'));
  for (const note of report.notes) out.push(`note: ${note}`);
  const unchecked = report.tensors.filter((t) => t.grade === 'unchecked').length;
  if (report.grade === 'unchecked') {
    const which = unchecked === report.tensors.length ? 'no tensor' : `${unchecked} of ${report.tensors.length} tensors`;
    out.push(`Overall: ${which} could ${unchecked === report.tensors.length ? '' : 'not '}be checked: the gradients are not proven`);
  } else {
    out.push(`Overall difference ${sci(report.difference)}: ${GRADE_TEXT[report.grade]}`);
  }
  return out.join('\n');
}
