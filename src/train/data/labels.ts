import { listColumns } from './columns.js';
import type { TensorData } from './dataset.js';
import type { ClassNames, PortPlan } from './encode.js';
import { cellPlace, DataError, quote } from './errors.js';
import { portLabel } from './ports.js';
import { NUMBER, type Cell, type Table } from './table.js';

/** A cell as a class label: a number (an id), or text (a name); undefined if it is neither. */
function labelIn(cell: Cell | undefined): number | string | undefined {
  if (typeof cell === 'number') return cell;
  if (typeof cell !== 'string') return undefined;
  const text = cell.trim();
  if (text === '') return undefined;
  // Numbers are ids (and a fraction an error); anything else is a class name.
  return NUMBER.test(text) ? Number(text) : text;
}

/**
 * Class labels to one-hot rows (or, for binary cross-entropy, to 0 and 1). Labels that are all
 * integers are class ids; otherwise every label is a name and names get ids in sorted order.
 * `known`: the training data's names (validation data), null when it used ids.
 */
export function encodeLabels(table: Table, plan: PortPlan, classes: number, known: readonly string[] | null | undefined, classNames: ClassNames, binary = false): TensorData {
  const { port, columns } = plan.binding;
  // Every label is checked to be present before any is used.
  const cells = table.rows.map((row) => columns.map((c) => labelIn(row.cells[c])));
  table.rows.forEach((row, r) => {
    cells[r]!.forEach((label, j) => {
      if (label === undefined) {
        const cell = row.cells[columns[j]!];
        const why = cell === undefined ? 'the field is missing' : cell === null ? 'the value is null' : typeof cell === 'boolean' ? `${cell} is not a class label` : 'the cell is empty';
        throw new DataError(`${cellPlace(table, row, columns[j]!)}: ${why} (${portLabel(port)} needs a class label)`);
      }
    });
  });
  const ids = known === null || (known === undefined && cells.every((labels) => labels.every((l) => typeof l === 'number')));
  const names = ids ? undefined : [...(known ?? sortedNames(cells))];
  if (names && !known && names.length > classes) tooManyNames(table, plan, cells, classes, names.length);
  if (names) classNames[port.name] = names;
  const byName = names ? new Map(names.map((name, i) => [name, i])) : undefined;
  const k = columns.length;
  const width = binary ? 1 : classes;
  const data = new Float32Array(table.rows.length * k * width);
  table.rows.forEach((row, r) => {
    cells[r]!.forEach((label, j) => {
      const place = () => cellPlace(table, row, columns[j]!);
      let id: number;
      if (byName) {
        const found = byName.get(String(label));
        if (found === undefined) throw new DataError(`${place()}: class ${quote(String(label))} does not occur in the training data (its classes are ${listColumns(names!)})`);
        id = found;
      } else if (typeof label === 'string') {
        throw new DataError(`${place()}: ${quote(label)} is not a class id, and the training data labels ${portLabel(port)} with class ids`);
      } else {
        id = label!;
        if (!Number.isInteger(id)) throw new DataError(`${place()}: ${id} is not a class id (a whole number)`);
      }
      // Names were counted against the classes already: only an id can be out of range here.
      if (id < 0 || id >= classes) throw new DataError(`${place()}: class id ${id} is out of range: ${portLabel(port)} has ${classes} classes, ids 0 to ${classes - 1}`);
      if (binary) data[r * k + j] = id;
      else data[(r * k + j) * classes + id] = 1;
    });
  });
  return { shape: plan.shape, dtype: 'float32', data };
}

function sortedNames(cells: ReadonlyArray<ReadonlyArray<number | string | undefined>>): string[] {
  const names = new Set<string>();
  for (const labels of cells) for (const label of labels) names.add(String(label));
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * More class names than classes. The row blamed is the one that brings a name too many, in file
 * order, or else one whose label holds a line break: a label spanning lines is usually a quote
 * that swallowed the end of its line, and what pushed the count over.
 */
function tooManyNames(table: Table, plan: PortPlan, cells: ReadonlyArray<ReadonlyArray<number | string | undefined>>, classes: number, count: number): never {
  const { port, columns } = plan.binding;
  const first = new Map<string, { row: number; column: number }>();
  cells.forEach((labels, r) => labels.forEach((label, j) => void (first.has(String(label)) || first.set(String(label), { row: r, column: columns[j]! }))));
  const inOrder = [...first];
  const broken = inOrder.find(([name]) => /[\r\n]/.test(name));
  const [name, at] = broken ?? inOrder[classes]!;
  const place = cellPlace(table, table.rows[at.row]!, at.column);
  const listed = listColumns(inOrder.map(([n]) => n));
  const why = broken ? '; it spans lines, which usually means a quote left open swallowed the line break' : '';
  throw new DataError(`${place}: ${quote(name)} is a class name beyond the ${classes} classes of ${portLabel(port)} (the labels hold ${count} names: ${listed})${why}`);
}
