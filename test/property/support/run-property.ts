import fc from 'fast-check';
import { check, selectModel } from '../../../src/compile.js';
import { diagnosticTable } from '../../../src/diagnostics/codes.js';
import type { IRModel } from '../../../src/ir/ir.js';
import type { GeneratedModel } from '../arbitraries/models.js';

/**
 * Running model properties: how many runs (NNC_PROPERTY_RUNS overrides every property's
 * default), which cases (a fixed seed per property, so that the suite is deterministic;
 * NNC_PROPERTY_SEED=random draws new ones, NNC_PROPERTY_SEED=n with NNC_PROPERTY_PATH replays
 * a failure as printed), and failure messages that end with the shrunk model as `.nn` source,
 * ready to save for `nnc check` or `nnc gradcheck`.
 */

export function propertyRuns(defaultRuns: number): number {
  const runs = Number(process.env.NNC_PROPERTY_RUNS);
  return Number.isInteger(runs) && runs > 0 ? runs : defaultRuns;
}

/** A vitest timeout for `runs` cases of about `msPerRun` each, with room for shrinking a failure. */
export function timeoutFor(runs: number, msPerRun: number): number {
  return 60_000 + 3 * runs * msPerRun;
}

/** FNV-1a of the property's name: each property its own fixed cases. */
function fixedSeed(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h | 0;
}

function seedParameters(name: string): { seed?: number; path?: string } {
  const setting = process.env.NNC_PROPERTY_SEED;
  if (setting === 'random') return {};
  const seed = Number(setting);
  if (setting === undefined || setting === '' || !Number.isInteger(seed)) return { seed: fixedSeed(name) };
  return process.env.NNC_PROPERTY_PATH ? { seed, path: process.env.NNC_PROPERTY_PATH } : { seed };
}

/** Whatever the case is beyond its model (a seed...), in words for the failure message. */
export type Describe<T> = (value: T) => string;

/**
 * Checks `body` on `runs` random cases; on failure throws an error giving the reason, how to
 * replay it, and the shrunk case's model source.
 */
export async function assertProperty<T extends { model: GeneratedModel }>(
  arbitrary: fc.Arbitrary<T>,
  body: (value: T) => void | Promise<void>,
  options: { name: string; runs: number; describe?: Describe<T> },
): Promise<void> {
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (value) => {
      await body(value);
    }),
    { numRuns: options.runs, ...seedParameters(options.name) },
  );
  if (!details.failed) return;
  const [value] = details.counterexample ?? [];
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  const lines = [
    `property \`${options.name}\` failed after ${details.numRuns} run(s), shrunk ${details.numShrinks} time(s)`,
    `replay (this test file alone): NNC_PROPERTY_SEED=${details.seed} NNC_PROPERTY_PATH=${details.counterexamplePath ?? ''}`,
    '',
    error,
  ];
  if (value) {
    if (options.describe) lines.push('', options.describe(value));
    lines.push('', '--- the model (save as model.nn) ---', value.model.source.trimEnd(), '--- end of model ---');
  }
  throw new Error(lines.join('\n'));
}

/**
 * Warnings a valid random model may still get: the signal analysis judges initial scales, and
 * random depths and initializers legitimately trip it; W4008 flags avg_pool2d(padding=same)
 * windows over the padding, where tfjs's gradient is wrong (the float64 properties still use them). Any other diagnostic (an error, an unused
 * input, a loss that does not fit) means the arbitrary built something it did not mean to.
 */
const TOLERATED: ReadonlySet<string> = new Set(
  (['vanishingSignal', 'explodingSignal', 'vanishingGradient', 'explodingGradient', 'backendGradient'] as const).map((key) => diagnosticTable[key].code),
);

/** The IR of a generated model, which must check with no diagnostic beyond the tolerated warnings. */
export function checkedModel(source: string): IRModel {
  const result = check(source, { filename: 'model.nn' });
  const unexpected = result.diagnostics.filter((d) => d.severity === 'error' || !TOLERATED.has(d.code));
  if (unexpected.length > 0) {
    const listed = unexpected.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.code} ${d.severity}: ${d.message}`);
    throw new Error(`the arbitrary produced a model with diagnostics:\n${listed.join('\n')}`);
  }
  const model = selectModel(result.ir);
  if (!model) throw new Error('the arbitrary produced a file without exactly one model');
  return model;
}
