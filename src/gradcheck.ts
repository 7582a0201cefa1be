import { checkRules, integer, isFunction, isObject, oneOf, positiveNumber, requireOptions, requireSource } from './api-arguments.js';
import { checkSource, selectModel, type CheckOptions } from './compile.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import type { IRModel } from './ir/ir.js';
import { checkGradients, type GradcheckOptions, type GradcheckReport } from './reference/gradcheck.js';
import { passes } from './reference/grades.js';

export interface GradcheckSourceOptions extends CheckOptions, GradcheckOptions {}

export interface GradcheckResult {
  /** True when the source checked, every tensor could be checked and none is in the bug band. */
  ok: boolean;
  diagnostics: Diagnostic[];
  /** The checked model (with the loss used), or null when the source has errors. */
  model: IRModel | null;
  report: GradcheckReport | null;
}

/**
 * Checks a model's gradients numerically in float64: analytic (hand-written backprop of every
 * op) against central differences of the loss. Never throws for anything in `source`.
 */
const gradcheckRules = {
  ...checkRules,
  mode: oneOf(['full', 'sample', 'fast']),
  samples: integer(1),
  directions: integer(1),
  epsilon: positiveNumber,
  batch: integer(1),
  seed: integer(0),
  data: isObject,
  analytic: isFunction,
  prepare: isFunction,
};

export function gradcheck(source: string, options: GradcheckSourceOptions = {}): GradcheckResult {
  requireSource('gradcheck', source);
  requireOptions('gradcheck', options, gradcheckRules);
  const checked = checkSource(source, options, true);
  const selected = checked.ok ? selectModel(checked.ir, options.model) : undefined;
  if (!selected) return { ok: false, diagnostics: checked.diagnostics, model: null, report: null };
  const report = gradcheckModel(selected, options);
  return { ok: gradcheckPassed(report), diagnostics: checked.diagnostics, model: withLoss(selected), report };
}

/** The gradient check of a checked model; one without a `train { }` block is checked with mse. */
export function gradcheckModel(model: IRModel, options: GradcheckOptions = {}): GradcheckReport {
  const report = checkGradients(withLoss(model), options);
  if (!model.train) report.notes.unshift('the model has no `train { }` block: checked with `loss = mse` on every output');
  return report;
}

/**
 * Whether the check proves the gradients: nothing in the bug band, and nothing left unchecked (a
 * tensor no method could resolve proves nothing, so it is not a pass either).
 */
export function gradcheckPassed(report: GradcheckReport): boolean {
  return passes(report.grade) && report.tensors.every((t) => passes(t.grade));
}

/** Whether any tensor, or the whole, is in the bug band. */
export function hasBackpropBug(report: GradcheckReport): boolean {
  return report.grade === 'bug' || report.tensors.some((t) => t.grade === 'bug');
}

/** A model without training settings is checked with mean squared error on each output. */
export function withLoss(model: IRModel): IRModel {
  if (model.train) return model;
  const losses = Object.fromEntries(model.outputs.map((o) => [o.name, { name: 'mse', weight: 1, span: o.span }]));
  return {
    ...model,
    train: { losses, optimizer: { name: 'sgd', params: {}, span: model.span }, metrics: Object.fromEntries(model.outputs.map((o) => [o.name, []])), epochs: 1, batchSize: 4, validationSplit: 0, shuffle: false, seed: null, columns: {}, earlyStopping: null, span: model.span },
  };
}
