import type { Row, Table } from './table.js';

/**
 * A problem with the user's data: the message names the file and, where there is one, the row
 * and column. Thrown by the readers and the encoder and reported by the caller as an error of
 * the data (never as a bug in nnc).
 */
export class DataError extends Error {
  override readonly name = 'DataError';
}

/** `iris.csv, row 12 (line 13)` or `data.json, record 4`. */
export function rowPlace(table: Pick<Table, 'file' | 'rowNoun'>, row: Pick<Row, 'index' | 'line'>): string {
  return `${table.file}, ${table.rowNoun} ${row.index}${row.line !== undefined ? ` (line ${row.line})` : ''}`;
}

/** `iris.csv, row 12 (line 13), column 3 \`petal_length\`` */
export function cellPlace(table: Table, row: Pick<Row, 'index' | 'line'>, column: number): string {
  const noun = table.rowNoun === 'row' ? `column ${column + 1}` : 'field';
  return `${rowPlace(table, row)}, ${noun} ${quote(table.columns[column]!)}`;
}

/** Names and cells in messages: backquoted, with control characters escaped and long text cut. */
export function quote(text: string): string {
  const clean = JSON.stringify(text).slice(1, -1).replace(/`/g, "'");
  return `\`${clean.length > 40 ? `${clean.slice(0, 37)}...` : clean}\``;
}
