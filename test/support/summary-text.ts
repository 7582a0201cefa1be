import type { ModelSummary } from '../../src/summary.js';

/** A plain, stable rendering of a summary for fixtures (the CLI's table is tested on its own). */
export function summaryText(summary: ModelSummary): string {
  const rows = summary.rows.map((r) => `${r.layer} | ${r.op} | ${r.outputShape} | ${r.params} | ${r.init} | line ${r.line}`);
  return `model ${summary.model}\n${rows.join('\n')}\ntotal ${summary.totalParams} (trainable ${summary.trainableParams}, non-trainable ${summary.nonTrainableParams})\n`;
}
