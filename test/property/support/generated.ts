import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { compile, selectModel } from '../../../src/compile.js';
import { loadGeneratedModule } from '../../../src/cli/load-generated.js';
import type { IRModel } from '../../../src/ir/ir.js';
import type { GeneratedModule } from '../../../src/codegen/tfjs/generated-module.js';
import type { ModelSummary } from '../../../src/summary.js';

/** tfjs on its CPU backend, deterministic and in float32 like every backend; quiet about tfjs-node. */
export async function cpuBackend(): Promise<typeof tf> {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
}

export interface Generated {
  model: IRModel;
  summary: ModelSummary;
  module: GeneratedModule;
}

/** Compiles a model to JavaScript and imports the generated module, sharing this process's tfjs. */
export async function generated(source: string): Promise<Generated> {
  const result = await compile(source, { format: 'js', filename: 'model.nn' });
  expect(result.code, 'the model compiles').not.toBeNull();
  const model = selectModel(result.ir, result.model!)!;
  return { model, summary: result.summary.find((s) => s.model === model.name)!, module: await loadGeneratedModule(result.code!) };
}

export { tf };
