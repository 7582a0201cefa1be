import type { IRModel } from '../../ir/ir.js';
import { emitModel } from './emit-model.js';
import { emitTrain } from './emit-train.js';

export interface TorchFiles {
  /** The nn.Module. */
  'model.py': string;
  /** The train { } block as a script; absent for a model without one. */
  'train.py'?: string;
}

/**
 * The PyTorch target for one checked model: `model.py` (an nn.Module importing only torch) and
 * `train.py` (training in one process or under torchrun). The same bytes for the same IR and options.
 */
export function generateTorch(model: IRModel, options: { filename: string }): TorchFiles {
  const emitted = emitModel(model, options);
  if (!model.train) return { 'model.py': emitted.source };
  return {
    'model.py': emitted.source,
    'train.py': emitTrain(model, model.train, { filename: options.filename, className: emitted.className, modelSource: emitted.source }),
  };
}
