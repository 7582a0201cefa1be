import { DataError } from './data/errors.js';
import type { Divergence } from './loop/divergence.js';
import type { FitResult, FitStatus } from './loop/fit.js';
import type { EpochRecord, TrainHistory } from './loop/history.js';

/**
 * A run folder's history.json read back (the inverse of history-files.ts): what `nnc curves`
 * draws, and what `nnc train --engine torch` reports once train.py has written it. Throws a
 * DataError naming what is missing for anything that is not a history nnc or train.py wrote.
 */
export interface ReadHistory {
  result: FitResult;
  /** The facts the run recorded (model, data, backend, seed...). */
  facts: Record<string, unknown>;
  shift: number;
  /** Whether the run's train block restores the best epoch (train.py records it; older histories do not say). */
  restoreBest: boolean;
}

const STATUSES: readonly FitStatus[] = ['completed', 'stopped-early', 'diverged', 'interrupted'];

/** history.json writes non-finite numbers as strings. */
function num(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return undefined;
}

/** The logs of one epoch or of the values before training: the known names only. */
function logs(record: Record<string, unknown>, names: readonly string[]): Record<string, number> {
  const result: Record<string, number> = {};
  for (const name of names) {
    const value = num(record[name]);
    if (value !== undefined) result[name] = value;
  }
  return result;
}

export function readHistoryJson(text: string, file: string): ReadHistory {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DataError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  const fail = (what: string): never => {
    throw new DataError(`${file}: ${what}; it is not the history.json of an nnc run`);
  };
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return fail('expected an object');
  const doc = json as Record<string, unknown>;
  const names = doc.names;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) return fail('`names` is not a list of log names');
  const status = doc.status as FitStatus;
  if (!STATUSES.includes(status)) return fail('`status` is missing');
  if (!Array.isArray(doc.epochs) || !Array.isArray(doc.batches)) return fail('`epochs` or `batches` is missing');
  const all = [...names, ...names.map((n) => `val_${n}`)];
  const epochs: EpochRecord[] = (doc.epochs as Array<Record<string, unknown>>).map((e) => ({
    epoch: num(e.epoch) ?? fail('an epoch has no number'),
    logs: logs(e, all),
    seconds: num(e.seconds) ?? 0,
    samplesPerSecond: num(e.samplesPerSecond) ?? 0,
  }));
  const batches = (doc.batches as Array<Record<string, unknown>>).map((b) => ({
    epoch: num(b.epoch) ?? fail('a batch has no epoch'),
    batch: num(b.batch) ?? fail('a batch has no number'),
    batches: num(b.batches) ?? fail('a batch has no count'),
    loss: num(b.loss) ?? NaN,
  }));
  const initial = doc.initial && typeof doc.initial === 'object' ? logs(doc.initial as Record<string, unknown>, names) : null;
  const history: TrainHistory = { names, initial, epochs, batches };
  const shift = num(doc.trainingShift) ?? 0.5;
  const divergence = doc.divergence && typeof doc.divergence === 'object' ? readDivergence(doc.divergence as Record<string, unknown>) : undefined;
  const bestEpoch = num(doc.bestEpoch);
  const restored = doc.restoredBest === true;
  // As fit() decides it: no model after a divergence, nor after an interruption before any epoch finished.
  const hasWeights = status !== 'diverged' && (status !== 'interrupted' || restored || (bestEpoch ?? 0) > 0);
  const result: FitResult = {
    status,
    history,
    ...(divergence ? { divergence } : {}),
    ...(bestEpoch !== undefined ? { bestEpoch } : {}),
    ...(typeof doc.monitor === 'string' ? { monitor: doc.monitor } : {}),
    restored,
    hasWeights,
    samplesPerSecond: num(doc.samplesPerSecond) ?? 0,
  };
  const facts = Object.fromEntries(Object.entries(doc).filter(([k]) => ['model', 'source', 'data', 'validation', 'backend', 'seed', 'epochs', 'batchSize', 'engine', 'processes', 'perDeviceBatch'].includes(k)));
  return { result, facts, shift, restoreBest: doc.restoreBest === true };
}

function readDivergence(d: Record<string, unknown>): Divergence {
  const gradients = Array.isArray(d.gradients) ? (d.gradients as Array<{ weight: string; kind: 'NaN' | 'Inf' }>) : [];
  return { epoch: num(d.epoch) ?? 0, batch: num(d.batch) ?? 0, batches: num(d.batches) ?? 0, loss: num(d.loss) ?? NaN, gradients, totalWeights: num(d.totalWeights) ?? 0 };
}
