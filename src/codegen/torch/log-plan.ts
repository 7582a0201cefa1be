import type { IRModel, IRTrain } from '../../ir/ir.js';

/**
 * How train.py names and computes an epoch's logs, as `nnc train` does (src/train/loop/logs.ts):
 * `loss`, then, with several outputs, each output's unweighted loss (`price_loss`, left out for an
 * output of weight 0), each output's metrics (`price_mae`) and each metric's mean over the outputs.
 */
export type LogSource = { kind: 'loss' } | { kind: 'output'; output: number } | { kind: 'metric'; index: number } | { kind: 'mean'; indices: number[] };

export interface LogPlan {
  /** Every (metric, output) pair train.py computes, output by output: what METRICS lists. */
  metrics: Array<{ name: string; output: number }>;
  logs: Array<{ name: string; source: LogSource }>;
  /** The logs that sum a run up: `loss` and each metric. */
  headline: string[];
}

export function logPlan(model: IRModel, train: IRTrain): LogPlan {
  const metrics = model.outputs.flatMap((_, output) => train.metrics.map((name) => ({ name, output })));
  const headline = ['loss', ...train.metrics];
  if (model.outputs.length === 1) {
    return { metrics, headline, logs: [{ name: 'loss', source: { kind: 'loss' } }, ...metrics.map((m, index) => ({ name: m.name, source: { kind: 'metric', index } as const }))] };
  }
  const logs: LogPlan['logs'] = [{ name: 'loss', source: { kind: 'loss' } }];
  model.outputs.forEach((o, output) => {
    if (train.losses[o.name]!.weight > 0) logs.push({ name: `${o.name}_loss`, source: { kind: 'output', output } });
  });
  metrics.forEach((m, index) => logs.push({ name: `${model.outputs[m.output]!.name}_${m.name}`, source: { kind: 'metric', index } }));
  for (const name of train.metrics) {
    const indices = metrics.flatMap((m, i) => (m.name === name ? [i] : []));
    logs.push({ name, source: { kind: 'mean', indices } });
  }
  return { metrics, headline, logs };
}
