import { formatShape, product } from '../../registry/op.js';
import { encodeLabels } from './labels.js';
import { bindColumns, listColumns, type ColumnBinding, type ColumnPatterns } from './columns.js';
import type { Dataset, TensorData } from './dataset.js';
import { cellPlace, DataError, quote } from './errors.js';
import { portLabel, type DataPort } from './ports.js';
import { NUMBER, type Cell, type Table } from './table.js';

/** How one port's cells were read: its columns, its per-sample shape, and class labels if any. */
export interface PortPlan {
  binding: ColumnBinding;
  shape: number[];
  /** Class labels: `classes` per label cell, one-hot in the tensor. */
  labels?: { classes: number };
}

/** The class names of outputs whose labels are text: id i is names[i] (sorted by code point). */
export type ClassNames = Record<string, string[]>;

export interface EncodedData {
  dataset: Dataset;
  plans: PortPlan[];
  classNames: ClassNames;
}

/**
 * Turns a table into tensors for `ports` (the model's inputs, then its outputs). `known` are the
 * class names from the training data, which validation data must use; without them, text labels
 * get ids in sorted order.
 */
export function encodeTable(table: Table, ports: readonly DataPort[], patterns: ColumnPatterns, training?: ClassNames): EncodedData {
  const bindings = bindColumns(table, ports, patterns);
  const plans = bindings.map((binding) => planPort(table, binding));
  const classNames: ClassNames = Object.create(null);
  const tensors = plans.map((plan) => {
    const name = plan.binding.port.name;
    // Validation data must use the training data's classes: its names, or ids when it had none.
    const known = training ? (Object.prototype.hasOwnProperty.call(training, name) ? training[name]! : null) : undefined;
    if (plan.labels) return encodeLabels(table, plan, plan.labels.classes, known, classNames);
    if (plan.binding.port.target === 'binary' && (known || (known === undefined && hasText(table, plan.binding.columns)))) {
      return encodeLabels(table, plan, 2, known, classNames, true);
    }
    return encodeNumbers(table, plan);
  });
  const inputs = tensors.filter((_, i) => ports[i]!.role === 'input');
  const targets = tensors.filter((_, i) => ports[i]!.role === 'output');
  return { dataset: { size: table.rows.length, inputs, targets }, plans, classNames };
}

const SOURCES: Record<ColumnBinding['source'], string> = {
  setting: 'by the `train { columns }` setting',
  option: 'by `--columns`',
  name: 'by its name',
  indexed: 'by the convention NAME_0, NAME_1, ...',
  rest: 'as the columns left over (a model with one input and one output)',
};

/** The per-sample shape the bound columns fill, inferring one unknown (`?`) dimension from their count. */
function planPort(table: Table, binding: ColumnBinding): PortPlan {
  const { port, columns } = binding;
  const count = columns.length;
  const shape = port.shape;
  const mismatch = (detail: string): never => {
    const names = listColumns(columns.map((c) => table.columns[c]!));
    const columnsText = `${count} ${count === 1 ? 'column is' : 'columns are'} bound to it ${SOURCES[binding.source]} (${names})`;
    throw new DataError(`${table.file}: ${portLabel(port)} has shape ${formatShape(shape)}, ${detail}, but ${columnsText}`);
  };
  if (port.target === 'labels' || port.target === 'labels-or-numbers') {
    const classes = shape[shape.length - 1];
    if (typeof classes !== 'number') return mismatch('whose number of classes is unknown') as never;
    const full = fit(shape, count);
    if (port.target === 'labels-or-numbers' && full) return { binding, shape: full };
    const rows = fit(shape.slice(0, -1), count);
    if (rows) return { binding, shape: [...rows, classes], labels: { classes } };
    const perRow = shape.length === 1 ? 'one class label per sample' : `${sizeText(shape.slice(0, -1))} class labels per sample`;
    const detail = port.target === 'labels' ? `so it takes ${perRow}` : `so it takes ${perRow} or ${sizeText(shape)} numbers (one-hot)`;
    return mismatch(detail);
  }
  const full = fit(shape, count);
  return full ? { binding, shape: full } : mismatch(`so it takes ${sizeText(shape)} values per sample`);
}

function sizeText(shape: readonly (number | null)[]): string {
  const known = shape.filter((d): d is number => d !== null);
  return known.length === shape.length ? String(product(known)) : `a multiple of ${product(known)}`;
}

/** The shape with its one unknown dimension filled so that it holds `count` values; undefined if none fits. */
function fit(shape: readonly (number | null)[], count: number): number[] | undefined {
  const unknown = shape.filter((d) => d === null).length;
  const known = product(shape.filter((d): d is number => d !== null));
  if (unknown === 0) return known === count ? (shape as number[]).slice() : undefined;
  if (unknown > 1 || count === 0 || count % known !== 0) return undefined;
  return shape.map((d) => d ?? count / known);
}


/** The number in a cell, or why there is none. */
function numberIn(cell: Cell | undefined): number | string {
  if (cell === undefined) return 'the field is missing';
  if (cell === null) return 'the value is null';
  if (typeof cell === 'boolean') return cell ? 1 : 0;
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : `${cell} is not a finite number`;
  const text = cell.trim();
  if (text === '') return 'the cell is empty';
  if (!NUMBER.test(text)) return `${quote(cell)} is not a number`;
  const value = Number(text);
  return Number.isFinite(value) ? value : `${quote(cell)} is too large for a number`;
}

/** The largest float32, and the int32 range: a value beyond them would become Infinity, or wrap around. */
const FLOAT32_MAX = 3.4028234663852886e38;
const INT32 = [-(2 ** 31), 2 ** 31 - 1] as const;

function encodeNumbers(table: Table, plan: PortPlan): TensorData {
  const { port, columns } = plan.binding;
  const integer = port.dtype === 'int32';
  const k = columns.length;
  const data = integer ? new Int32Array(table.rows.length * k) : new Float32Array(table.rows.length * k);
  table.rows.forEach((row, r) => {
    for (let j = 0; j < k; j++) {
      const value = numberIn(row.cells[columns[j]!]);
      if (typeof value === 'string') throw new DataError(`${cellPlace(table, row, columns[j]!)}: ${value} (for ${portLabel(port)})`);
      if (integer && !Number.isInteger(value)) throw new DataError(`${cellPlace(table, row, columns[j]!)}: ${value} is not an integer, and ${portLabel(port)} is int32`);
      const text = () => quote(String(row.cells[columns[j]!]).trim());
      if (integer && (value < INT32[0] || value > INT32[1])) throw new DataError(`${cellPlace(table, row, columns[j]!)}: ${text()} is outside the range of int32 (${INT32[0]} to ${INT32[1]}), the dtype of ${portLabel(port)}`);
      if (!integer && Math.abs(value) > FLOAT32_MAX) throw new DataError(`${cellPlace(table, row, columns[j]!)}: ${text()} is beyond the range of float32 (±3.4e38), in which ${portLabel(port)} is trained: it would become Infinity`);
      data[r * k + j] = value;
    }
  });
  return { shape: plan.shape, dtype: port.dtype, data };
}

function hasText(table: Table, columns: readonly number[]): boolean {
  return table.rows.some((row) =>
    columns.some((c) => {
      const cell = row.cells[c];
      return typeof cell === 'string' && cell.trim() !== '' && !NUMBER.test(cell.trim());
    }),
  );
}
