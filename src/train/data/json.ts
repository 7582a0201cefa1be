import { DataError } from './errors.js';
import type { Cell, Row, Table } from './table.js';

/**
 * JSON data: an array of records (`.json`) or one record per line (`.jsonl`, `.ndjson`). A record
 * is an object; nested arrays and objects are flattened into columns named by their path, so
 * `{"features": [5.1, 3.5], "species": "setosa"}` has the columns `features.0`, `features.1` and
 * `species`, the same names the column conventions use for CSV. Columns come in the order they
 * are first seen.
 */
export function parseJson(text: string, file: string): Table {
  let json: unknown;
  try {
    json = JSON.parse(stripBom(text));
  } catch (error) {
    throw new DataError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(json)) {
    throw new DataError(`${file}: expected an array of records such as [{"x": 1.5, "y": 0}, ...], found ${describe(json)}; for one record per line name the file .jsonl`);
  }
  const builder = new TableBuilder(file);
  json.forEach((record, i) => builder.add(record, i + 1, undefined));
  return builder.table();
}

export function parseJsonLines(text: string, file: string): Table {
  const builder = new TableBuilder(file);
  let index = 0;
  stripBom(text).split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      throw new DataError(`${file}, line ${i + 1}: not valid JSON: ${(error as Error).message}`);
    }
    builder.add(record, ++index, i + 1);
  });
  return builder.table();
}

const stripBom = (text: string): string => (text.startsWith('\uFEFF') ? text.slice(1) : text);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

class TableBuilder {
  private readonly columns = new Map<string, number>();
  private readonly records: Array<{ index: number; line?: number; values: Map<number, Cell> }> = [];

  constructor(private readonly file: string) {}

  add(record: unknown, index: number, line: number | undefined): void {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      const where = line !== undefined ? `record ${index} (line ${line})` : `record ${index}`;
      throw new DataError(`${this.file}, ${where}: expected an object such as {"x": 1.5, "y": 0}, found ${describe(record)}`);
    }
    const values = new Map<number, Cell>();
    this.flatten(record, '', values);
    this.records.push({ index, ...(line !== undefined ? { line } : {}), values });
  }

  private flatten(value: unknown, path: string, values: Map<number, Cell>): void {
    if (value !== null && typeof value === 'object') {
      const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
      for (const [key, inner] of entries) this.flatten(inner, path === '' ? key : `${path}.${key}`, values);
      return;
    }
    let column = this.columns.get(path);
    if (column === undefined) {
      column = this.columns.size;
      this.columns.set(path, column);
    }
    values.set(column, value as Cell);
  }

  table(): Table {
    const width = this.columns.size;
    const rows: Row[] = this.records.map(({ index, line, values }) => ({
      index,
      ...(line !== undefined ? { line } : {}),
      cells: Array.from({ length: width }, (_, i) => values.get(i)),
    }));
    return { file: this.file, columns: [...this.columns.keys()], rows, rowNoun: 'record' };
  }
}
