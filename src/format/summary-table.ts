import type { ModelSummary, SummaryRow } from '../summary.js';
import { columnWidths } from './column-widths.js';

/** `2041` → `2,041`. Fixed separators rather than toLocaleString, so output is the same on every machine. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

interface Column {
  title: string;
  cell: (row: SummaryRow) => string;
  alignRight?: boolean;
}

const chainColumns: readonly Column[] = [
  { title: 'Layer', cell: (r) => r.layer },
  { title: 'Op', cell: (r) => r.op },
  { title: 'Output shape', cell: (r) => r.outputShape },
  { title: 'Params', cell: (r) => formatCount(r.params), alignRight: true },
  { title: 'Init', cell: (r) => r.init },
];

/**
 * Keras's summary of a functional model that is not a plain chain adds "Connected to", in its
 * notation (`layer[node][tensor]`, `-` for none); the column goes last, as in Keras, since it
 * is the widest and the most ragged.
 */
const graphColumns: readonly Column[] = [
  ...chainColumns,
  { title: 'Connected to', cell: (r) => (r.connectedTo.length === 0 ? '-' : r.connectedTo.join(', ')) },
];

const GAP = '  ';

/**
 * A Keras-style summary of one model (a graph that is not a chain adds "Connected to"):
 *
 *     Model: WideDeep
 *     Layer           Op     Output shape  Params  Init                   Connected to
 *     ==================================================================================
 *     wide            input  [?, 5]             0                         -
 *     hidden/dense_1  dense  [?, 30]          210  glorot_uniform (auto)  deep[0][0]
 *     ----------------------------------------------------------------------------------
 *     Total params: 2,041 (trainable 2,041, non-trainable 0)
 */
export function renderSummaryTable(summary: ModelSummary): string {
  const columns = summary.chain ? chainColumns : graphColumns;
  const cells = summary.rows.map((row) => columns.map((c) => c.cell(row)));
  const widths = columnWidths(columns.map((c) => c.title), cells);
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (columns[i]!.alignRight ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join(GAP)
      .trimEnd();
  const ruleWidth = widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1);
  const totals =
    `Total params: ${formatCount(summary.totalParams)} ` +
    `(trainable ${formatCount(summary.trainableParams)}, non-trainable ${formatCount(summary.nonTrainableParams)})`;
  return [
    `Model: ${summary.model}`,
    line(columns.map((c) => c.title)),
    '='.repeat(ruleWidth),
    ...cells.map(line),
    '-'.repeat(ruleWidth),
    totals,
  ].join('\n');
}
