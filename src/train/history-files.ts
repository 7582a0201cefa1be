import { DEFAULT_SHIFT } from './curves/align.js';
import type { FitResult } from './loop/fit.js';
import type { TrainHistory } from './loop/history.js';

/**
 * The history as files: per-epoch values (`history.csv`), per-batch losses (`batches.csv`) and
 * both with the run's facts (`history.json`). Every row carries the x at which the curves draw
 * it, so the alignment is in the data as well as in the picture.
 */
function csvCell(value: number | string | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<number | string | undefined>>): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

const validationNames = (history: TrainHistory): string[] =>
  history.names.map((n) => `val_${n}`).filter((n) => history.epochs.some((e) => n in e.logs) || (history.initial !== null && n.slice(4) in history.initial));

/** One row per epoch (and a row 0 with the validation values before training, when there are some). */
export function epochsCsv(history: TrainHistory, shift = DEFAULT_SHIFT): string {
  const val = validationNames(history);
  const header = ['epoch', 'training_x', 'validation_x', ...history.names, ...val, 'seconds', 'samples_per_second'];
  const rows: Array<Array<number | string | undefined>> = [];
  if (history.initial) rows.push([0, undefined, 0, ...history.names.map(() => undefined), ...val.map((n) => history.initial![n.slice(4)]), undefined, undefined]);
  for (const e of history.epochs) {
    rows.push([e.epoch, e.epoch - shift, val.length > 0 ? e.epoch : undefined, ...history.names.map((n) => e.logs[n]), ...val.map((n) => e.logs[n]), e.seconds, e.samplesPerSecond]);
  }
  return csv(header, rows);
}

export function batchesCsv(history: TrainHistory): string {
  return csv(['epoch', 'batch', 'batches', 'x', 'loss'], history.batches.map((b) => [b.epoch, b.batch, b.batches, b.epoch - 1 + b.batch / b.batches, b.loss]));
}

export interface RunFacts {
  model: string;
  source: string;
  data: string;
  validation: string | null;
  backend: string;
  seed: number;
  epochs: number;
  batchSize: number;
}

export function historyJson(result: FitResult, facts: RunFacts, shift = DEFAULT_SHIFT): string {
  const { history } = result;
  const json = {
    ...facts,
    status: result.status,
    ...(result.bestEpoch !== undefined ? { bestEpoch: result.bestEpoch, restoredBest: result.restored, ...(result.monitor ? { monitor: result.monitor } : {}) } : {}),
    ...(result.divergence ? { divergence: result.divergence } : {}),
    samplesPerSecond: result.samplesPerSecond,
    trainingShift: shift,
    names: history.names,
    initial: history.initial,
    epochs: history.epochs.map((e) => ({ epoch: e.epoch, trainingX: e.epoch - shift, validationX: e.epoch, ...e.logs, seconds: e.seconds, samplesPerSecond: e.samplesPerSecond })),
    batches: history.batches.map((b) => ({ ...b, x: b.epoch - 1 + b.batch / b.batches })),
  };
  // NaN and infinities are not JSON: they are written as strings.
  return `${JSON.stringify(json, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`;
}
