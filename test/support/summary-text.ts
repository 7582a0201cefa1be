import type { ModelSummary } from '../../src/summary.js';

/**
 * A plain, stable rendering of a summary for fixtures (the CLI's table is tested on its own).
 * A graph that is not a plain chain lists what each row is connected to, as its table does.
 */
export function summaryText(summary: ModelSummary): string {
  const connected = (connectedTo: readonly string[]) => (summary.chain ? '' : ` | connected to ${connectedTo.join(', ') || '-'}`);
  const rows = summary.rows.map((r) => `${r.layer} | ${r.op} | ${r.outputShape} | ${r.params} | ${r.init} | line ${r.line}${connected(r.connectedTo)}`);
  return `model ${summary.model}\n${rows.join('\n')}\ntotal ${summary.totalParams} (trainable ${summary.trainableParams}, non-trainable ${summary.nonTrainableParams})\n`;
}
