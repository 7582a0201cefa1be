/**
 * Training data as read from a file, before any model is involved: named columns and rows of
 * raw cells, each row remembering where it came from so that errors can point at it.
 */

/** A cell as read: text from CSV, or a JSON scalar (numbers stay numbers, `null` stays null). */
export type Cell = string | number | boolean | null;

export interface Row {
  /** 1-based among the data rows (the header is not a row). */
  index: number;
  /** 1-based line of the file where the row starts; undefined where the format has no lines (a JSON array). */
  line?: number;
  /** One cell per header column; `undefined` where the row has no value for it (a JSON record without the key). */
  cells: (Cell | undefined)[];
}

export interface Table {
  /** The file name as given, for messages. */
  file: string;
  /** Column names in file order. */
  columns: string[];
  rows: Row[];
  /** What a row is called in this format's messages: `row` (CSV) or `record` (JSON). */
  rowNoun: 'row' | 'record';
}

/** A decimal number as data files write them; `0x10`, `1_000` or `Infinity` are not. */
export const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
