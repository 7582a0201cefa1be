import type { TrainHistory } from '../loop/history.js';
import { DEFAULT_SHIFT } from './align.js';

/**
 * Reads the aligned loss curves. For each epoch the training mean (at epoch − shift) is compared
 * with the validation loss at the same point on the axis, interpolated between the snapshots
 * around it, both smoothed over a few epochs (a tenth of the run, at least 1) so that noise in a
 * small validation set does not flip the verdict. Within a band of 10% (plus 0.1% of the starting
 * loss, so that two losses near zero count as equal) the curves overlap; otherwise training is
 * below validation (overfitting) or above it (usual early on, and where dropout or other
 * regularisation acts only in training). Phases shorter than the smoothing window join the one
 * before them.
 */
export type CurveState = 'overlap' | 'below' | 'above';

export interface Phase {
  state: CurveState;
  /** First and last epoch, inclusive. */
  from: number;
  to: number;
}

export interface Diagnosis {
  /** The state at the end of training, or `none` without validation data. */
  verdict: CurveState | 'none';
  phases: Phase[];
  /** Per epoch: training mean and validation at the same x, both smoothed, and the state. */
  epochs: Array<{ epoch: number; training: number; validation: number; state: CurveState }>;
  /** The lowest validation loss measured (not smoothed). */
  bestValidation?: { epoch: number; value: number };
  lines: string[];
}

export interface DiagnoseOptions {
  shift?: number;
  /** Layers active only in training (dropout), named in the explanation of `above`. */
  trainingOnlyLayers?: readonly string[];
}

export function diagnoseCurves(history: TrainHistory, options: DiagnoseOptions = {}): Diagnosis {
  const shift = options.shift ?? DEFAULT_SHIFT;
  const snapshots: Array<[number, number]> = [];
  if (history.initial?.loss !== undefined) snapshots.push([0, history.initial.loss]);
  for (const e of history.epochs) if (e.logs.val_loss !== undefined) snapshots.push([e.epoch, e.logs.val_loss]);
  const trained = history.epochs.filter((e) => Number.isFinite(e.logs.loss));
  if (snapshots.length === 0 || trained.length === 0) {
    const why = trained.length === 0 ? 'no complete epoch to compare' : 'no validation data: set `validation_split` in the train block or pass `--val` to compare the curves';
    return { verdict: 'none', phases: [], epochs: [], lines: [`curves: ${why}`] };
  }
  const scale = Math.max(Math.abs(trained[0]!.logs.loss!), Math.abs(snapshots[0]![1]));
  // Within the first epoch the loss falls too fast for a straight line between the snapshots at
  // 0 and 1 to stand for it (the mean of a convex curve lies below that line): from the second
  // epoch on the curves are compared, and the first shares the second's state.
  const judged = trained.length > 1 ? trained.slice(1) : trained;
  const window = Math.max(1, Math.round(trained.length / 10));
  const training = movingMean(judged.map((e) => e.logs.loss!), window);
  const validation = movingMean(judged.map((e) => interpolate(snapshots, e.epoch - shift)), window);
  const epochs = judged.map((e, i) => {
    const t = training[i]!;
    const v = validation[i]!;
    const band = 0.1 * Math.max(Math.abs(t), Math.abs(v)) + 0.001 * scale;
    const state: CurveState = t > v + band ? 'above' : t < v - band ? 'below' : 'overlap';
    return { epoch: e.epoch, training: t, validation: v, state };
  });
  if (judged !== trained) {
    const first = trained[0]!;
    epochs.unshift({ epoch: first.epoch, training: first.logs.loss!, validation: interpolate(snapshots, first.epoch - shift), state: epochs[0]!.state });
  }
  const phases = joinShort(toPhases(epochs), Math.max(2, Math.ceil(window / 2)));
  const best = snapshots.filter(([x]) => x > 0).reduce<[number, number] | undefined>((b, s) => (!b || s[1] < b[1] ? s : b), undefined);
  const verdict = phases.at(-1)!.state;
  const lines = [`curves: training loss drawn at epoch − ${shift} (the mean over an epoch describes the model half-way through it), validation loss at the end of each epoch`];
  phases.forEach((phase, i) => lines.push(`  ${range(phase, i === phases.length - 1)}: ${describe(phase.state, i === phases.length - 1, options.trainingOnlyLayers ?? [])}`));
  if (verdict === 'below' && best) {
    // On the smoothed curve, so that one noisy epoch neither hides nor invents a rise; and only
    // when the best measured epoch lies before the last smoothing window.
    const lowest = epochs.reduce((a, b) => (b.validation < a.validation ? b : a));
    const rise = epochs.at(-1)!.validation / lowest.validation - 1;
    const falling = epochs.at(-1)!.training < lowest.training;
    if (rise > 0.1 && best[0] <= trained.at(-1)!.epoch - window) {
      lines.push(`  validation loss has risen ${Math.round(rise * 100)}% since around epoch ${lowest.epoch}${falling ? ' while training loss kept falling' : ''}`);
    }
  }
  return { verdict, phases, epochs, ...(best ? { bestValidation: { epoch: best[0], value: best[1] } } : {}), lines };
}

/** Linear between snapshots; the nearest snapshot outside them. */
function interpolate(points: ReadonlyArray<[number, number]>, x: number): number {
  if (x <= points[0]![0]) return points[0]![1];
  for (let i = 1; i < points.length; i++) {
    const [x1, y1] = points[i]!;
    if (x <= x1) {
      const [x0, y0] = points[i - 1]!;
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return points.at(-1)![1];
}

function toPhases(epochs: ReadonlyArray<{ epoch: number; state: CurveState }>): Phase[] {
  const phases: Phase[] = [];
  for (const { epoch, state } of epochs) {
    const last = phases.at(-1);
    if (last && last.state === state) last.to = epoch;
    else phases.push({ state, from: epoch, to: epoch });
  }
  return phases;
}

/** Centered mean over `window` epochs (fewer at the ends). */
function movingMean(values: readonly number[], window: number): number[] {
  const half = Math.floor(window / 2);
  return values.map((_, i) => {
    const slice = values.slice(Math.max(0, i - half), Math.min(values.length, i + half + 1));
    return slice.reduce((a, b) => a + b, 0) / slice.length;
  });
}

/** A phase shorter than `min` epochs is noise: it joins the phase before it (the first one, the phase after). */
function joinShort(phases: readonly Phase[], min: number): Phase[] {
  const result: Phase[] = [];
  for (const phase of phases) {
    const before = result.at(-1);
    if (before && (phase.to - phase.from + 1 < min || before.state === phase.state)) before.to = phase.to;
    else result.push({ ...phase });
  }
  if (result.length > 1 && result[0]!.to - result[0]!.from + 1 < min) {
    result[1]!.from = result[0]!.from;
    result.shift();
  }
  // Joining can leave two neighbours in the same state.
  return result.reduce<Phase[]>((merged, phase) => {
    const before = merged.at(-1);
    if (before && before.state === phase.state) before.to = phase.to;
    else merged.push(phase);
    return merged;
  }, []);
}

function range(phase: Phase, last: boolean): string {
  if (last && phase.state === 'below' && phase.from > 1) return `from epoch ${phase.from}`;
  return phase.from === phase.to ? `epoch ${phase.from}` : `epochs ${phase.from}–${phase.to}`;
}

function describe(state: CurveState, last: boolean, layers: readonly string[]): string {
  if (state === 'overlap') return last ? 'the curves overlap: the model generalises well' : 'the curves overlap';
  if (state === 'below') return 'training below validation: the model is overfitting (it fits the training data better than data it has not seen)';
  const active = layers.length > 0 ? `, as with ${layers.map((l) => `\`${l}\``).join(', ')} here` : '';
  return `training above validation: typical early in training, and with dropout or other regularisation active only in training${active}`;
}
