import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Reporter } from '../../src/diagnostics/reporter.js';
import { parse } from '../../src/parse/parse.js';
import { printProgram } from '../../src/print/print-program.js';
import { expectFixture } from '../support/fixtures.js';
import { codeBlocks } from '../docs/support/markdown.js';
import { expectRoundTrip } from './support/round-trip.js';

/** The `.nn` printer: every example, fixture and doc block round-trips, one example's layout is pinned (each construct's layout: test/print). */

const examples = new URL('../../examples/', import.meta.url);
const exampleFiles = readdirSync(examples).filter((f) => f.endsWith('.nn')).sort();


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

/** Every ```nn block of the docs that parses: formatted, it means the same and keeps its comments. */
const docBlocks = readdirSync(new URL('../../docs/', import.meta.url))
  .filter((f) => f.endsWith('.md'))
  .flatMap((f) => codeBlocks(readFileSync(new URL(`../../docs/${f}`, import.meta.url), 'utf8')).filter((b) => b.lang === 'nn').map((b) => [`docs/${f}:${b.open}`, b.text] as const))
  .filter(([, source]) => parseErrors(source) === 0);

describe('doc blocks round-trip through the printer, diagnostics included', () => {
  test('there are doc blocks to print', () => {
    expect(docBlocks.length).toBeGreaterThan(40);
  });
  test.each(docBlocks)('%s', (_name, source) => {
    expectRoundTrip(source);
  });
});

test('golden layout of examples/residual.nn (re-approve with NNC_APPROVE=1)', () => {
  const printed = expectRoundTrip(readFileSync(new URL('residual.nn', examples), 'utf8'));
  expectFixture(new URL('./golden/', import.meta.url).pathname, 'residual.nn', printed);
});

describe('the printer without the source', () => {
  test('strings survive the round trip whatever they hold', () => {
    const value = 'tab\there, quote " and \' , backslash \\, newline \n, return \r, nul \0, unicode é';
    const program = parse('model M { train { s = "x" } }', new Reporter());
    const setting = (program.declarations[0]!.body[0] as { settings: Array<{ value: { value: string } }> }).settings[0]!;
    setting.value.value = value;
    const reparsed = parse(printProgram(program), new Reporter());
    expect((reparsed.declarations[0]!.body[0] as { settings: Array<{ value: { value: string } }> }).settings[0]!.value.value).toBe(value);
  });
});
