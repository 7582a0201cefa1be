import { transform } from 'esbuild';
import { check, compile } from '../../src/compile.js';
import { diagnosticTable } from '../../src/diagnostics/codes.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { IRModel } from '../../src/ir/ir.js';

/**
 * What must hold for every source, however wrong (issue 9): nnc does not throw, no run takes
 * over the time budget, every diagnostic has a code of the table (with its severity) and a
 * span inside the source whose line and column agree with its offset, `ok` is true exactly
 * when there is no error, and every module `compile` returns is valid TypeScript (and, for a
 * sample, builds and predicts in TensorFlow.js).
 */

export const TIME_BUDGET_MS = 2_000;

const severities = new Map(Object.values(diagnosticTable).map((d) => [d.code, d.severity]));

export interface Examination {
  problems: string[];
  /** What `check` said. */
  ok: boolean;
  /** Milliseconds of the slowest phase (check, or compile when it ran). */
  slowest: number;
  /** The model compiled, when `compile` succeeded. */
  compiled?: { code: string; model: IRModel };
}

export interface ExamineOptions {
  /** Also compile (TypeScript) when check is ok, and parse the module. */
  compile: boolean;
}

export async function examine(source: string, options: ExamineOptions): Promise<Examination> {
  const problems: string[] = [];
  let slowest = 0;
  const timed = async <T>(what: string, run: () => T | Promise<T>): Promise<T | undefined> => {
    const start = performance.now();
    try {
      return await run();
    } catch (error) {
      problems.push(`${what} threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return undefined;
    } finally {
      const took = performance.now() - start;
      slowest = Math.max(slowest, took);
      if (took > TIME_BUDGET_MS) problems.push(`${what} took ${Math.round(took)} ms (budget ${TIME_BUDGET_MS} ms)`);
    }
  };

  const checked = await timed('check', () => check(source, { filename: 'fuzz.nn' }));
  if (!checked) return { problems, ok: false, slowest };
  const ok = checked.ok;
  problems.push(...diagnosticProblems(checked.diagnostics, checked.ok, source, 'check'));
  if (!options.compile || !checked.ok || !checked.ir || checked.ir.models.length === 0) return { problems, ok, slowest };

  const model = checked.ir.models[0]!;
  const compiled = await timed('compile', () => compile(source, { filename: 'fuzz.nn', model: model.name }));
  if (!compiled) return { problems, ok, slowest };
  problems.push(...diagnosticProblems(compiled.diagnostics, compiled.ok, source, 'compile'));
  if (!compiled.ok || compiled.code === null) {
    problems.push(`compile failed where check was ok: ${compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ')}`);
    return { problems, ok, slowest };
  }
  // Where the source's numbers are emitted (`value: 1e400`, `dense(…, 1e400)`), not the runtime's own `best = Infinity`.
  const nonFinite = compiled.code.split('\n').find((line) => /[:(,[]\s*-?(Infinity|NaN)\b/.test(line) && !/^\s*(\/\/|\*)/.test(line));
  if (nonFinite !== undefined) problems.push(`the generated module computes with Infinity or NaN: ${nonFinite.trim()}`);
  try {
    await transform(compiled.code, { loader: 'ts', format: 'esm' });
  } catch (error) {
    problems.push(`the generated module does not parse as TypeScript: ${String(error).slice(0, 500)}`);
  }
  return { problems, ok, slowest, compiled: { code: compiled.code, model } };
}

function diagnosticProblems(diagnostics: readonly Diagnostic[], ok: boolean, source: string, phase: string): string[] {
  const problems: string[] = [];
  const lines = lineStarts(source);
  for (const d of diagnostics) {
    const where = `${phase}: ${d.code} "${d.message}"`;
    const severity = severities.get(d.code);
    if (severity === undefined) problems.push(`${where}: code not in the table`);
    else if (severity !== d.severity) problems.push(`${where}: severity ${d.severity}, the table says ${severity}`);
    for (const [name, p] of [['start', d.span.start], ['end', d.span.end]] as const) {
      if (!Number.isInteger(p.offset) || p.offset < 0 || p.offset > source.length) {
        problems.push(`${where}: span ${name} offset ${p.offset} outside the source (length ${source.length})`);
        continue;
      }
      const expected = positionOf(lines, p.offset);
      if (expected.line !== p.line || expected.column !== p.column) {
        problems.push(`${where}: span ${name} at ${p.line}:${p.column}, but offset ${p.offset} is ${expected.line}:${expected.column}`);
      }
    }
    if (d.span.start.offset > d.span.end.offset) problems.push(`${where}: span ends before it starts`);
    if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(d.message + (d.help ?? '') + d.labels.map((l) => l.message).join(''))) {
      problems.push(`${where}: a raw control character in the message`);
    }
    if (/internal/i.test(d.message)) problems.push(`${where}: an internal error reported as a diagnostic`);
  }
  const hasErrors = diagnostics.some((d) => d.severity === 'error');
  if (ok === hasErrors) problems.push(`${phase}: ok is ${ok} with ${hasErrors ? 'errors' : 'no errors'}`);
  return problems;
}

function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

function positionOf(starts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - starts[low]! + 1 };
}
