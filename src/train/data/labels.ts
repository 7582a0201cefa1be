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
      if (id < 0 || id >= classes) {
        const range = `${portLabel(port)} has ${classes} classes, ids 0 to ${classes - 1}`;
        throw new DataError(byName ? `${place()}: class ${quote(String(label))} is class number ${id + 1} in sorted order, but ${range} (the labels are ${listColumns(names!)})` : `${place()}: class id ${id} is out of range: ${range}`);
      }
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
