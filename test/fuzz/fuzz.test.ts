import { beforeAll, describe, expect, test } from 'vitest';
import { cpu } from '../codegen/support/load.js';
import { runCampaign, type Failure } from './campaign.js';
import type { GeneratorName } from './generators.js';

/**
 * The fuzz suite in `npm test`: a few thousand inputs from each generator, with a fixed seed so
 * that a failure reproduces (`npm run fuzz -- --n 100000` runs more, with any seed). Each input
 * must satisfy every property of oracle.ts; a share of those that check is compiled and parsed,
 * and a share of those built and run in TensorFlow.js.
 */
beforeAll(cpu);

const SEED = 20261204;
const RUNS: Record<GeneratorName, number> = { mutatedExample: 1000, tokenSoup: 1000, randomProgram: 600, validProgram: 500, adversarial: 300 };
/** Compiling costs a hundred times a check: one in this many inputs that check. */
const COMPILE_EVERY: Partial<Record<GeneratorName, number>> = { validProgram: 8 };

function describeFailures(failures: readonly Failure[]): string {
  return failures
    .slice(0, 5)
    .map((f) => `--- ${f.generator}\n${f.source.length > 2000 ? `${f.source.slice(0, 2000)}…` : f.source}\n>>> ${f.problems.join('\n>>> ')}`)
    .join('\n');
}

describe('fuzz', () => {
  for (const [generator, runs] of Object.entries(RUNS) as Array<[GeneratorName, number]>) {
    test(`${runs} inputs from ${generator}`, { timeout: 300_000 }, async () => {
      const result = await runCampaign({ runs: { [generator]: runs }, seed: SEED, compileEvery: COMPILE_EVERY[generator] ?? 4, buildEvery: 3 });
      expect(result.inputs).toBe(runs);
      expect(result.failures, describeFailures(result.failures)).toEqual([]);
      // The generators must reach the code they are for: grammar-aware programs compile and build.
      if (generator === 'validProgram') {
        expect(result.checkedOk).toBeGreaterThan(runs * 0.8);
        expect(result.built).toBeGreaterThan(10);
      }
    });
  }
});
