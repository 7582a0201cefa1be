import type { GeneratedModule } from '../codegen/tfjs/generated-module.js';

/**
 * Imports a generated module in this process. Its `@tensorflow/tfjs` import is pointed at the
 * copy nnc itself resolves, so the module and the caller share one tfjs (one backend, one Tensor class).
 */
export async function loadGeneratedModule(code: string): Promise<GeneratedModule> {
  const tfjs = import.meta.resolve('@tensorflow/tfjs');
  const linked = code.replace(/from '@tensorflow\/tfjs';/, `from ${JSON.stringify(tfjs)};`);
  return (await import(`data:text/javascript;base64,${Buffer.from(linked).toString('base64')}`)) as GeneratedModule;
}
