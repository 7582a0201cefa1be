import type * as TF from '@tensorflow/tfjs';
import type { IREarlyStopping } from '../../ir/ir.js';

/**
 * Keras's EarlyStopping: an epoch improves on the best so far when the monitored value beats it
 * by more than `minDelta`; after `patience` epochs in a row without improvement, training stops.
 * With `restoreBest`, the best epoch's weights are kept (as copies) and put back at the end of
 * training, whether it stopped early or ran all its epochs.
 */
export class EarlyStopping {
  private best: number;
  private wait = 0;
  private weights: TF.Tensor[] | null = null;
  bestEpoch = 0;

  constructor(
    private readonly tf: typeof TF,
    private readonly config: IREarlyStopping,
  ) {
    this.best = config.mode === 'min' ? Infinity : -Infinity;
  }

  get monitor(): string {
    return this.config.monitor;
  }

  /** Records an epoch's value; returns whether training should stop. */
  update(epoch: number, value: number, model: TF.LayersModel): boolean {
    const { minDelta, mode, patience, restoreBest } = this.config;
    const improved = mode === 'min' ? value < this.best - minDelta : value > this.best + minDelta;
    if (improved) {
      this.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (restoreBest) {
        this.tf.dispose(this.weights ?? []);
        // Variables are updated by replacing their data, so a clone keeps this epoch's values.
        this.weights = model.getWeights().map((w) => this.tf.clone(w));
      }
      return false;
    }
    this.wait++;
    return this.wait >= patience;
  }

  /** Puts the best epoch's weights back unless they are the model's already (`lastEpoch` was the best); returns whether it did. */
  restore(model: TF.LayersModel, lastEpoch: number): boolean {
    if (!this.weights || this.bestEpoch === lastEpoch) return false;
    model.setWeights(this.weights);
    return true;
  }

  dispose(): void {
    this.tf.dispose(this.weights ?? []);
    this.weights = null;
  }
}
