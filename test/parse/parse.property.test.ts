import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Reporter } from '../../src/diagnostics/reporter.js';
import type { Position, Span } from '../../src/diagnostics/span.js';
import { parse } from '../../src/parse/parse.js';

/**
 * parse() must never throw, and every span it hands out (AST nodes, comments,
 * diagnostics) must lie in the source, agree with an independent line/column count,
 * and sit inside the span of the node that holds it.
 */

const example = readFileSync(new URL('./fixtures/full-example/input.nn', import.meta.url), 'utf8');

/** Line and column of every offset, counted the slow, obvious way. */
function positionsOf(source: string): Position[] {
  const positions: Position[] = [];
  let line = 1;
  let column = 1;
  for (let offset = 0; offset <= source.length; offset++) {
    positions.push({ offset, line, column });
    const lineBreak = source[offset] === '\n' || (source[offset] === '\r' && source[offset + 1] !== '\n');
    line = lineBreak ? line + 1 : line;
    column = lineBreak ? 1 : column + 1;
  }
  return positions;
}

function isSpan(value: unknown): value is Span {
  return typeof value === 'object' && value !== null && 'start' in value && 'end' in value;
}

function checkSpan(positions: Position[], span: Span, where: string): void {
  const { start, end } = span;
  if (!(start.offset >= 0 && start.offset <= end.offset && end.offset < positions.length)) {
    throw new Error(`${where}: span ${JSON.stringify(span)} is not inside the source`);
  }
  for (const position of [start, end]) {
    const expected = positions[position.offset]!;
    if (position.line !== expected.line || position.column !== expected.column) {
      throw new Error(`${where}: ${JSON.stringify(position)} should be at ${expected.line}:${expected.column}`);
    }
  }
}

/** Every object with a span, checked against the source and against its enclosing span. */
function checkTree(positions: Position[], node: unknown, enclosing: Span | undefined, path: string): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => checkTree(positions, item, enclosing, `${path}[${i}]`));
    return;
  }
  if (typeof node !== 'object' || node === null || isSpan(node)) return;
  let inner = enclosing;
  if ('span' in node && isSpan(node.span)) {
    checkSpan(positions, node.span, path);
    if (enclosing && (node.span.start.offset < enclosing.start.offset || node.span.end.offset > enclosing.end.offset)) {
      throw new Error(`${path}: span ${JSON.stringify(node.span)} leaves its parent's ${JSON.stringify(enclosing)}`);
    }
    inner = node.span;
  }
  for (const [key, value] of Object.entries(node)) if (key !== 'span') checkTree(positions, value, inner, `${path}.${key}`);
}

function checkParse(source: string): void {
  const reporter = new Reporter();
  const program = parse(source, reporter);
  const positions = positionsOf(source);
  checkTree(positions, program, undefined, 'program');
  expect(program.span.end.offset).toBe(source.length);
  for (const comment of program.comments) {
    expect(source.slice(comment.span.start.offset, comment.span.end.offset)).toBe(comment.text);
  }
  for (const diagnostic of reporter.diagnostics) {
    checkSpan(positions, diagnostic.span, diagnostic.message);
    expect(diagnostic.code).toMatch(/^E1\d\d\d$/);
  }
}

const pieces = [
  'model', 'block', 'input', 'output', 'layer', 'train', 'true', 'false', 'inputs', 'x', 'dense', 'int32',
  '{', '}', '(', ')', '[', ']', ',', '=', ':', '->', '?', '-', '.', '1', '-1', '.5', '1e-3', '0', '2.5',
  "'s'", '"d"', "'open", '"esc\\"', '# note\n', '#', ' ', '  ', '\n', '\r\n', '\r', '\t', '@', 'é', '😀', '\\',
];

const tokenSoup = fc.array(fc.constantFrom(...pieces), { maxLength: 120 }).map((parts) => parts.join(''));

type Mutation = { at: number; length: number; insert: string };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat({ max: example.length }),
  length: fc.nat({ max: 12 }),
  insert: fc.oneof(fc.constantFrom(...pieces), fc.constant('')),
});

function mutate(source: string, mutations: Mutation[]): string {
  return mutations.reduce((text, { at, length, insert }) => {
    const start = Math.min(at, text.length);
    return text.slice(0, start) + insert + text.slice(start + length);
  }, source);
}

describe('parse properties', () => {
  test('the example parses cleanly and passes the span checks', () => {
    const reporter = new Reporter();
    parse(example, reporter);
    expect(reporter.diagnostics).toEqual([]);
    checkParse(example);
  });

  test('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), checkParse), { numRuns: 300 });
  });

  test('never throws on soups of language tokens', () => {
    fc.assert(fc.property(tokenSoup, checkParse), { numRuns: 700 });
  });

  test('never throws on mutations of the example program', () => {
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => checkParse(mutate(example, mutations))), {
      numRuns: 500,
    });
  });
});
