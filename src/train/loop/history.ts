/** One optimizer step: the loss of its batch, before the update. */
export interface BatchRecord {
  epoch: number;
  /** 1-based within the epoch. */
  batch: number;
  batches: number;
  loss: number;
}

/**
 * One epoch. The training values (`loss`, `accuracy`...) are means over the epoch's batches,
 * weighted by batch size, as the model changed during the epoch; the validation values
 * (`val_loss`...) are measured on the model as it is at the end of the epoch.
 */
export interface EpochRecord {
  epoch: number;
  logs: Record<string, number>;
  seconds: number;
  samplesPerSecond: number;
}

export interface TrainHistory {
  /** The training log names in order (`loss`, `price_loss`, `price_mae`...; see log-names.ts); validation ones add `val_`. */
  names: string[];
  /** Validation values before the first step (epoch 0), when there is validation data. */
  initial: Record<string, number> | null;
  epochs: EpochRecord[];
  batches: BatchRecord[];
}
