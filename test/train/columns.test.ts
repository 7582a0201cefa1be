import { describe, expect, test } from 'vitest';
import { check } from '../../src/compile.js';
import type { IRModel } from '../../src/ir/ir.js';
import { parseCsv } from '../../src/train/data/csv.js';
import { encodeTable } from '../../src/train/data/encode.js';
import { parseJsonLines } from '../../src/train/data/json.js';
import { dataPorts } from '../../src/train/data/ports.js';
import type { Table } from '../../src/train/data/table.js';

function model(body: string, train = 'loss = mse'): IRModel {
  const result = check(`model M {\n${body}\n  train { ${train} }\n}\n`);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  return result.ir!.models[0]!;
}

function bind(ir: IRModel, table: Table, option: Record<string, string[]> = {}) {
  const encoded = encodeTable(table, dataPorts(ir), { setting: ir.train!.columns, option });
  return Object.fromEntries(encoded.plans.map((p) => [p.binding.port.name, { columns: p.binding.columns.map((c) => table.columns[c]), source: p.binding.source }]));
}

const csv = (text: string) => parseCsv(text, 'd.csv');

describe('column mapping', () => {
  test('a column named like a size-1 input or output, and NAME_0, NAME_1, ... in file order', () => {
    const ir = model('  input x: [3]\n  input w: [1]\n  output y = concat(x, w) -> dense(1)');
    const table = csv('y,x_0,w,x_1,id,x_2\n1,2,3,4,5,6\n');
    expect(bind(ir, table)).toEqual({
      x: { columns: ['x_0', 'x_1', 'x_2'], source: 'indexed' },
      w: { columns: ['w'], source: 'name' },
      y: { columns: ['y'], source: 'name' },
    });
  });

  test('NAME.0, NAME.1 (flattened JSON arrays) count too', () => {
    const ir = model('  input x: [2]\n  input z: [1]\n  output y = concat(x, z) -> dense(1)');
    const table = parseJsonLines('{"x": [1, 2], "z": 0, "y": 3}\n', 'd.jsonl');
    expect(bind(ir, table)).toMatchObject({ x: { columns: ['x.0', 'x.1'] }, y: { columns: ['y'] } });
  });

  test('one input and one output: the unbound one takes the other columns; neither bound: the last column is the target', () => {
    const ir = model('  input features: [3]\n  output price = features -> dense(1)');
    expect(bind(ir, csv('a,price,b,c\n1,2,3,4\n'))).toEqual({
      features: { columns: ['a', 'b', 'c'], source: 'rest' },
      price: { columns: ['price'], source: 'name' },
    });
    expect(bind(ir, csv('a,b,c,target\n1,2,3,4\n'))).toEqual({
      features: { columns: ['a', 'b', 'c'], source: 'rest' },
      price: { columns: ['target'], source: 'rest' },
    });
  });

  test('the train block binds columns by name and prefix*, in the order written; --columns wins', () => {
    const ir = model('  input f: [3]\n  output s = f -> dense(2, softmax)', 'loss = sparse_categorical_crossentropy\n columns = { f: ["petal_*", "sepal"], s: "kind" }');
    const table = csv('sepal,petal_w,kind,petal_l,other\n1,2,0,3,1\n');
    expect(bind(ir, table)).toEqual({
      f: { columns: ['petal_w', 'petal_l', 'sepal'], source: 'setting' },
      s: { columns: ['kind'], source: 'setting' },
    });
    expect(bind(ir, table, { f: ['sepal', 'petal_l', 'other'] }).f).toEqual({ columns: ['sepal', 'petal_l', 'other'], source: 'option' });
  });

  test('an unknown dimension is inferred from the number of columns', () => {
    const ir = model('  input seq: [?, 2]\n  output y = seq -> dense(1)');
    const encoded = encodeTable(csv('seq_0,seq_1,seq_2,seq_3,seq_4,seq_5,y_0,y_1,y_2\n1,2,3,4,5,6,7,8,9\n'), dataPorts(ir), { setting: {}, option: {} });
    expect(encoded.plans.map((p) => p.shape)).toEqual([[3, 2], [3, 1]]);
    expect(() => encodeTable(csv('seq_0,seq_1,seq_2,y\n1,2,3,4\n'), dataPorts(ir), { setting: {}, option: {} })).toThrow(
      'input `seq` has shape [?, 2], so it takes a multiple of 2 values per sample, but 3 columns are bound to it',
    );
  });

  test('class labels: text gets ids in sorted order; categorical cross-entropy takes labels or one-hot columns', () => {
    const ir = model('  input x: [1]\n  output c = x -> dense(3, softmax)', 'loss = categorical_crossentropy');
    const labels = encodeTable(csv('x,c\n1,pear\n2,apple\n3,fig\n'), dataPorts(ir), { setting: {}, option: {} });
    expect(labels.classNames).toEqual({ c: ['apple', 'fig', 'pear'] });
    expect(Array.from(labels.dataset.targets[0]!.data)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
    const oneHot = encodeTable(csv('x,c_0,c_1,c_2\n1,0,0.5,0.5\n'), dataPorts(ir), { setting: {}, option: {} });
    expect(oneHot.plans[1]!.labels).toBeUndefined();
    expect(Array.from(oneHot.dataset.targets[0]!.data)).toEqual([0, 0.5, 0.5]);
  });

  test('binary cross-entropy takes 0/1 numbers, or two text labels mapped to 0 and 1', () => {
    const ir = model('  input x: [1]\n  output spam = x -> dense(1, sigmoid)', 'loss = binary_crossentropy');
    const encoded = encodeTable(csv('x,spam\n1,yes\n2,no\n'), dataPorts(ir), { setting: {}, option: {} });
    expect(encoded.classNames).toEqual({ spam: ['no', 'yes'] });
    expect(Array.from(encoded.dataset.targets[0]!.data)).toEqual([1, 0]);
  });

  test('validation data uses the training data\'s classes', () => {
    const ir = model('  input x: [1]\n  output c = x -> dense(2, softmax)', 'loss = sparse_categorical_crossentropy');
    const ports = dataPorts(ir);
    const train = encodeTable(csv('x,c\n1,b\n2,a\n'), ports, { setting: {}, option: {} });
    const val = encodeTable(csv('x,c\n1,b\n'), ports, { setting: {}, option: {} }, train.classNames);
    expect(Array.from(val.dataset.targets[0]!.data)).toEqual([0, 1]);
    expect(() => encodeTable(csv('x,c\n1,z\n'), ports, { setting: {}, option: {} }, train.classNames)).toThrow(
      'd.csv, row 1 (line 2), column 2 `c`: class `z` does not occur in the training data (its classes are `a`, `b`)',
    );
    const ids = encodeTable(csv('x,c\n1,0\n2,1\n'), ports, { setting: {}, option: {} });
    expect(() => encodeTable(csv('x,c\n1,a\n'), ports, { setting: {}, option: {} }, ids.classNames)).toThrow('`a` is not a class id, and the training data labels output `c` with class ids');
  });
});

describe('bad data names the file, row and column', () => {
  const mlp = model('  input features: [2]\n  output species = features -> dense(3, softmax)', 'loss = sparse_categorical_crossentropy');
  const encode = (text: string, ir = mlp) => () => encodeTable(csv(text), dataPorts(ir), { setting: ir.train!.columns, option: {} });

  test.each([
    ['a non-numeric cell', 'features_0,features_1,species\n1,2,0\n3,abc,1\n', 'd.csv, row 2 (line 3), column 2 `features_1`: `abc` is not a number (for input `features`)'],
    ['an empty cell', 'features_0,features_1,species\n1,,0\n', 'd.csv, row 1 (line 2), column 2 `features_1`: the cell is empty (for input `features`)'],
    ['a class id out of range', 'features_0,features_1,species\n1,2,0\n1,2,3\n', 'd.csv, row 2 (line 3), column 3 `species`: class id 3 is out of range: output `species` has 3 classes, ids 0 to 2'],
    ['a negative class id', 'features_0,features_1,species\n1,2,-1\n', 'class id -1 is out of range'],
    ['a fractional class id', 'features_0,features_1,species\n1,2,1.5\n', 'd.csv, row 1 (line 2), column 3 `species`: 1.5 is not a class id (a whole number)'],
    ['one class name too many: the row that brings it', 'features_0,features_1,species\n1,2,d\n1,2,b\n1,2,c\n1,2,a\n', 'd.csv, row 4 (line 5), column 3 `species`: `a` is a class name beyond the 3 classes of output `species` (the labels hold 4 names: `d`, `b`, `c`, `a`)'],
    [
      'a quoted label with a line break: its own row, not the one sorting pushes out',
      'features_0,features_1,species\n1,2,a\n1,2,"b\nc"\n1,2,b\n1,2,c\n',
      'd.csv, row 2 (line 3), column 3 `species`: `b\\nc` is a class name beyond the 3 classes of output `species` (the labels hold 4 names: `a`, `b\\nc`, `b`, `c`); it spans lines, which usually means a quote left open swallowed the line break',
    ],
    ['a number beyond float32', 'features_0,features_1,species\n1,2,0\n1,1e39,1\n', 'd.csv, row 2 (line 3), column 2 `features_1`: `1e39` is beyond the range of float32 (±3.4e38), in which input `features` is trained: it would become Infinity'],
    ['a missing label', 'features_0,features_1,species\n1,2, \n', 'd.csv, row 1 (line 2), column 3 `species`: the cell is empty (output `species` needs a class label)'],
    ['a shape that does not fit the input', 'features_0,features_1,features_2,species\n1,2,3,0\n', 'd.csv: input `features` has shape [2], so it takes 2 values per sample, but 3 columns are bound to it by the convention NAME_0, NAME_1, ... (`features_0`, `features_1`, `features_2`)'],
    ['labels in too many columns', 'features_0,features_1,species_0,species_1\n1,2,0,1\n', 'd.csv: output `species` has shape [3], so it takes one class label per sample, but 2 columns are bound to it'],
  ])('%s', (_, text, message) => {
    expect(encode(text)).toThrow(message);
  });

  test('no column for an input', () => {
    const ir = model('  input a: [2]\n  input b: [1]\n  output y = concat(a, b) -> dense(1)');
    expect(encode('a_0,a_1,c,y\n1,2,3,4\n', ir)).toThrow(
      'd.csv: no column for input `b`: there is no column named `b`; the columns are `a_0`, `a_1`, `c`, `y`. Bind it with `columns = { b: ["..."] }` in the train block or `--columns b=...`',
    );
  });

  test('wrong column count is reported by the reader, before any mapping', () => {
    expect(() => csv('features_0,features_1,species\n1,2\n')).toThrow('d.csv, row 1 (line 2): 2 cells, but the header has 3 columns');
  });

  test('an int32 input takes whole numbers', () => {
    const ir = model('  input tokens: int32[2]\n  output y = tokens -> embedding(10, 2) -> flatten -> dense(1)');
    expect(encode('tokens_0,tokens_1,y\n1,2.5,0\n', ir)).toThrow('d.csv, row 1 (line 2), column 2 `tokens_1`: 2.5 is not an integer, and input `tokens` is int32');
  });

  test('a pattern that matches nothing', () => {
    const ir = model('  input f: [2]\n  output y = f -> dense(1)', 'loss = mse\n columns = { f: ["sepal_*"] }');
    expect(encode('a,b,y\n1,2,3\n', ir)).toThrow('d.csv: the `train { columns }` setting binds input `f` to `sepal_*`, which matches no column (the columns are `a`, `b`, `y`)');
  });

  test('JSON records name the record and field', () => {
    const ir = model('  input x: [2]\n  output y = x -> dense(1)');
    const table = parseJsonLines('{"x": [1, 2], "y": 1}\n{"x": [1, null], "y": 2}\n', 'd.jsonl');
    expect(() => encodeTable(table, dataPorts(ir), { setting: {}, option: {} })).toThrow('d.jsonl, record 2 (line 2), field `x.1`: the value is null (for input `x`)');
    const missing = parseJsonLines('{"x": [1, 2], "y": 1}\n{"x": [1, 2]}\n', 'd.jsonl');
    expect(() => encodeTable(missing, dataPorts(ir), { setting: {}, option: {} })).toThrow('d.jsonl, record 2 (line 2), field `y`: the field is missing (for output `y`)');
  });
});

describe('wide data', () => {
  test('a pattern matching 200,000 columns binds them all (no call with one argument per column)', () => {
    const width = 200_000;
    const ir = model(`  input pixels: [${width}]\n  output y = pixels -> dense(1)`, 'loss = mse\n    columns = { pixels: ["p*"] }');
    const header = [...Array.from({ length: width }, (_, i) => `p${i}`), 'y'].join(',');
    const row = [...Array.from({ length: width }, () => '0'), '1'].join(',');
    const bound = bind(ir, csv(`${header}\n${row}\n`));
    expect(bound.pixels!.columns).toHaveLength(width);
    expect(bound.pixels!.columns[width - 1]).toBe(`p${width - 1}`);
  });
});
