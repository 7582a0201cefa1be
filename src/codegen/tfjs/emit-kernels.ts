import type { IRModel } from '../../ir/ir.js';
import { modelKernels } from '../../tfjs-kernels/op-kernels.js';
import { kernelKitSource, kernelSources } from './kernel-sources.js';
import { docComment, stringLiteral } from './literals.js';

/**
 * Gradient kernels some tfjs backends lack, embedded in the modules of models that need them:
 * tfjs-wasm has no Conv2DBackpropFilter (conv2d) and no UnsortedSegmentSum (embedding), so
 * without them `train()` stops on wasm. They are nnc's own (src/tfjs-kernels, copied by
 * `npm run gen` into kernel-sources.ts), built from kernels the backend has, and the module
 * stays self-contained: it imports nothing but `@tensorflow/tfjs`, as tsc inlines its helpers.
 * `compileModel` registers them for the backend in use, only where it has no kernel of that name.
 * nnc's faster replacements of slow kernels stay with nnc (`registerKernels`): they change how a
 * backend computes everything, which a generated module should not do on its own.
 */
function embedded(model: IRModel): Array<[string, (typeof kernelSources)[string]]> {
  const needed = modelKernels(model);
  return Object.entries(kernelSources).filter(([kernel]) => needed.has(kernel));
}

/** The `registerMissingKernels` function, for a model that needs one of the embedded kernels. */
export function emitKernels(model: IRModel, ts: boolean): string[] {
  const kernels = embedded(model);
  if (kernels.length === 0 || model.train === null) return [];
  const t = (text: string) => (ts ? text : '');
  const pick = (s: { ts: string; js: string }) => (ts ? s.ts : s.js);
  const list = kernels.map(([, k]) => `[${k.factory}, [${k.uses.map(stringLiteral).join(', ')}]]`).join(', ');
  return [
    `${docComment([
      'Gradient kernels that training this model runs and that some tfjs backends lack: tfjs-wasm has',
      `no ${kernels.map(([name]) => name).join(' and no ')} of its own. Built from kernels the backend has;`,
      "`compileModel` registers them for the backend in use where it has no kernel of that name (nnc's src/tfjs-kernels).",
    ])}
    function registerMissingKernels(backendName${t(': string')} = tf.getBackend())${t(': void')} {
      ${pick(kernelKitSource)}

      ${kernels.map(([, k]) => pick(k)).join('\n\n')}

      const kernels${t(': Array<[(tf: Tfjs, backendName: string) => NncKernelConfig, string[]]>')} = [${list}];
      for (const [make, uses] of kernels) {
        const config = make(tf, backendName);
        if (tf.getKernel(config.kernelName, backendName) === undefined && uses.every((name) => tf.getKernel(name, backendName) !== undefined)) {
          tf.registerKernel(config);
        }
      }
    }`,
  ];
}

/** The first statement of `compileModel`: registering the embedded kernels, when there are any. */
export function emitKernelRegistration(model: IRModel): string {
  return embedded(model).length > 0 ? 'registerMissingKernels();' : '';
}
