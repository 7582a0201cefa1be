import type * as TF from '@tensorflow/tfjs';
import type { IREarlyStopping, IRModel } from '../../ir/ir.js';
import { gatherRows, type Dataset } from '../data/dataset.js';
import { compiledParts, type CompiledParts } from './compiled.js';
import type { Divergence } from './divergence.js';
import { EarlyStopping } from './early-stopping.js';
import type { EpochRecord, TrainHistory } from './history.js';
import { LogSums } from './logs.js';
import { permutation, runRandom } from './shuffle.js';
import { computeStep, evaluateBatch, nonFiniteGradients } from './step.js';

export interface FitConfig {
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  seed: number;
  earlyStopping: IREarlyStopping | null;
}

export interface BatchProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  /** This batch's loss, and the running mean over the epoch so far. */
  loss: number;
  meanLoss: number;
  samplesPerSecond: number;
}

export interface FitHooks {
  onEpochBegin?(epoch: number, epochs: number, batches: number): void | Promise<void>;
  onBatchEnd?(progress: BatchProgress): void | Promise<void>;
  onEpochEnd?(record: EpochRecord, info: { epochs: number; best: boolean }): void | Promise<void>;
  /**
   * Polled after every batch: true ends training there (a stop button, Ctrl-C). The unfinished
   * epoch is left out of the history (its batches stay), and the weights of the best finished
   * epoch are put back; with it given, the run keeps a copy of them as it goes.
   */
  shouldStop?(): boolean;
  /** Milliseconds, for samples per second; `performance.now` by default. */
  now?(): number;
}

export type FitStatus = 'completed' | 'stopped-early' | 'diverged' | 'interrupted';

export interface FitResult {
  status: FitStatus;
  history: TrainHistory;
  divergence?: Divergence;
  /** With early stopping, or a run that could be interrupted: the best epoch, and whether its weights were put back. */
  bestEpoch?: number;
  /** The log that chose `bestEpoch`. */
  monitor?: string;
  restored: boolean;
  /** Whether the model holds weights worth keeping: not after a divergence, nor an interruption before any epoch finished. */
  hasWeights: boolean;
  /** Over all training steps. */
  samplesPerSecond: number;
}

/** A setting that cannot work with this data (early stopping on validation values without any). */
export class TrainSetupError extends Error {
  override readonly name = 'TrainSetupError';
}

/**
 * Trains a model built and compiled by the generated module, batch by batch: each step reads its
 * loss, metrics and a gradient check in one go, so a NaN or an infinity stops training before it
 * reaches the weights, progress is exact, and early stopping sees every epoch. Samples are
 * shuffled and dropout masks drawn from the run's seed, so one seed gives one result on a backend.
 */
export async function fit(tf: typeof TF, model: TF.LayersModel, ir: IRModel, data: { train: Dataset; validation: Dataset | null }, config: FitConfig, hooks: FitHooks = {}): Promise<FitResult> {
  const parts = compiledParts(model, ir);
  const { train, validation } = data;
  if (train.size === 0) throw new TrainSetupError('there are no training samples left once the validation samples are set aside');
  const monitor = config.earlyStopping?.monitor;
  if (monitor?.startsWith('val_') && !validation) {
    throw new TrainSetupError(`early stopping monitors \`${monitor}\`, but there is no validation data: set \`validation_split\` in the train block or pass validation data`);
  }
  const now = hooks.now ?? (() => performance.now());
  const random = runRandom(config.seed);
  // An interruptible run tracks its best epoch (by the early-stopping monitor, else val_loss or
  // loss) with a copy of its weights, so that a stop mid-epoch keeps a model that was measured.
  const tracking = config.earlyStopping ?? (hooks.shouldStop ? { monitor: validation ? 'val_loss' : 'loss', patience: Infinity, minDelta: 0, restoreBest: true, mode: 'min' as const, span: ir.span } : null);
  const stopping = tracking ? new EarlyStopping(tf, { ...tracking, restoreBest: tracking.restoreBest || hooks.shouldStop !== undefined }) : null;
  const names = new LogSums(ir, parts).names;
  const history: TrainHistory = { names, initial: validation ? await evaluate(tf, model, ir, parts, validation, config.batchSize) : null, epochs: [], batches: [] };
  const batches = Math.ceil(train.size / config.batchSize);
  let status: FitStatus = 'completed';
  let divergence: Divergence | undefined;
  let trainedSamples = 0;
  let trainingMs = 0;
  let stopAfterEpoch = false;
  let yielded = now();
  try {
    for (let epoch = 1; epoch <= config.epochs && status === 'completed'; epoch++) {
      await hooks.onEpochBegin?.(epoch, config.epochs, batches);
      const order = config.shuffle ? permutation(train.size, random.order) : Uint32Array.from({ length: train.size }, (_, i) => i);
      const sums = new LogSums(ir, parts);
      const start = now();
      for (let b = 0; b < batches; b++) {
        const from = b * config.batchSize;
        const to = Math.min(from + config.batchSize, train.size);
        for (const layer of parts.dropouts) (layer as unknown as { seed?: number }).seed = Math.floor(random.dropout.uniform() * 2 ** 31);
        const xs = train.inputs.map((t) => tf.tensor(gatherRows(t, order, from, to), [to - from, ...t.shape], t.dtype));
        const ys = train.targets.map((t) => tf.tensor(gatherRows(t, order, from, to), [to - from, ...t.shape], t.dtype));
        const { values, grads } = await computeStep(tf, model, parts, xs, ys);
        tf.dispose([...xs, ...ys]);
        const loss = values[0]!;
        const suspicious = !Number.isFinite(loss) || !Number.isFinite(values[1]!);
        const broken = suspicious ? nonFiniteGradients(tf, parts, grads) : [];
        if (!Number.isFinite(loss) || broken.length > 0) {
          tf.dispose(Object.values(grads));
          divergence = { epoch, batch: b + 1, batches, loss, gradients: broken, totalWeights: parts.variables.length };
          status = 'diverged';
          break;
        }
        parts.optimizer.applyGradients(grads);
        tf.dispose(Object.values(grads));
        sums.add(values, to - from);
        history.batches.push({ epoch, batch: b + 1, batches, loss });
        const elapsed = now() - start;
        await hooks.onBatchEnd?.({
          epoch, epochs: config.epochs, batch: b + 1, batches, loss, meanLoss: sums.mean(0),
          samplesPerSecond: elapsed > 0 ? (sums.samples / elapsed) * 1000 : 0,
        });
        // The cpu and wasm backends resolve reads at once, so the loop would never let a signal
        // handler or a stop button's click run: a stoppable run yields to the event loop every 50 ms.
        if (hooks.shouldStop && now() - yielded > 50) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          yielded = now();
        }
        if (hooks.shouldStop?.()) {
          // After the epoch's last step the epoch is complete: it is measured like any other.
          if (b === batches - 1) stopAfterEpoch = true;
          else status = 'interrupted';
          break;
        }
      }
      if (status === 'diverged' || status === 'interrupted') break;
      const ms = now() - start;
      trainedSamples += sums.samples;
      trainingMs += ms;
      if (sums.samples === 0) break;
      const logs = sums.logs();
      if (validation) Object.assign(logs, prefixed(await evaluate(tf, model, ir, parts, validation, config.batchSize)));
      const record: EpochRecord = { epoch, logs, seconds: ms / 1000, samplesPerSecond: ms > 0 ? (sums.samples / ms) * 1000 : 0 };
      history.epochs.push(record);
      const stop = stopping ? stopping.update(epoch, logs[stopping.monitor]!, model) : false;
      await hooks.onEpochEnd?.(record, { epochs: config.epochs, best: config.earlyStopping !== null && stopping?.bestEpoch === epoch });
      if (stopAfterEpoch) {
        status = 'interrupted';
        break;
      }
      if (stop && config.earlyStopping && status === 'completed' && epoch < config.epochs) status = 'stopped-early';
    }
    const lastEpoch = history.epochs.at(-1)?.epoch ?? 0;
    // A finished run restores as `restore_best` says; an interrupted one always goes back to its best finished epoch.
    const restoring = status === 'interrupted' || (status !== 'diverged' && config.earlyStopping?.restoreBest === true);
    const restored = restoring && stopping !== null && stopping.restore(model, status === 'interrupted' ? -1 : lastEpoch);
    const hasWeights = status !== 'diverged' && (status !== 'interrupted' || restored || (stopping?.bestEpoch ?? 0) > 0);
    const best = stopping && (config.earlyStopping || status === 'interrupted') && stopping.bestEpoch > 0 ? { bestEpoch: stopping.bestEpoch, monitor: stopping.monitor } : {};
    return {
      status, history, ...(divergence ? { divergence } : {}), ...best, restored, hasWeights,
      samplesPerSecond: trainingMs > 0 ? (trainedSamples / trainingMs) * 1000 : 0,
    };
  } finally {
    stopping?.dispose();
    for (const layer of parts.dropouts) (layer as unknown as { seed?: number }).seed = undefined;
  }
}

function prefixed(logs: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(logs).map(([k, v]) => [`val_${k}`, v]));
}

/** Loss and metrics over a whole dataset in inference mode, batch by batch, weighted by batch size. */
export async function evaluate(tf: typeof TF, model: TF.LayersModel, ir: IRModel, parts: CompiledParts, data: Dataset, batchSize: number): Promise<Record<string, number>> {
  const sums = new LogSums(ir, parts);
  // Inference holds no activations for backprop, so larger batches cost little memory and run faster.
  const size = Math.max(batchSize, 256);
  const order = Uint32Array.from({ length: data.size }, (_, i) => i);
  for (let from = 0; from < data.size; from += size) {
    const to = Math.min(from + size, data.size);
    const xs = data.inputs.map((t) => tf.tensor(gatherRows(t, order, from, to), [to - from, ...t.shape], t.dtype));
    const ys = data.targets.map((t) => tf.tensor(gatherRows(t, order, from, to), [to - from, ...t.shape], t.dtype));
    const values = await evaluateBatch(tf, model, parts, xs, ys);
    tf.dispose([...xs, ...ys]);
    sums.add(values, to - from);
  }
  return sums.logs();
}
