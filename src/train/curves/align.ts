import type { TrainHistory } from '../loop/history.js';

/**
 * Curves that line up. A validation value is a snapshot of the model at the end of its epoch;
 * the training value of an epoch is the mean of its batches' losses, taken while the model kept
 * changing, so it describes the model about half-way through the epoch. Training means are
 * therefore drawn at epoch − shift (0.5 by default) and validation values at the epoch itself;
 * each batch's loss sits where its step ended, at epoch − 1 + batch / batches.
 */
export type Series = 'batch' | 'training' | 'validation';

export interface CurvePoint {
  /** Position on the epoch axis. */
  x: number;
  /** The log name without `val_`: `loss`, `accuracy`... */
  metric: string;
  series: Series;
  value: number;
  epoch: number;
}

export interface AlignedCurves {
  /** The log names drawn, without `val_`: `loss`, each output's loss (several outputs) and each metric. */
  metrics: string[];
  shift: number;
  points: CurvePoint[];
  /** The last x reached: the last epoch, or the last step of an unfinished one. */
  lastX: number;
}

export const DEFAULT_SHIFT = 0.5;

export function alignCurves(history: TrainHistory, shift = DEFAULT_SHIFT): AlignedCurves {
  const shown = history.names;
  const points: CurvePoint[] = [];
  for (const b of history.batches) {
    if (Number.isFinite(b.loss)) points.push({ x: b.epoch - 1 + b.batch / b.batches, metric: 'loss', series: 'batch', value: b.loss, epoch: b.epoch });
  }
  if (history.initial) {
    for (const metric of shown) {
      const value = history.initial[metric];
      if (value !== undefined) points.push({ x: 0, metric, series: 'validation', value, epoch: 0 });
    }
  }
  for (const { epoch, logs } of history.epochs) {
    for (const metric of shown) {
      if (logs[metric] !== undefined) points.push({ x: epoch - shift, metric, series: 'training', value: logs[metric]!, epoch });
      if (logs[`val_${metric}`] !== undefined) points.push({ x: epoch, metric, series: 'validation', value: logs[`val_${metric}`]!, epoch });
    }
  }
  const lastBatch = history.batches.at(-1);
  const lastX = Math.max(history.epochs.at(-1)?.epoch ?? 0, lastBatch ? lastBatch.epoch - 1 + lastBatch.batch / lastBatch.batches : 0, 1);
  return { metrics: shown, shift, points, lastX };
}
