import { describe, expect, test } from 'vitest';
import { parseCsv } from '../../src/train/data/csv.js';
import { DataError } from '../../src/train/data/errors.js';
import { parseJson, parseJsonLines } from '../../src/train/data/json.js';
import { formatOf, readTable } from '../../src/train/data/read-table.js';

describe('CSV', () => {
  test('header, rows, line numbers', () => {
    const table = parseCsv('a,b\n1,2\n3,4\n', 'd.csv');
    expect(table.columns).toEqual(['a', 'b']);
    expect(table.rows.map((r) => [r.index, r.line, r.cells])).toEqual([[1, 2, ['1', '2']], [2, 3, ['3', '4']]]);
  });

  test('quoted fields hold delimiters, doubled quotes and line breaks; lines keep counting', () => {
    const table = parseCsv('name,note\r\n"Smith, J","said ""hi""\nthen left"\r\nx,"y"\r\n', 'd.csv');
    expect(table.rows[0]!.cells).toEqual(['Smith, J', 'said "hi"\nthen left']);
    expect(table.rows[1]).toMatchObject({ index: 2, line: 4, cells: ['x', 'y'] });
  });

  test('a BOM, blank lines, a missing final newline and trailing empty fields', () => {
    const table = parseCsv('\uFEFFa,b,c\n\n1,,\n2,3,4', 'd.csv');
    expect(table.columns).toEqual(['a', 'b', 'c']);
    expect(table.rows.map((r) => r.cells)).toEqual([['1', '', ''], ['2', '3', '4']]);
    expect(table.rows[1]!.line).toBe(4);
  });

  test('tab-separated files', () => {
    expect(readTable('a\tb\n1\t2\n', 'd.tsv').rows[0]!.cells).toEqual(['1', '2']);
  });

  test.each([
    ['a,b\n1,2,3\n', 'd.csv, row 1 (line 2): 3 cells, but the header has 2 columns'],
    ['a,b\n1\n', 'd.csv, row 1 (line 2): 1 cell, but the header has 2 columns'],
    ['a,b\n"1,2\n', 'd.csv, line 2: a quoted field opened here is never closed'],
    ['a,b\n"1"x,2\n', 'd.csv, line 2: text after the closing quote of a field'],
    ['a,a\n1,2\n', 'd.csv, line 1: the header names column `a` twice (columns 1 and 2)'],
    ['a,,b\n1,2,3\n', 'd.csv, line 1: column 2 of the header has no name'],
    ['', 'd.csv: the file is empty'],
  ])('%j is an error naming the place', (text, message) => {
    expect(() => parseCsv(text, 'd.csv')).toThrow(DataError);
    expect(() => parseCsv(text, 'd.csv')).toThrow(message);
  });

  test('a header without rows has no data', () => {
    expect(() => readTable('a,b\n', 'd.csv')).toThrow('d.csv: no data rows after the header');
  });
});

describe('JSON and JSON lines', () => {
  test('records flatten nested arrays into NAME.i columns, in first-seen order', () => {
    const table = parseJson('[{"x": [1, 2], "y": "a"}, {"y": "b", "x": [3, 4], "w": true}]', 'd.json');
    expect(table.columns).toEqual(['x.0', 'x.1', 'y', 'w']);
    expect(table.rows.map((r) => r.cells)).toEqual([[1, 2, 'a', undefined], [3, 4, 'b', true]]);
    expect(table.rowNoun).toBe('record');
  });

  test('JSON lines carry line numbers and skip blank lines', () => {
    const table = parseJsonLines('{"x": 1}\n\n{"x": 2}\n', 'd.jsonl');
    expect(table.rows.map((r) => [r.index, r.line])).toEqual([[1, 1], [2, 3]]);
  });

  test.each([
    [() => parseJson('{"x": 1}', 'd.json'), 'd.json: expected an array of records'],
    [() => parseJson('[1]', 'd.json'), 'd.json, record 1: expected an object'],
    [() => parseJson('[{"x": 1},', 'd.json'), 'd.json: not valid JSON'],
    [() => parseJsonLines('{"x": 1}\n{"x": \n', 'd.jsonl'), 'd.jsonl, line 2: not valid JSON'],
  ])('malformed input %#', (parse, message) => {
    expect(parse).toThrow(message);
  });

  test('the format follows the extension', () => {
    expect(['a.csv', 'a.JSON', 'a.jsonl', 'a.ndjson', 'a.tsv', 'a.txt'].map(formatOf)).toEqual(['csv', 'json', 'jsonl', 'jsonl', 'tsv', 'csv']);
  });
});
