import type { IRModel } from '../ir/ir.js';
import type { CrossCheckReport } from '../reference/crosscheck-tfjs.js';
import type { Batch } from '../reference/random-batch.js';
import { findTorch, runTorchJob, writeCaseFolders } from './python.js';

/**
 * `nnc gradcheck --against torch`: the generated model.py and train.py run with the float64
 * engine's weights on the same batch, in float64 and in float32; one report each, graded as
 * `--against tfjs` grades (float64 to the tighter bands of its precision).
 */
export async function runTorchCrossCheck(
  model: IRModel,
  options: { seed: number; batch: number; data: Batch | undefined; python: string | undefined; env: Readonly<Record<string, string | undefined>> },
): Promise<{ float64: CrossCheckReport; float32: CrossCheckReport }> {
  const torch = await findTorch(options.python, options.env);
  const { generateTorch } = await import('../codegen/torch/generate.js');
  const { compareTorch, gradientCase } = await import('../reference/crosscheck-torch.js');
  const { ReferenceModel } = await import('../reference/engine.js');
  const { randomBatch } = await import('../reference/random-batch.js');
  const reference = new ReferenceModel(model, options.seed);
  const batch = options.data ?? randomBatch(model, options.batch, options.seed);
  const { folders, dispose } = await writeCaseFolders([generateTorch(model, { filename: `${model.name}.nn` }) as unknown as Record<string, string>]);
  try {
    type Result = import('../reference/crosscheck-torch.js').RunnerResult<import('../reference/crosscheck-torch.js').GradientResult>;
    const job = { cases: [{ ...gradientCase(model.name, model, reference, batch), folder: folders[0] }] };
    const { results, torch: version } = await runTorchJob<Result>(torch.python, job);
    const result = results[0]!;
    if (result.error) throw new Error(`internal: the generated PyTorch code failed: ${result.error}`);
    const backend = `torch ${version}, cpu`;
    return {
      float64: compareTorch(model, reference, batch, result.dtypes!.float64!, 'float64', backend),
      float32: compareTorch(model, reference, batch, result.dtypes!.float32!, 'float32', backend),
    };
  } finally {
    await dispose();
  }
}
