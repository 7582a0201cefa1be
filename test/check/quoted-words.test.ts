import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { check } from '../../src/compile.js';

/** Without spans, which move by the width of the quotes. */
const withoutSpans = (value: unknown): string => JSON.stringify(value, (key, v: unknown) => (key === 'span' || key === 'line' ? undefined : v));

test('a quoted word compiles to exactly what the bare word does, everywhere a fixed word is taken', () => {
  const quoted = readFileSync(join(import.meta.dirname, 'fixtures/quoted-words/input.nn'), 'utf8');
  const bare = quoted.replace(/"([A-Za-z_]+)"|'([A-Za-z_]+)'/g, (_, a?: string, b?: string) => a ?? b!);
  expect(bare).not.toMatch(/["']/);
  const [a, b] = [check(quoted), check(bare)];
  expect(a.diagnostics).toEqual([]);
  expect(b.diagnostics).toEqual([]);
  expect(withoutSpans(a.ir)).toBe(withoutSpans(b.ir));
  expect(a.ir!.models[0]!.train!.optimizer.name).toBe('adam');
});

test('a quoted word is never a tensor, layer or op name', () => {
  const result = check('model M {\n  input x: [4]\n  output y = "x" -> "dense"(1)\n}\n');
  expect(result.ok).toBe(false);
  expect(check('model M {\n  input x: [4]\n  output y = x -> "relu"\n}\n').ok).toBe(false);
});
