import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { NnParser } from '../../grammar/parser.js';
import { Reporter } from '../../src/diagnostics/reporter.js';
import { formatSpan } from '../../src/diagnostics/span.js';
import type { AssignStatement, CallExpr, DictExpr, ModelDecl, Program } from '../../src/parse/ast.js';
import { parse } from '../../src/parse/parse.js';

function parsed(source: string): { program: Program; diagnostics: string[] } {
  const reporter = new Reporter();
  const program = parse(source, reporter);
  return { program, diagnostics: reporter.diagnostics.map((d) => `${formatSpan(d.span)} ${d.code} ${d.message}`) };
}

const example = readFileSync(new URL('./fixtures/full-example/input.nn', import.meta.url), 'utf8');

describe('parse', () => {
  test('reports every error of a file with several, and keeps the declarations around them', () => {
    const source = readFileSync(new URL('./fixtures/error-several/input.nn', import.meta.url), 'utf8');
    const { program, diagnostics } = parsed(source);
    const lines = diagnostics.map((d) => Number(d.split(':')[0]));
    expect(new Set(lines)).toEqual(new Set([4, 8, 11, 15]));
    expect(diagnostics.every((d) => d.includes('E1002'))).toBe(true);
    expect(program.declarations.map((d) => `${d.kind} ${d.name.name}`)).toEqual([
      'Model First',
      'Model Second',
      'Block Broken',
      'Model Fine',
    ]);
  });

  test('the shared parser carries nothing from one call to the next', () => {
    const first = JSON.stringify(parsed(example));
    const broken = parsed('model M { x = = }\nblock B( {');
    expect(broken.diagnostics.length).toBeGreaterThan(0);
    expect(JSON.stringify(parsed(example))).toBe(first);
    expect(parsed(example).diagnostics).toEqual([]);
  });

  test('lines and columns follow \\n, \\r\\n and a lone \\r', () => {
    for (const newline of ['\n', '\r\n', '\r']) {
      const source = ['model M {', '  input x: [3]', '  y = x', '}'].join(newline);
      const model = parsed(source).program.declarations[0] as ModelDecl;
      expect(model.body.map((s) => formatSpan(s.span))).toEqual(['2:3..2:15', '3:3..3:8']);
      expect(formatSpan(model.span)).toBe('1:1..4:2');
    }
  });

  test('an error at the end of the file points just past the last character', () => {
    expect(parsed('model M {\n  x = ').diagnostics).toEqual(['2:7..2:7 E1002 expected an expression, found end of file']);
    expect(parsed('model M {\n').diagnostics).toEqual([
      '2:1..2:1 E1002 expected a statement (`input`, `output`, `layer`, `train` or a definition) or `}`, found end of file',
    ]);
  });

  test('a quoted dict key becomes an identifier with the unquoted name', () => {
    const { program } = parsed('model M { d = {"price": 1, \'a b\': 2} }');
    const dict = ((program.declarations[0] as ModelDecl).body[0] as AssignStatement).value as DictExpr;
    expect(dict.entries.map((e) => [e.key.kind, e.key.name, formatSpan(e.key.span)])).toEqual([
      ['Identifier', 'price', '1:16..1:23'],
      ['Identifier', 'a b', '1:28..1:33'],
    ]);
  });

  test('a keyword argument keeps its name and the span from name to value', () => {
    const { program } = parsed('model M { y = f(1, init = identity(1.5)) }');
    const call = ((program.declarations[0] as ModelDecl).body[0] as AssignStatement).value as CallExpr;
    expect(call.args.map((a) => [a.name?.name, a.value.kind, formatSpan(a.span)])).toEqual([
      [undefined, 'Number', '1:17..1:18'],
      ['init', 'Call', '1:20..1:40'],
    ]);
  });

  test('comments keep their text and exact spans', () => {
    const source = 'model M { # a\n  x = 1 #b\n}\n#end';
    const { program } = parsed(source);
    expect(program.comments.map((c) => [c.text, source.slice(c.span.start.offset, c.span.end.offset), formatSpan(c.span)])).toEqual([
      ['# a', '# a', '1:11..1:14'],
      ['#b', '#b', '2:9..2:11'],
      ['#end', '#end', '4:1..4:5'],
    ]);
  });

  test('nesting is capped before the parser can exhaust the stack', () => {
    const nested = (depth: number) => `model M {\n  x = ${'('.repeat(depth)}1${')'.repeat(depth)}\n}`;
    expect(parsed(nested(99)).diagnostics).toEqual([]);
    expect(parsed(nested(100)).diagnostics).toEqual(['2:106..2:107 E1007 brackets nest more than 100 levels deep']);
    expect(parsed(nested(20_000)).diagnostics).toHaveLength(1);
    expect(parsed(`model M { x = ${'f('.repeat(20_000)} }`).diagnostics).toHaveLength(1);
  });

  test('a lexical error casts a shadow: the rest of a split word is not reported again', () => {
    expect(parsed('model M { y = f(act=sigmoïd) }').diagnostics).toEqual(['1:26..1:27 E1001 unexpected character `ï`']);
  });

  test('the grammar passes chevrotain\'s validation, which the shared parser skips at start-up', () => {
    for (const recovering of [true, false]) {
      // Chevrotain throws from the constructor when the grammar fails its validation.
      const validated = new NnParser(recovering, true);
      expect(JSON.stringify(validated.getSerializedGastProductions())).toBe(JSON.stringify(new NnParser(recovering).getSerializedGastProductions()));
    }
  });

  test('the syntax diagrams are drawn from the grammar without the missing-comma recovery', () => {
    const strict = JSON.stringify(new NnParser(false).getSerializedGastProductions());
    const recovering = JSON.stringify(new NnParser().getSerializedGastProductions());
    expect(strict).not.toContain('missingComma');
    expect(recovering).toContain('missingComma');
  });
});
