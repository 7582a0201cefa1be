import type { IRModel, IRTrain } from '../../ir/ir.js';
import { logEntries } from '../../train/log-names.js';

/**
 * How train.py names and computes an epoch's logs: nnc train's own table (src/train/log-names.ts),
 * `loss`, each output's unweighted loss (several outputs) and each output's metrics.
 */
export type LogSource = { kind: 'loss' } | { kind: 'output'; output: number } | { kind: 'metric'; index: number };

export interface LogPlan {
  /** Every (metric, output) pair train.py computes, in log order: what METRICS lists. */
  metrics: Array<{ name: string; output: number; metric: string }>;
  logs: Array<{ name: string; source: LogSource }>;
}

export function logPlan(model: IRModel, train: IRTrain): LogPlan {
  const entries = logEntries(model.outputs.map((o) => o.name), train);
  const metrics: LogPlan['metrics'] = [];
  const logs = entries.map(({ name, ...entry }): LogPlan['logs'][number] => {
    if (entry.kind === 'loss') return { name, source: { kind: 'loss' } };
    if (entry.kind === 'output-loss') return { name, source: { kind: 'output', output: entry.output } };
    metrics.push({ name, output: entry.output, metric: entry.metric });
    return { name, source: { kind: 'metric', index: metrics.length - 1 } };
  });
  return { metrics, logs };
}
