import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { check } from '../../src/compile.js';
import { syntheticModel } from '../../bench/generate-model.js';

const examples = join(import.meta.dirname, '../../examples');
const sources = readdirSync(examples).filter((f) => f.endsWith('.nn')).map((f) => readFileSync(join(examples, f), 'utf8'));

describe('checker robustness', () => {
  test('a 10,000-definition chain checks without exhausting the stack', () => {
    const lines = ['model Long {', '  input x: [4]', '  h0 = x -> dense(4)'];
    for (let i = 1; i < 10_000; i++) lines.push(`  h${i} = h${i - 1} -> relu`);
    lines.push('  output y = h9999 -> dense(1)', '}');
    const result = check(lines.join('\n'));
    expect(result.diagnostics).toEqual([]);
    expect(result.ir!.models[0]!.nodes).toHaveLength(10_002);
  });

  test('definitions written in reverse order check the same as in order', () => {
    const source = syntheticModel(60);
    const lines = source.split('\n');
    const body = lines.slice(2, -6);
    const reversed = [...lines.slice(0, 2), ...body.reverse(), ...lines.slice(-6)].join('\n');
    const a = check(source);
    const b = check(reversed);
    expect(a.ok).toBe(true);
    expect(b.ok).toBe(true);
    expect(b.summary[0]!.totalParams).toBe(a.summary[0]!.totalParams);
    expect(b.ir!.models[0]!.layers.map((l) => l.id).sort()).toEqual(a.ir!.models[0]!.layers.map((l) => l.id).sort());
  });

  test('a long cycle is reported once with its whole path', () => {
    const lines = ['model Loop {', '  input x: [4]'];
    for (let i = 0; i < 2000; i++) lines.push(`  a${i} = a${(i + 1) % 2000} -> relu`);
    lines.push('  output y = add(a0, x) -> dense(1)', '}');
    const result = check(lines.join('\n'));
    const cycles = result.diagnostics.filter((d) => d.code === 'E3001');
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.message.split(' -> ')).toHaveLength(2001);
  });

  test('check never throws on mutated examples, and every span lies in the source', () => {
    const mutation = fc.record({
      example: fc.nat(sources.length - 1),
      at: fc.nat(),
      cut: fc.nat(12),
      insert: fc.constantFrom('', ')', '(', '->', '=', ',', 'x', 'dense', '[', ']', '{', '}', '3', '-1', 'output', 'input', 'repeat(2,', '?'),
    });
    fc.assert(
      fc.property(mutation, ({ example, at, cut, insert }) => {
        const original = sources[example]!;
        const position = at % (original.length + 1);
        const source = original.slice(0, position) + insert + original.slice(position + cut);
        const result = check(source);
        for (const d of result.diagnostics) {
          expect(d.span.start.offset).toBeGreaterThanOrEqual(0);
          expect(d.span.end.offset).toBeLessThanOrEqual(source.length);
          expect(d.span.start.offset).toBeLessThanOrEqual(d.span.end.offset);
        }
        if (!result.ok) expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      }),
      { numRuns: Number(process.env.NNC_PROPERTY_RUNS ?? 300) },
    );
  });
});
