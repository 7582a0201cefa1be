import type { CheckOptions, CheckResult, CompileOptions, CompileResult } from '../../../src/compile.js';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import type { Span } from '../../../src/diagnostics/span.js';
import type { IRModel, IRProgram } from '../../../src/ir/ir.js';
import type { ModelSummary } from '../../../src/summary.js';

/**
 * A stand-in for src/compile.ts with the same signatures, so the CLI's own behaviour (flags,
 * streams, exit codes, atomic writes) is tested apart from the real parser and checker:
 * - every `model NAME` in the source is a model with two dense layers and 2,041 params;
 * - the word `hiden` is an E2001 error, `unused` a W3003 warning, `boom` an internal crash;
 * - like the real checker, `model` selects one model (E2015 when absent) and compile needs
 *   exactly one model (E2023 when several and none chosen).
 */
function spanOf(source: string, offset: number, length: number): Span {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { start: { offset, line, column }, end: { offset: offset + length, line, column: column + length } };
}

function found(source: string, word: string): number[] {
  return [...source.matchAll(new RegExp(`\\b${word}\\b`, 'g'))].map((m) => m.index);
}

function irModel(name: string, span: Span): IRModel {
  const layer = (id: string, paramCount: number) => ({ id, op: 'dense', attrs: {}, weights: [], paramCount, span, scope: [] });
  return { name, span, inputs: [], outputs: [], layers: [layer('dense_1', 2000), layer('dense_2', 41)], nodes: [], train: null };
}

function summaryOf(model: IRModel): ModelSummary {
  return {
    model: model.name,
    chain: true,
    rows: model.layers.map((l) => ({ layer: l.id, op: l.op, outputShape: '[?, 1]', params: l.paramCount, init: 'he', line: 1, connectedTo: [] })),
    totalParams: 2041,
    trainableParams: 2041,
    nonTrainableParams: 0,
  };
}

function diagnostic(source: string, at: number, length: number, code: string, message: string, filename: string, help?: string): Diagnostic {
  const d: Diagnostic = { code, severity: code.startsWith('W') ? 'warning' : 'error', message, span: spanOf(source, at, length), labels: [], filename };
  if (help !== undefined) d.help = help;
  return d;
}

export function check(source: string, options: CheckOptions = {}): CheckResult {
  return checkSource(source, options, false);
}

function checkSource(source: string, options: CheckOptions, requireOne: boolean): CheckResult {
  if (found(source, 'boom').length > 0) throw new Error('fake compiler crashed');
  const filename = options.filename ?? '<input>';
  const diagnostics: Diagnostic[] = [];
  for (const at of found(source, 'hiden')) {
    diagnostics.push(diagnostic(source, at, 5, 'E2001', 'cannot find `hiden` in this scope', filename, 'did you mean `hidden`?'));
  }
  for (const at of found(source, 'unused')) {
    diagnostics.push(diagnostic(source, at, 6, 'W3003', 'input `unused` is never used', filename));
  }
  const declared = [...source.matchAll(/\bmodel (\w+)/g)].map((m) => irModel(m[1]!, spanOf(source, m.index, m[0].length)));
  if (declared.length === 0) diagnostics.push(diagnostic(source, 0, 0, 'E2022', 'this file declares no model', filename));
  const models = options.model === undefined ? declared : declared.filter((m) => m.name === options.model);
  if (options.model !== undefined && models.length === 0) {
    const available = declared.map((m) => `\`${m.name}\``).join(', ');
    diagnostics.push(diagnostic(source, 0, source.length, 'E2015', `there is no model named \`${options.model}\` (models in this file: ${available})`, filename));
  }
  if (requireOne && options.model === undefined && declared.length > 1) {
    diagnostics.push(diagnostic(source, declared[1]!.span.start.offset, 5, 'E2023', `this file declares ${declared.length} models; choose the one to compile`, filename));
  }
  diagnostics.sort((a, b) => a.span.start.offset - b.span.start.offset);
  const ok = !diagnostics.some((d) => d.severity === 'error');
  const ir: IRProgram = { version: 1, filename, models };
  return { ok, ir, diagnostics, summary: models.map(summaryOf) };
}

export function selectModel(ir: IRProgram | null, name?: string): IRModel | undefined {
  if (!ir) return undefined;
  if (name !== undefined) return ir.models.find((m) => m.name === name);
  return ir.models.length === 1 ? ir.models[0] : undefined;
}

export async function compile(source: string, options: CompileOptions = {}): Promise<CompileResult> {
  const checked = checkSource(source, options, true);
  const model = checked.ok ? selectModel(checked.ir, options.model) : undefined;
  if (!model) return { ...checked, ok: false, code: null, model: null };
  const code = `// ${options.format ?? 'ts'} for ${model.name} from ${options.filename ?? '<input>'}\nexport const name = '${model.name}';\n`;
  return { ...checked, code, model: model.name };
}
