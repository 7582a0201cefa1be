import fc from 'fast-check';
import { buildAndPredict } from './build.js';
import { generators, type GeneratorName } from './generators.js';
import { examine, TIME_BUDGET_MS } from './oracle.js';

/**
 * One fuzz run over the generators: each input is checked; a share of those that check is
 * compiled and parsed, and a smaller share built and run in TensorFlow.js. Used by
 * fuzz.test.ts (a few thousand inputs) and scripts/fuzz.ts (any number).
 */
export interface CampaignOptions {
  /** Inputs per generator. */
  runs: Partial<Record<GeneratorName, number>>;
  seed: number;
  /** Compile one in this many inputs that check (1: all). */
  compileEvery: number;
  /** Build in tfjs one in this many modules that compile. */
  buildEvery: number;
  /** Told every finished input, for progress. */
  onInput?: (done: number) => void;
}

export interface Failure {
  generator: GeneratorName;
  source: string;
  problems: string[];
}

export interface CampaignResult {
  inputs: number;
  checkedOk: number;
  compiled: number;
  built: number;
  failures: Failure[];
  slowest: { ms: number; generator: GeneratorName; source: string } | undefined;
}

export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const result: CampaignResult = { inputs: 0, checkedOk: 0, compiled: 0, built: 0, failures: [], slowest: undefined };
  let okSeen = 0;
  let compiledSeen = 0;
  for (const [name, runs] of Object.entries(options.runs) as Array<[GeneratorName, number]>) {
    // In chunks, so that a run of 100,000 never holds them all.
    for (let offset = 0; offset < runs; offset += 1000) {
      const sources = fc.sample(generators[name], { numRuns: Math.min(1000, runs - offset), seed: options.seed + offset });
      for (const source of sources) {
        const wantCompile = okSeen % options.compileEvery === 0;
        let examination = await examine(source, { compile: wantCompile });
        // Over the budget once may be the machine; over it twice is nnc.
        if (examination.problems.length > 0 && examination.problems.every((p) => p.includes(`budget ${TIME_BUDGET_MS} ms`))) {
          examination = await examine(source, { compile: wantCompile });
        }
        result.inputs++;
        const problems = [...examination.problems];
        if (examination.compiled) {
          result.compiled++;
          if (compiledSeen++ % options.buildEvery === 0) {
            result.built++;
            problems.push(...(await buildAndPredict(examination.compiled.code, examination.compiled.model)));
          }
        }
        if (examination.slowest > (result.slowest?.ms ?? -1)) result.slowest = { ms: examination.slowest, generator: name, source };
        if (examination.ok) {
          okSeen++;
          result.checkedOk++;
        }
        if (problems.length > 0) result.failures.push({ generator: name, source, problems });
        options.onInput?.(result.inputs);
      }
    }
  }
  return result;
}

