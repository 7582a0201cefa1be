import { didYouMean } from '../diagnostics/suggest.js';
import type { BackendChoice } from './backend.js';
import type { TorchTrainFlags } from './train-torch.js';

export interface TrainFlags extends TorchTrainFlags {
  data: string;
  /** `tfjs` (the default) trains in this process; `torch` runs the generated train.py (src/cli/train-torch.ts). */
  engine?: 'tfjs' | 'torch';
  val?: string;
  model?: string;
  epochs?: string;
  batchSize?: string;
  backend: BackendChoice;
  out?: string;
  columns?: string[];
  seed?: string;
  trainShift?: string;
  quiet?: boolean;
  plain?: boolean;
  color?: boolean;
}

export interface TrainSettings {
  epochs?: number;
  batchSize?: number;
  seed?: number;
  trainShift: number;
  columns: Record<string, string[]>;
}

/** A bad flag value: the message says which flag and what it takes. */
export class FlagError extends Error {}

function integer(flag: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < min) throw new FlagError(`${flag} takes an integer of at least ${min}, found \`${text}\``);
  return value;
}

export function parseTrainFlags(flags: TrainFlags): TrainSettings {
  const trainShift = flags.trainShift === undefined ? 0.5 : Number(flags.trainShift);
  if (!(trainShift >= 0 && trainShift <= 1)) throw new FlagError(`--train-shift takes a number of epochs from 0 to 1, found \`${flags.trainShift}\``);
  return {
    epochs: integer('--epochs', flags.epochs, 1),
    batchSize: integer('--batch-size', flags.batchSize, 1),
    seed: integer('--seed', flags.seed, 0),
    trainShift,
    columns: parseColumns(flags.columns ?? []),
  };
}

/**
 * `--columns features=sepal_*,petal_*,species=species`: `NAME=` starts a binding and the patterns
 * after it, separated by commas, are its columns (so a column name cannot contain `=`). The flag
 * may also be repeated.
 */
export function parseColumns(values: readonly string[]): Record<string, string[]> {
  const columns: Record<string, string[]> = Object.create(null);
  for (const value of values) {
    let current: string[] | undefined;
    for (const item of value.split(',')) {
      const eq = item.indexOf('=');
      const pattern = eq >= 0 ? item.slice(eq + 1) : item;
      if (eq >= 0) {
        const name = item.slice(0, eq).trim();
        if (name === '') throw new FlagError(`--columns: \`${item}\` has no input or output name before \`=\``);
        current = columns[name] = [];
      } else if (!current) {
        throw new FlagError(`--columns takes NAME=COLUMN[,COLUMN...], found \`${value}\``);
      }
      if (pattern.trim() === '') throw new FlagError(`--columns: an empty column name in \`${value}\``);
      current.push(pattern.trim());
    }
  }
  return columns;
}

/** `--columns` may only name the model's inputs and outputs. */
export function checkColumnNames(columns: Record<string, string[]>, names: readonly string[]): void {
  for (const name of Object.keys(columns)) {
    if (!names.includes(name)) {
      const help = didYouMean(name, names);
      throw new FlagError(`--columns names \`${name}\`, which is neither an input nor an output of the model (${names.map((n) => `\`${n}\``).join(', ')})${help ? `; ${help}` : ''}`);
    }
  }
}
