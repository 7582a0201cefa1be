import { opModules } from '../ops/index.js';
import { activationDefs } from '../ops/activations/index.js';
import { initializerDefs } from './initializers.js';
import { lossDefs, metricDefs, optimizerDefs } from './training.js';
import type { OpDef } from './op.js';
import type { ActivationDef, InitializerDef, LossDef, MetricDef, OptimizerDef } from './tables.js';

function byName<T extends { name: string; aliases?: readonly string[] }>(defs: readonly T[]): ReadonlyMap<string, T> {
  const map = new Map<string, T>();
  for (const def of defs) {
    for (const key of [def.name, ...(def.aliases ?? [])]) {
      if (map.has(key)) throw new Error(`internal: \`${key}\` is registered twice`);
      map.set(key, def);
    }
  }
  return map;
}

const ops = byName(opModules.flatMap((m) => (Array.isArray(m.default) ? m.default : [m.default])) as OpDef[]);
const activations = byName(activationDefs);
const initializers = byName(initializerDefs);
const losses = byName(lossDefs);
const optimizers = byName(optimizerDefs);
const metrics = byName(metricDefs);

/** Read-only lookups over everything the language knows by name. Built once at load; never mutated. */
export const registry = {
  op: (name: string): OpDef | undefined => ops.get(name),
  opNames: (): string[] => [...ops.keys()],
  allOps: (): OpDef[] => [...new Set(ops.values())],
  activation: (name: string): ActivationDef | undefined => activations.get(name),
  activationNames: (): string[] => [...activations.keys()],
  initializer: (name: string): InitializerDef | undefined => initializers.get(name),
  initializerNames: (): string[] => [...initializers.keys()],
  allInitializers: (): InitializerDef[] => [...new Set(initializers.values())],
  loss: (name: string): LossDef | undefined => losses.get(name),
  lossNames: (): string[] => [...losses.keys()],
  allLosses: (): LossDef[] => [...new Set(losses.values())],
  optimizer: (name: string): OptimizerDef | undefined => optimizers.get(name),
  optimizerNames: (): string[] => [...optimizers.keys()],
  allOptimizers: (): OptimizerDef[] => [...new Set(optimizers.values())],
  metric: (name: string): MetricDef | undefined => metrics.get(name),
  metricNames: (): string[] => [...metrics.keys()],
  allMetrics: (): MetricDef[] => [...new Set(metrics.values())],
};
