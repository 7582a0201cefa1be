import { parseCsv } from './csv.js';
import { DataError } from './errors.js';
import { parseJson, parseJsonLines } from './json.js';
import type { Table } from './table.js';

export type DataFormat = 'csv' | 'tsv' | 'json' | 'jsonl';

/** The format a file name implies: `.csv`, `.tsv`, `.json`, `.jsonl`/`.ndjson`; anything else is read as CSV. */
export function formatOf(file: string): DataFormat {
  const extension = /\.([A-Za-z]+)$/.exec(file)?.[1]?.toLowerCase();
  if (extension === 'json') return 'json';
  if (extension === 'jsonl' || extension === 'ndjson') return 'jsonl';
  return extension === 'tsv' ? 'tsv' : 'csv';
}

/** Parses a data file; throws DataError naming the file and line for anything malformed. */
export function readTable(text: string, file: string, format: DataFormat = formatOf(file)): Table {
  const table = format === 'json' ? parseJson(text, file) : format === 'jsonl' ? parseJsonLines(text, file) : parseCsv(text, file, format === 'tsv' ? '\t' : ',');
  if (table.rows.length === 0) throw new DataError(`${file}: no data ${table.rowNoun}s${format === 'csv' || format === 'tsv' ? ' after the header' : ''}`);
  return table;
}
