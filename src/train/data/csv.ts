import { DataError, quote } from './errors.js';
import type { Row, Table } from './table.js';

/**
 * RFC 4180 CSV: the first record is the header; fields are separated by `delimiter`; a field in
 * double quotes may hold delimiters, line breaks and doubled quotes (`""`); records end with LF
 * or CRLF. Blank lines are skipped and a byte order mark is ignored. Every record must have as
 * many cells as the header.
 */
export function parseCsv(text: string, file: string, delimiter = ','): Table {
  const records = splitRecords(text.startsWith('\uFEFF') ? text.slice(1) : text, file, delimiter);
  const header = records.shift();
  if (!header) throw new DataError(`${file}: the file is empty; it needs a header row naming the columns`);
  const columns = header.cells.map((name) => name.trim());
  // A map, not indexOf per column: a header of 200,000 columns (images) would take minutes.
  const seen = new Map<string, number>();
  columns.forEach((name, i) => {
    if (name === '') throw new DataError(`${file}, line ${header.line}: column ${i + 1} of the header has no name`);
    const first = seen.get(name) ?? i;
    seen.set(name, first);
    if (first < i) throw new DataError(`${file}, line ${header.line}: the header names column ${quote(name)} twice (columns ${first + 1} and ${i + 1})`);
  });
  const rows: Row[] = records.map((record, i) => {
    const row = { index: i + 1, line: record.line, cells: record.cells };
    if (record.cells.length !== columns.length) {
      throw new DataError(`${file}, row ${row.index} (line ${row.line}): ${record.cells.length} ${record.cells.length === 1 ? 'cell' : 'cells'}, but the header has ${columns.length} columns`);
    }
    return row;
  });
  return { file, columns, rows, rowNoun: 'row' };
}

interface CsvRecord {
  line: number;
  cells: string[];
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

function splitRecords(text: string, file: string, delimiter: string): CsvRecord[] {
  const sep = delimiter.charCodeAt(0);
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = text.length;
  const endRecord = () => {
    // A line holding nothing at all is blank, not a record with one empty cell.
    if (!(cells.length === 1 && cells[0] === '')) records.push({ line: recordLine, cells });
    cells = [];
  };
  while (i < n) {
    if (text.charCodeAt(i) === QUOTE) {
      const openLine = line;
      let value = '';
      let start = ++i;
      for (;;) {
        if (i >= n) throw new DataError(`${file}, line ${openLine}: a quoted field opened here is never closed (a \`"\` is missing)`);
        const c = text.charCodeAt(i);
        if (c === QUOTE) {
          value += text.slice(start, i);
          if (text.charCodeAt(i + 1) === QUOTE) {
            value += '"';
            i += 2;
            start = i;
            continue;
          }
          i++;
          break;
        }
        if (c === LF) line++;
        i++;
      }
      cells.push(value);
      const next = text.charCodeAt(i);
      if (i < n && next !== sep && next !== LF && next !== CR) {
        throw new DataError(`${file}, line ${line}: text after the closing quote of a field; write \`""\` for a quote inside a quoted field`);
      }
    } else {
      let end = i;
      while (end < n) {
        const c = text.charCodeAt(end);
        if (c === sep || c === LF || c === CR) break;
        end++;
      }
      cells.push(text.slice(i, end));
      i = end;
    }
    // After a field: a delimiter (another field follows, empty at the very end), a line break, or the end.
    const c = text.charCodeAt(i);
    if (c === sep) {
      i++;
      if (i === n) cells.push('');
    } else if (c === CR || c === LF) {
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      endRecord();
      line++;
      recordLine = line;
    }
  }
  if (cells.length > 0) endRecord();
  return records;
}
