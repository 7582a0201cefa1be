import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runTorchJob, writeCaseFolders } from '../../../src/cli/python.js';
import { generateTorch } from '../../../src/codegen/torch/generate.js';
import { check } from '../../../src/compile.js';
import { withLoss } from '../../../src/gradcheck.js';
import type { IRModel } from '../../../src/ir/ir.js';
import { gradientCase, type GradientResult, type RunnerResult } from '../../../src/reference/crosscheck-torch.js';
import type { ReferenceModel } from '../../../src/reference/engine.js';
import type { Batch } from '../../../src/reference/random-batch.js';
import { DEBIAN_PYTHON } from '../../support/system-deps.js';

export const examplesDir = join(import.meta.dirname, '../../../examples');

/** Every model of every example, checked with mse where it has no train block, as gradcheck does. */
export function exampleModels(): Array<{ name: string; model: IRModel; filename: string }> {
  return readdirSync(examplesDir)
    .filter((f) => f.endsWith('.nn'))
    .sort()
    .flatMap((file) => check(readFileSync(join(examplesDir, file), 'utf8'), { filename: file }).ir!.models.map((m) => ({ name: `${file} ${m.name}`, model: withLoss(m), filename: file })));
}

export interface GradientEntry {
  name: string;
  model: IRModel;
  reference: ReferenceModel;
  batch: Batch;
  training?: boolean;
}

/**
 * Generates every entry's model.py and train.py and runs them all in one Python process (torch
 * is imported once): each entry's result by name.
 */
export async function runGradientEntries(entries: readonly GradientEntry[]): Promise<Map<string, RunnerResult<GradientResult>>> {
  const files = entries.map((e) => generateTorch(withLoss(e.model), { filename: 'model.nn' }) as unknown as Record<string, string>);
  const { folders, dispose } = await writeCaseFolders(files);
  try {
    const cases = entries.map((e, i) => ({ ...gradientCase(e.name, withLoss(e.model), e.reference, e.batch, { training: e.training ?? true }), folder: folders[i]! }));
    const { results } = await runTorchJob<RunnerResult<GradientResult>>(DEBIAN_PYTHON, { cases });
    return new Map(results.map((r) => [r.id, r]));
  } finally {
    await dispose();
  }
}
