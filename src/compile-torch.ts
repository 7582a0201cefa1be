import { generateTorch, type TorchFiles } from './codegen/torch/generate.js';
import { checkRules, requireOptions, requireSource } from './api-arguments.js';
import { checkSource, selectModel, type CheckOptions, type CheckResult } from './compile.js';

export interface TorchCompileResult extends CheckResult {
  /** model.py and (for a model with a train block) train.py; null when there are errors. */
  files: TorchFiles | null;
  /** The model the files were generated for. */
  model: string | null;
}

/**
 * Parse, validate and generate the PyTorch target of one model: `model.py` (an nn.Module) and
 * `train.py` (its train { } block as a script for python or torchrun). Never throws for anything in `source`.
 */
export function compileTorch(source: string, options: CheckOptions = {}): TorchCompileResult {
  requireSource('compileTorch', source);
  requireOptions('compileTorch', options, checkRules);
  const checked = checkSource(source, options, true);
  const model = checked.ok ? selectModel(checked.ir, options.model) : undefined;
  if (!model) return { ...checked, ok: false, files: null, model: null };
  return { ...checked, files: generateTorch(model, { filename: options.filename ?? '<input>' }), model: model.name };
}
