import type { IRModel } from '../../ir/ir.js';
import { emitModule, type EmitOptions } from './emit-module.js';
import { formatModule } from './format.js';

/**
 * The TensorFlow.js module for one checked model: an ES module importing only
 * `@tensorflow/tfjs`, formatted with prettier, the same bytes for the same IR and options.
 */
export async function generateTfjs(model: IRModel, options: EmitOptions): Promise<string> {
  return formatModule(emitModule(model, options), options.format);
}
