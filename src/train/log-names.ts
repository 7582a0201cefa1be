import type { IRTrain } from '../ir/ir.js';

/**
 * The names of a run's logs, one meaning each, shared by `nnc train` and the generated `train()`
 * (the same function computes both lists). As in Keras:
 * - `loss`: what training minimises, Σ weight · loss over the outputs;
 * - with several outputs, `NAME_loss`: output NAME's own loss, unweighted (an output of weight 0
 *   does not train, and has none), and `NAME_METRIC` for each of its metrics;
 * - with one output, its metrics under their own names (`mae`, `accuracy`).
 * No metric is averaged over outputs: a mean of errors on different scales, or of accuracies of
 * different tasks, means nothing. Validation logs are the same names with `val_` in front.
 */
export type LogEntry =
  | { name: string; kind: 'loss' }
  /** Output `output`'s loss, unweighted: the weighted value divided by `weight`. */
  | { name: string; kind: 'output-loss'; output: number; weight: number }
  | { name: string; kind: 'metric'; output: number; metric: string };

export function logEntries(outputs: readonly string[], train: Pick<IRTrain, 'losses' | 'metrics'>): LogEntry[] {
  const entries: LogEntry[] = [{ name: 'loss', kind: 'loss' }];
  const single = outputs.length === 1;
  if (!single) {
    outputs.forEach((output, i) => {
      const weight = train.losses[output]?.weight ?? 1;
      if (weight > 0) entries.push({ name: `${output}_loss`, kind: 'output-loss', output: i, weight });
    });
  }
  outputs.forEach((output, i) => {
    for (const metric of ownMetrics(train.metrics, output)) entries.push({ name: single ? metric : `${output}_${metric}`, kind: 'metric', output: i, metric });
  });
  return entries;
}

export function logNames(outputs: readonly string[], train: Pick<IRTrain, 'losses' | 'metrics'>): string[] {
  return logEntries(outputs, train).map((e) => e.name);
}

/** The metrics of one output, in order; none for a name the record does not hold as its own key. */
export function ownMetrics(metrics: IRTrain['metrics'], output: string): readonly string[] {
  return Object.prototype.hasOwnProperty.call(metrics, output) ? metrics[output]! : [];
}

/** Whether a higher value of this log is better (accuracies), for early stopping and for marking a best epoch. */
export function higherIsBetter(name: string): boolean {
  return /accuracy$/.test(name.replace(/^val_/, ''));
}
