import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Reporter } from '../../src/diagnostics/reporter.js';
import { parse } from '../../src/parse/parse.js';
import { printProgram } from '../../src/print/print-program.js';
import { expectFixture } from '../support/fixtures.js';
import { expectRoundTrip } from './support/round-trip.js';

/** The `.nn` printer: every example round-trips, one example's layout is pinned, and each construct prints as documented. */

const examples = new URL('../../examples/', import.meta.url);
const exampleFiles = readdirSync(examples).filter((f) => f.endsWith('.nn')).sort();

const print = (source: string): string => printProgram(parse(source, new Reporter()));

describe('examples round-trip through the printer', () => {
  test('there are examples to print', () => {
    expect(exampleFiles.length).toBeGreaterThan(3);
  });
  test.each(exampleFiles)('%s', (file) => {
    expectRoundTrip(readFileSync(new URL(file, examples), 'utf8'));
  });
});

/** The fixtures of the parser, checker and code generator that parse without errors (their checks may fail). */
const fixtures = ['../parse/fixtures/', '../check/fixtures/', '../codegen/fixtures/'].flatMap((dir) => {
  const root = new URL(dir, import.meta.url);
  return readdirSync(root)
    .map((name) => new URL(`${name}/input.nn`, root))
    .filter((file) => existsSync(file))
    .map((file) => [file.pathname.split('/test/')[1]!, readFileSync(file, 'utf8')] as const)
    .filter(([, source]) => parseErrors(source) === 0);
});

function parseErrors(source: string): number {
  const reporter = new Reporter();
  parse(source, reporter);
  return reporter.diagnostics.length;
}

describe('fixtures round-trip through the printer, diagnostics included', () => {
  test('there are fixtures to print', () => {
    expect(fixtures.length).toBeGreaterThan(20);
  });
  test.each(fixtures)('%s', (_name, source) => {
    expectRoundTrip(source);
  });
});

test('golden layout of examples/residual.nn (re-approve with NNC_APPROVE=1)', () => {
  const printed = expectRoundTrip(readFileSync(new URL('residual.nn', examples), 'utf8'));
  expectFixture(new URL('./golden/', import.meta.url).pathname, 'residual.nn', printed);
});

describe('constructs', () => {
  const cases: Array<[string, string, string]> = [
    ['an empty file', '', ''],
    ['an empty model', 'model M{}', 'model M {}\n'],
    [
      'inputs: float, int32, unknown and parameter dims',
      'block B(n){input x:[ n , ? ]\noutput y=x}\nmodel M{input a:[3]input ids:int32[ 20 ]\ninput img:[?,?,3]\noutput y=a}',
      'block B(n) {\n  input x: [n, ?]\n  output y = x\n}\n\nmodel M {\n  input a: [3]\n  input ids: int32[20]\n  input img: [?, ?, 3]\n  output y = a\n}\n',
    ],
    [
      'pipelines on one line, however they were broken',
      'model M {\n  input x: [4]\n  output y = x\n    -> dense(8, relu)\n    -> dense( 1 )\n}',
      'model M {\n  input x: [4]\n  output y = x -> dense(8, relu) -> dense(1)\n}\n',
    ],
    [
      'a pipeline as a source or a stage keeps its parentheses',
      'model M { input x: [4]\n  y = (x -> dense(2)) -> (relu -> tanh)\n  output z = y }',
      'model M {\n  input x: [4]\n  y = (x -> dense(2)) -> (relu -> tanh)\n  output z = y\n}\n',
    ],
    [
      'tuples, a one-item tuple, merge calls with pipelines as arguments',
      'model M { input a: [2] input b: [2]\n  c = (a, b) -> add\n  d = (a,) -> relu\n  output e = concat(a, b -> dense(3), axis=-1) }',
      'model M {\n  input a: [2]\n  input b: [2]\n  c = (a, b) -> add\n  d = (a,) -> relu\n  output e = concat(a, b -> dense(3), axis=-1)\n}\n',
    ],
    [
      'numbers as written, lists, calls without arguments, booleans',
      'model M { input x: [2]\n  output y = x -> dense(2, init=normal(mean=-0.5, std=1e-2), bias=false) -> reshape([ -1 ]) -> f()\n}',
      'model M {\n  input x: [2]\n  output y = x -> dense(2, init=normal(mean=-0.5, std=1e-2), bias=false) -> reshape([-1]) -> f()\n}\n',
    ],
    [
      'train settings one per line; dicts spaced; empty dicts and lists',
      'model M { input x: [2] output y = x train { loss={y:mse} loss_weights = {  y :0.5 } metrics=[] options={} } }',
      'model M {\n  input x: [2]\n  output y = x\n  train {\n    loss = { y: mse }\n    loss_weights = { y: 0.5 }\n    metrics = []\n    options = {}\n  }\n}\n',
    ],
    [
      'strings re-quoted and escaped; dict keys quoted only when they must be',
      String.raw`model M { train { a = 'it\'s' b = "say \"hi\"\n" c = { "price": 1, "two words": 2, 'input': 3, "a\\b": 4 } } }`,
      String.raw`model M {
  train {
    a = "it's"
    b = "say \"hi\"\n"
    c = { price: 1, "two words": 2, "input": 3, "a\\b": 4 }
  }
}
`,
    ],
    [
      'shared layers, bare outputs, block parameters with defaults, repeat',
      'block R(units, rate = 0.1) { input x\n output y = x -> dense(units) -> dropout(rate) }\nmodel M { input x: [2]\n layer enc = dense(2)\n h = x -> enc -> repeat(2, R(2, rate=0.2))\n output h }',
      'block R(units, rate = 0.1) {\n  input x\n  output y = x -> dense(units) -> dropout(rate)\n}\n\nmodel M {\n  input x: [2]\n  layer enc = dense(2)\n  h = x -> enc -> repeat(2, R(2, rate=0.2))\n  output h\n}\n',
    ],
    [
      'blank lines kept (one at most), comments dropped, a comment line is not a blank line',
      'model M {\n  input x: [2]   # features\n\n\n  # the hidden part\n  h = x -> dense(4)\n  # no blank line above\n  y = h\n\n  output z = y\n}\n\n\n# trailing\n',
      'model M {\n  input x: [2]\n\n  h = x -> dense(4)\n  y = h\n\n  output z = y\n}\n',
    ],
  ];
  test.each(cases)('%s', (_name, source, expected) => {
    expect(print(source)).toBe(expected);
    expect(print(expected), 'printing the printed text changes nothing').toBe(expected);
  });

  test('strings survive the round trip whatever they hold', () => {
    const value = 'tab\there, quote " and \' , backslash \\, newline \n, return \r, nul \0, unicode é';
    const program = parse('model M { train { s = "x" } }', new Reporter());
    const setting = (program.declarations[0]!.body[0] as { settings: Array<{ value: { value: string } }> }).settings[0]!;
    setting.value.value = value;
    const reparsed = parse(printProgram(program), new Reporter());
    expect((reparsed.declarations[0]!.body[0] as { settings: Array<{ value: { value: string } }> }).settings[0]!.value.value).toBe(value);
  });
});
