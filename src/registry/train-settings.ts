/**
 * The settings of a `train { }` block, with what they take, for documentation, completion and
 * hover. The checker (src/check/check-train.ts) validates them; a test keeps both lists equal.
 */
export interface TrainSettingDef {
  name: string;
  /** What the value is, in words. */
  value: string;
  /** The default, in words. */
  default: string;
  doc: string;
  /** What completes after `name = `: names of this kind, a literal, or a snippet. */
  takes: 'loss' | 'optimizer' | 'metrics' | 'bool' | 'outputs' | 'number' | 'columns' | 'early_stopping';
}

export const trainSettingDefs: readonly TrainSettingDef[] = [
  { name: 'loss', value: 'a loss for every output, or `{ output: loss, ... }`', default: 'required', doc: 'What training minimises for each output.', takes: 'loss' },
  { name: 'loss_weights', value: '`{ output: weight, ... }`, weights ≥ 0', default: '1 for each output', doc: 'With several outputs, training minimises Σ weight · loss.', takes: 'outputs' },
  { name: 'optimizer', value: 'an optimizer, or a call with its parameters', default: '`adam` with its defaults', doc: 'How the weights are updated from their gradients.', takes: 'optimizer' },
  { name: 'metrics', value: 'a list of metric names (or one name)', default: 'none', doc: 'What is reported besides the loss at each epoch.', takes: 'metrics' },
  { name: 'epochs', value: 'integer ≥ 1', default: '10', doc: 'Passes over the training data.', takes: 'number' },
  { name: 'batch_size', value: 'integer ≥ 1', default: '32', doc: 'Samples per gradient step.', takes: 'number' },
  { name: 'validation_split', value: 'number in [0, 1)', default: '0', doc: 'The fraction of samples held out for validation (the last ones, before shuffling).', takes: 'number' },
  { name: 'shuffle', value: '`true` or `false`', default: '`true`', doc: 'Whether the samples are shuffled each epoch.', takes: 'bool' },
  { name: 'seed', value: 'integer ≥ 0', default: 'none', doc: 'The seed of the initial weights (and, in `nnc train`, of shuffling and dropout).', takes: 'number' },
  { name: 'columns', value: '`{ name: "column" or ["prefix_*", ...] }`', default: 'a column named like each input and output', doc: 'The data columns of inputs and outputs, for `nnc train`.', takes: 'columns' },
  { name: 'early_stopping', value: '`{ monitor, patience, min_delta, restore_best }`', default: 'off', doc: 'Stops when `monitor` has not improved by more than `min_delta` for `patience` epochs, and puts the best weights back.', takes: 'early_stopping' },
];

/** The keys of `early_stopping = { ... }`. */
export const earlyStoppingKeys: ReadonlyArray<{ name: string; doc: string; example: string }> = [
  { name: 'monitor', doc: 'The figure watched: `loss`, `val_loss`, a metric or a `val_` metric (default `val_loss`, or `loss` without validation).', example: 'val_loss' },
  { name: 'patience', doc: 'Epochs without improvement before stopping (default 5).', example: '5' },
  { name: 'min_delta', doc: 'The smallest change that counts as an improvement (default 0).', example: '0' },
  { name: 'restore_best', doc: 'Whether the best epoch\'s weights are put back when stopping (default `true`).', example: 'true' },
];
