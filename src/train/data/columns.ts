import { product } from '../../registry/op.js';
import { DataError, quote } from './errors.js';
import { portLabel, type DataPort } from './ports.js';
import type { Table } from './table.js';

/**
 * Which columns feed each input and output. In this order, for each name:
 *   1. its patterns from `--columns` or the `train { columns }` setting: exact column names or
 *      `prefix*` (every column starting with the prefix, in file order), in the order written;
 *   2. a column named exactly NAME;
 *   3. the columns NAME_0, NAME_1, ... or NAME.0, NAME.1, ... (also NAME.0.1 for nested JSON
 *      arrays), in file order;
 *   4. in a model with one input and one output: whichever of the two is still unbound takes
 *      every column the other does not use; when neither is bound, the output takes the last
 *      column and the input all the others.
 */
export type BindingSource = 'setting' | 'option' | 'name' | 'indexed' | 'rest';

export interface ColumnBinding {
  port: DataPort;
  /** Column indices into the table, in the order their values fill the tensor (row-major). */
  columns: number[];
  source: BindingSource;
}

/** `columns` from the `train { }` block and from `--columns`, which wins name by name. */
export interface ColumnPatterns {
  setting: Record<string, readonly string[]>;
  option: Record<string, readonly string[]>;
}

export function bindColumns(table: Table, ports: readonly DataPort[], patterns: ColumnPatterns): ColumnBinding[] {
  const bindings = new Map<DataPort, ColumnBinding>();
  for (const port of ports) {
    const option = own(patterns.option, port.name);
    const setting = own(patterns.setting, port.name);
    if (option || setting) {
      const source: BindingSource = option ? 'option' : 'setting';
      bindings.set(port, { port, columns: matchPatterns(table, port, (option ?? setting)!, source), source });
      continue;
    }
    const exact = table.columns.indexOf(port.name);
    if (exact >= 0) {
      bindings.set(port, { port, columns: [exact], source: 'name' });
      continue;
    }
    const indexed = indexedColumns(table.columns, port.name);
    if (indexed.length > 0) bindings.set(port, { port, columns: indexed, source: 'indexed' });
  }
  const inputs = ports.filter((p) => p.role === 'input');
  const outputs = ports.filter((p) => p.role === 'output');
  if (inputs.length === 1 && outputs.length === 1) bindRest(table, inputs[0]!, outputs[0]!, bindings);
  return ports.map((port) => bindings.get(port) ?? unbound(table, port));
}

function own(record: Record<string, readonly string[]>, key: string): readonly string[] | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

function matchPatterns(table: Table, port: DataPort, patterns: readonly string[], source: BindingSource): number[] {
  const where = source === 'option' ? '`--columns`' : 'the `train { columns }` setting';
  const columns: number[] = [];
  for (const pattern of patterns) {
    const prefix = pattern.endsWith('*') ? pattern.slice(0, -1) : undefined;
    const matched = prefix === undefined ? [table.columns.indexOf(pattern)].filter((i) => i >= 0) : table.columns.flatMap((c, i) => (c.startsWith(prefix) ? [i] : []));
    if (matched.length === 0) {
      throw new DataError(`${table.file}: ${where} binds ${portLabel(port)} to ${quote(pattern)}, which matches no column (the columns are ${listColumns(table.columns)})`);
    }
    for (const i of matched) columns.push(i); // a pattern may match more columns than push(...) takes arguments
  }
  return columns;
}

/** NAME_0, NAME_1, ... or NAME.0, NAME.0.1, ... in file order. */
function indexedColumns(columns: readonly string[], name: string): number[] {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^${escaped}(?:[._]\\d+)+$`);
  return columns.flatMap((c, i) => (pattern.test(c) ? [i] : []));
}

function bindRest(table: Table, input: DataPort, output: DataPort, bindings: Map<DataPort, ColumnBinding>): void {
  const bound = [input, output].filter((p) => bindings.has(p));
  if (bound.length === 2 || table.columns.length < 2) return;
  if (bound.length === 1) {
    const other = bound[0] === input ? output : input;
    const used = new Set(bindings.get(bound[0]!)!.columns);
    const rest = table.columns.flatMap((_, i) => (used.has(i) ? [] : [i]));
    if (rest.length > 0) bindings.set(other, { port: other, columns: rest, source: 'rest' });
    return;
  }
  const last = table.columns.length - 1;
  bindings.set(output, { port: output, columns: [last], source: 'rest' });
  bindings.set(input, { port: input, columns: table.columns.slice(0, last).map((_, i) => i), source: 'rest' });
}

function unbound(table: Table, port: DataPort): never {
  const size = port.shape.every((d) => d !== null) ? product(port.shape as number[]) : undefined;
  const convention = size === 1 ? `column named ${quote(port.name)}` : `column named ${quote(port.name)}, nor columns ${quote(`${port.name}_0`)}, ${quote(`${port.name}_1`)}, ... (or ${quote(`${port.name}.0`)}, ...)`;
  throw new DataError(
    `${table.file}: no column for ${portLabel(port)}: there is no ${convention}; the columns are ${listColumns(table.columns)}. ` +
      `Bind it with \`columns = { ${port.name}: ["..."] }\` in the train block or \`--columns ${port.name}=...\``,
  );
}

export function listColumns(columns: readonly string[]): string {
  const shown = columns.slice(0, 12).map(quote).join(', ');
  return columns.length > 12 ? `${shown} and ${columns.length - 12} more` : shown;
}
