import fc from 'fast-check';
import { buildModel, type GeneratedModel } from './build-model.js';
import type { BuildOptions } from './model-builder.js';
import { planArbitrary } from './plan.js';

export type { GeneratedModel } from './build-model.js';

/**
 * Random valid models as `.nn` source, covering the whole op catalogue, blocks, `repeat`,
 * shared layers, several inputs and outputs, and every loss. Shrinks towards fewer steps and
 * simpler options while staying valid.
 */
export function validModel(options: BuildOptions & { maxSteps?: number } = {}): fc.Arbitrary<GeneratedModel> {
  return planArbitrary(options).map((plan) => buildModel(plan, options));
}
