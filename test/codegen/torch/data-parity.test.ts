import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runProcess, runTorchJob, writeCaseFolders } from '../../../src/cli/python.js';
import { parseColumns } from '../../../src/cli/train-options.js';
import { describeColumns } from '../../../src/cli/train-report.js';
import { generateTorch } from '../../../src/codegen/torch/generate.js';
import { check, selectModel } from '../../../src/compile.js';
import type { IRModel } from '../../../src/ir/ir.js';
import type { Dataset } from '../../../src/train/data/dataset.js';
import { DataError } from '../../../src/train/data/errors.js';
import { readTable } from '../../../src/train/data/read-table.js';
import { prepareData } from '../../../src/train/prepare.js';
import { DEBIAN_PYTHON, hasSystemDependency } from '../../support/system-deps.js';
import { examplesDir } from './support.js';

/**
 * train.py reads data files by nnc train's rules: for each model, data file and --columns here,
 * its samples (training and validation, in order), class names, notes and column report are
 * exactly nnc's, and bad data is rejected with nnc's message.
 */

const ONE_TO_ONE = 'model P { input x: [3]  output y = x -> dense(1)  train { loss = mse } }';
const UNKNOWN = 'model U { input x: [?, 2]  output y = x -> dense(1)  train { loss = mse } }';
const IDS = 'model E { input ids: int32[3]  output y = ids -> embedding(9, 2) -> flatten -> dense(1)  train { loss = mse  validation_split = 0.25 } }';
const BINARY = 'model B { input x: [2]  output ok = x -> dense(1, sigmoid)  train { loss = binary_crossentropy } }';
const ONE_HOT = 'model H { input x: [2]  output c = x -> dense(3, softmax)  train { loss = categorical_crossentropy  validation_split = 0.5 } }';
const SPARSE = 'model S { input x: [2]  output c = x -> dense(3, softmax)  train { loss = sparse_categorical_crossentropy  validation_split = 0.4 } }';
const TWO = `model T {
  input a: [2]
  input b: [1]
  output p = concat(a, b) -> dense(1)
  output q = a -> dense(2, softmax)
  train { loss = { p: mse, q: sparse_categorical_crossentropy }  columns = { a: ["f*"] } }
}`;

interface DataCase {
  name: string;
  source: string;
  /** File name to content; the first is --data, a file named val.* is --val. */
  files: Record<string, string>;
  columns?: string[];
}

const CASES: DataCase[] = [
  { name: 'iris: setting columns, text labels, validation split', source: readFileSync(join(examplesDir, 'iris.nn'), 'utf8'), files: { 'iris.csv': readFileSync(join(examplesDir, 'data/iris.csv'), 'utf8') } },
  { name: 'housing', source: readFileSync(join(examplesDir, 'housing.nn'), 'utf8'), files: { 'housing.csv': readFileSync(join(examplesDir, 'data/housing_synthetic.csv'), 'utf8') } },
  { name: 'CSV quoting, CRLF, a BOM, blank lines, the rest rule', source: ONE_TO_ONE, files: { 'q.csv': '\uFEFFa,"b, quoted","c\r\nwith a break",t\r\n1,2,3,4\r\n\r\n"5",6.5e-1, +7 ,-8\r\n.5,1.,0,1e3' } },
  { name: 'TSV and the rule of the last column', source: ONE_TO_ONE, files: { 'd.tsv': 'u\tv\tw\tz\n1\t2\t3\t4\n5\t6\t7\t8\n' } },
  { name: 'JSON records with nested arrays (NAME.i columns)', source: ONE_TO_ONE, files: { 'd.json': '[{"x": [1, 2, 3], "y": 0.5, "note": "a"}, {"y": 1e-3, "x": [4, 5.25, true]}]' } },
  { name: 'JSON lines, integer-like keys in JavaScript order', source: ONE_TO_ONE, files: { 'd.jsonl': '{"y": 1, "b": 7, "2": 3, "1": 2}\n\n{"1": 5, "2": 6, "b": 8, "y": 0}\n' } },
  { name: 'an unknown dimension from NAME_0, NAME_1, ...', source: UNKNOWN, files: { 'd.csv': 'x_0,x_1,x_2,x_3,y_0,y_1\n1,2,3,4,5,6\n6,7,8,9,10,11\n' } },
  { name: 'int32 ids and a validation split', source: IDS, files: { 'd.csv': 'ids_0,ids_1,ids_2,y\n1,2,3,0.1\n4,5,6,0.2\n7,8,0,0.3\n1,1,1,0.4\n' } },
  { name: 'binary cross-entropy with two text labels', source: BINARY, files: { 'd.csv': 'x_0,x_1,ok\n1,2,yes\n3,4,no\n5,6,yes\n' } },
  { name: 'categorical cross-entropy with one-hot columns', source: ONE_HOT, files: { 'd.csv': 'x_0,x_1,c_0,c_1,c_2\n1,2,0,1,0\n3,4,1,0,0\n5,6,0.2,0.3,0.5\n7,8,0,0,1\n' } },
  { name: 'class names in nnc\'s sorted order (UTF-16 code units: the emoji before ﬁ)', source: ONE_HOT, files: { 'd.csv': 'x_0,x_1,c\n1,2,éclair\n3,4,\uFB01ne\n5,6,\u{1F600}\n7,8,éclair\n' } },
  { name: 'a sorted file: the validation rows hold one class', source: SPARSE, files: { 'd.csv': 'x_0,x_1,c\n1,1,0\n2,2,0\n3,3,1\n4,4,2\n5,5,2\n' } },
  { name: '--val with the training data\'s classes', source: SPARSE, files: { 'd.csv': 'x_0,x_1,c\n1,1,b\n2,2,a\n3,3,c\n', 'val.csv': 'x_0,x_1,c\n4,4,c\n5,5,a\n' } },
  { name: 'two inputs and outputs, --columns over the setting, ignored columns', source: TWO, files: { 'd.csv': 'f1,f2,g,b,p,q,extra\n1,2,9,3,0.5,1,x\n4,5,9,6,0.7,0,y\n' }, columns: ['b=g', 'q=q'] },
  // Bad data: both engines refuse it with the same message.
  { name: 'a cell that is not a number', source: ONE_TO_ONE, files: { 'bad.csv': 'a,b,c,y\n1,2,3,4\n1,zero,3,4\n' } },
  { name: 'an empty cell', source: ONE_TO_ONE, files: { 'bad.csv': 'a,b,c,y\n1,,3,4\n' } },
  { name: 'a row with too many cells', source: ONE_TO_ONE, files: { 'bad.csv': 'a,b,c,y\n1,2,3,4,5\n' } },
  { name: 'a quote never closed', source: ONE_TO_ONE, files: { 'bad.csv': 'a,b,c,y\n"1,2,3,4\n' } },
  { name: 'text after a closing quote', source: ONE_TO_ONE, files: { 'bad.csv': 'a,b,c,y\n"1"x,2,3,4\n' } },
  { name: 'a column named twice', source: ONE_TO_ONE, files: { 'bad.csv': 'a,a,c,y\n1,2,3,4\n' } },
  { name: 'too few columns for the shape', source: ONE_TO_ONE, files: { 'bad.csv': 'a,b,y\n1,2,4\n' } },
  { name: 'no column for an input', source: TWO, files: { 'bad.csv': 'f1,f2,p,q\n1,2,3,0\n' } },
  { name: 'a class id out of range', source: SPARSE, files: { 'bad.csv': 'x_0,x_1,c\n1,1,0\n2,2,3\n' } },
  { name: 'a validation label the training data never shows', source: SPARSE, files: { 'd.csv': 'x_0,x_1,c\n1,1,a\n2,2,b\n', 'val.csv': 'x_0,x_1,c\n1,1,z\n' } },
  { name: 'a fraction for an int32 input', source: IDS, files: { 'bad.csv': 'ids_0,ids_1,ids_2,y\n1,2.5,3,0.1\n' } },
  { name: 'a JSON record without a field', source: ONE_TO_ONE, files: { 'bad.json': '[{"x": [1, 2, 3], "y": 1}, {"x": [1, 2, 3]}]' } },
  { name: 'a pattern that matches no column', source: TWO, files: { 'bad.csv': 'f1,f2,b,p,q\n1,2,3,4,0\n' }, columns: ['b=nothing*'] },
  { name: 'a header without rows', source: ONE_TO_ONE, files: { 'bad.csv': 'a,b,c,y\n' } },
  { name: 'a cell beyond float32', source: ONE_TO_ONE, files: { 'bad.csv': 'a,b,c,y\n1,2,1e39,4\n' } },
  { name: 'an id beyond int32', source: IDS, files: { 'bad.json': '[{"ids": [1, 2, 3], "y": 1}, {"ids": [1, 3000000000, 3], "y": 1}]' } },
  { name: 'more class names than classes', source: SPARSE, files: { 'bad.csv': 'x_0,x_1,c\n1,1,a\n2,2,b\n3,3,c\n4,4,d\n5,5,a\n' } },
  { name: 'a quote that swallowed a line break in a label', source: SPARSE, files: { 'bad.csv': 'x_0,x_1,c\n1,1,a\n2,2,"b\n3,3,c"\n4,4,c\n5,5,d\n' } },
  { name: 'too few rows for the validation split', source: SPARSE, files: { 'bad.csv': 'x_0,x_1,c\n1,1,0\n' } },
];

/** What nnc train reads, in the runner's terms. */
function nncData(model: IRModel, files: Record<string, string>, folder: string, columns: string[]) {
  const [trainFile, ...rest] = Object.keys(files);
  const valFile = rest.find((f) => f.startsWith('val.'));
  try {
    const table = (name: string) => readTable(files[name]!, join(folder, name));
    const prepared = prepareData(model, { train: table(trainFile!), validation: valFile ? table(valFile) : undefined }, parseColumns(columns));
    const dataset = (d: Dataset | null) => d && { size: d.size, inputs: d.inputs.map((t) => Array.from(t.data)), targets: d.targets.map((t) => Array.from(t.data)) };
    return { train: dataset(prepared.train), validation: dataset(prepared.validation), classNames: { ...prepared.classNames }, notes: prepared.notes, columns: describeColumns(prepared).trimEnd() };
  } catch (error) {
    if (error instanceof DataError) return { error: error.message };
    throw error;
  }
}

describe.skipIf(!hasSystemDependency('python3-torch'))('train.py reads the samples nnc train reads', () => {
  const root = mkdtempSync(join(tmpdir(), 'nnc-data-'));
  const theirs = new Map<string, unknown>();
  const ours = new Map<string, unknown>();
  let iris: { model: IRModel; folder: string };
  let disposeFolders = async () => undefined as void;

  beforeAll(async () => {
    const models = CASES.map((c) => selectModel(check(c.source).ir)!);
    const generated = await writeCaseFolders(models.map((m) => generateTorch(m, { filename: 'model.nn' }) as unknown as Record<string, string>));
    const cases = CASES.map((c, i) => {
      const folder = generated.folders[i]!;
      for (const [name, text] of Object.entries(c.files)) writeFileSync(join(folder, name), text);
      ours.set(c.name, nncData(models[i]!, c.files, folder, c.columns ?? []));
      const [data, ...rest] = Object.keys(c.files);
      const val = rest.find((f) => f.startsWith('val.'));
      return { id: c.name, kind: 'data', folder, data: join(folder, data!), ...(val ? { val: join(folder, val) } : {}), columns: c.columns ?? [] };
    });
    const { results } = await runTorchJob<{ id: string; data?: unknown; error?: string }>(DEBIAN_PYTHON, { cases });
    for (const r of results) theirs.set(r.id, r.error ? { runnerError: r.error } : r.data);
    iris = { model: models[0]!, folder: generated.folders[0]! };
    disposeFolders = generated.dispose;
  }, 120_000);

  afterAll(async () => {
    rmSync(root, { recursive: true, force: true });
    await disposeFolders();
  });

  test.each(CASES.map((c) => c.name))('%s', (name) => {
    expect(theirs.get(name)).toEqual(ours.get(name));
  });

  test('the bad-data cases are refused by both', () => {
    const refused = CASES.filter((c) => (ours.get(c.name) as { error?: string }).error !== undefined).map((c) => c.name);
    expect(refused).toEqual(CASES.slice(CASES.findIndex((c) => c.name === 'a cell that is not a number')).map((c) => c.name));
    expect(refused).toHaveLength(19);
  });

  test('train.py --check-data writes the same samples, through the command line', async () => {
    const out = join(root, 'iris.json');
    const run = await runProcess(DEBIAN_PYTHON, [join(iris.folder, 'train.py'), '--data', join(iris.folder, 'iris.csv'), '--check-data', out], '', 120_000);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(theirs.get(CASES[0]!.name));
  }, 120_000);
});
