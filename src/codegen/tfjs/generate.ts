import type { IRModel } from '../../ir/ir.js';
import { emitModule, type EmitOptions } from './emit-module.js';
import { formatModule } from './format.js';
import { spliceTables } from './tables.js';

/**
 * The TensorFlow.js module for one checked model: an ES module importing only
 * `@tensorflow/tfjs`, formatted as prettier formats it (its tables are laid out by the emitter,
 * see tables.ts), the same bytes for the same IR and options.
 */
export async function generateTfjs(model: IRModel, options: EmitOptions): Promise<string> {
  const { code, tables } = emitModule(model, options);
  return spliceTables(await formatModule(code, options.format), tables);
}
