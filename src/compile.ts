import { checkRules, oneOf, requireOptions, requireSource } from './api-arguments.js';
import { hasErrors, type Diagnostic } from './diagnostics/diagnostic.js';
import type { IRModel, IRProgram } from './ir/ir.js';
import { analyzeSource } from './analyze-source.js';
import { generateTfjs } from './codegen/tfjs/generate.js';
import type { ModelSummary } from './summary.js';

export interface CheckOptions {
  /** Shown in diagnostics and in the generated header. */
  filename?: string;
  /** Which model to check or compile; required by `compile` when the file declares several. */
  model?: string;
  /** The band of predicted signal scales (forward and backward) outside which nnc warns; default [1e-3, 1e3]. */
  signalBand?: readonly [number, number];
}

export interface CompileOptions extends CheckOptions {
  /** `ts` (default) emits TypeScript; `js` emits plain ES module JavaScript. */
  format?: 'ts' | 'js';
}

export interface CheckResult {
  ok: boolean;
  /** The IR of every model that checked; null when parsing failed. */
  ir: IRProgram | null;
  diagnostics: Diagnostic[];
  summary: ModelSummary[];
}

export interface CompileResult extends CheckResult {
  /** The generated module for the selected model; null when there are errors. */
  code: string | null;
  /** The model the code was generated for. */
  model: string | null;
}

/**
 * Parse and validate. Never throws for anything in `source`; a call with a source that is not a
 * string or an option that does not exist or is of the wrong type throws (api-arguments.ts).
 */
export function check(source: string, options: CheckOptions = {}): CheckResult {
  requireSource('check', source);
  requireOptions('check', options, checkRules);
  return checkSource(source, options, false);
}

/** `check`, optionally requiring one model to be selected (compile and gradcheck need exactly one). */
export function checkSource(source: string, options: CheckOptions, requireOne: boolean): CheckResult {
  const { checked, diagnostics } = analyzeSource(source, options, { requireOne });
  return { ok: !hasErrors(diagnostics), ir: checked.ir, diagnostics, summary: checked.summaries };
}

const compileRules = { ...checkRules, format: oneOf(['ts', 'js']) };

/**
 * Parse, validate and generate TensorFlow.js code for one model. Never throws for anything in
 * `source`; rejects with a TypeError or RangeError for a call that is itself wrong, as `check` throws.
 */
export async function compile(source: string, options: CompileOptions = {}): Promise<CompileResult> {
  requireSource('compile', source);
  requireOptions('compile', options, compileRules);
  const checked = checkSource(source, options, true);
  const model = checked.ok ? selectModel(checked.ir, options.model) : undefined;
  if (!model) return { ...checked, ok: false, code: null, model: null };
  const code = await generateTfjs(model, {
    format: options.format ?? 'ts',
    filename: options.filename ?? '<input>',
  });
  return { ...checked, code, model: model.name };
}

/** The model `compile` targets: the one named, else the file's only model. */
export function selectModel(ir: IRProgram | null, name?: string): IRModel | undefined {
  if (!ir) return undefined;
  if (name !== undefined) return ir.models.find((m) => m.name === name);
  return ir.models.length === 1 ? ir.models[0] : undefined;
}
