import type { IRModel } from '../ir/ir.js';
import type { ColumnPatterns } from './data/columns.js';
import { splitDataset, type Dataset } from './data/dataset.js';
import { encodeTable, type ClassNames, type PortPlan } from './data/encode.js';
import { DataError, quote } from './data/errors.js';
import { dataPorts } from './data/ports.js';
import type { Table } from './data/table.js';

export interface PreparedData {
  train: Dataset;
  validation: Dataset | null;
  /** How the training table's columns feed the model. */
  plans: PortPlan[];
  classNames: ClassNames;
  /** The training table's column names, which `plans` index. */
  columnNames: string[];
  /** Facts and warnings worth a line each: where validation comes from, ignored columns, a sorted file. */
  notes: string[];
}

/**
 * The model's tensors from its data: the training table, and the validation table or else the
 * `validation_split` of the training one (its last rows, as Keras takes them). Throws DataError.
 */
export function prepareData(model: IRModel, tables: { train: Table; validation?: Table | undefined }, option: ColumnPatterns['option'] = {}): PreparedData {
  const train = model.train!;
  const ports = dataPorts(model);
  const patterns: ColumnPatterns = { setting: train.columns, option };
  const encoded = encodeTable(tables.train, ports, patterns);
  const notes: string[] = [];
  const used = new Set(encoded.plans.flatMap((p) => p.binding.columns));
  const ignored = tables.train.columns.filter((_, i) => !used.has(i));
  if (ignored.length > 0) notes.push(`ignored ${ignored.length === 1 ? 'column' : 'columns'} of ${tables.train.file}: ${ignored.map(quote).join(', ')}`);
  if (tables.validation) {
    const validation = encodeTable(tables.validation, ports, patterns, encoded.classNames);
    notes.push(`validation: ${tables.validation.file} (${validation.dataset.size} ${tables.validation.rowNoun}s)${train.validationSplit > 0 ? '; `validation_split` is not used' : ''}`);
    return { train: encoded.dataset, validation: validation.dataset, plans: encoded.plans, classNames: encoded.classNames, columnNames: tables.train.columns, notes };
  }
  const split = splitDataset(encoded.dataset, train.validationSplit);
  if (split.train.size === 0) {
    const n = encoded.dataset.size;
    const rows = `${n} ${tables.train.rowNoun}${n === 1 ? '' : 's'}`;
    throw new DataError(
      `${tables.train.file}: ${rows}, and \`validation_split = ${train.validationSplit}\` holds out the last ${split.validation?.size ?? 0} for validation, leaving none to train on: ` +
        'add rows, lower `validation_split`, or pass the validation data with --val',
    );
  }
  if (split.validation) {
    notes.push(`validation: the last ${split.validation.size} ${tables.train.rowNoun}s of ${tables.train.file} (validation_split = ${train.validationSplit})`);
    notes.push(...sortedSplitWarnings(encoded.plans, split.train, split.validation, encoded.classNames));
  }
  return { train: split.train, validation: split.validation, plans: encoded.plans, classNames: encoded.classNames, columnNames: tables.train.columns, notes };
}

/** A validation split that misses classes the training part has, or holds classes it lacks, usually means a sorted file. */
function sortedSplitWarnings(plans: readonly PortPlan[], train: Dataset, validation: Dataset, names: ClassNames): string[] {
  const warnings: string[] = [];
  const outputs = plans.filter((p) => p.binding.port.role === 'output');
  outputs.forEach((plan, i) => {
    if (!plan.labels) return;
    const seen = (data: Dataset) => classesIn(data.targets[i]!.data, plan.labels!.classes);
    const inTrain = seen(train);
    const inValidation = seen(validation);
    const name = (id: number) => names[plan.binding.port.name]?.[id] ?? String(id);
    const missing = [...inTrain].filter((c) => !inValidation.has(c));
    const unseen = [...inValidation].filter((c) => !inTrain.has(c));
    if (unseen.length > 0 || (missing.length > 0 && inValidation.size <= 1)) {
      const what = unseen.length > 0 ? `classes the training rows never show (${unseen.map(name).join(', ')})` : `only class ${name([...inValidation][0]!)}`;
      warnings.push(`warning: the validation rows (the end of the file) hold ${what} of output \`${plan.binding.port.name}\`: the file looks sorted; shuffle its rows or pass --val`);
    }
  });
  return warnings;
}

function classesIn(oneHot: Float32Array | Int32Array, classes: number): Set<number> {
  const seen = new Set<number>();
  for (let i = 0; i < oneHot.length; i++) if (oneHot[i] === 1) seen.add(i % classes);
  return seen;
}
