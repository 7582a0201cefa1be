import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { check } from '../../src/compile.js';
import type { IRModel } from '../../src/ir/ir.js';
import { randomBatch } from '../../src/reference/random-batch.js';
import { registry } from '../../src/registry/registry.js';
import type { Dataset } from '../../src/train/data/dataset.js';
import { validModel } from '../property/arbitraries/models.js';

const root = join(import.meta.dirname, '../..');

/** One model to train: its source, the model's name in it, and its data when the example has some. */
export interface CorpusModel {
  label: string;
  source: string;
  model: IRModel;
  /** A CSV file in examples/data/ that fits it; otherwise data is synthesised. */
  csv?: string;
}

const EXAMPLE_DATA: Record<string, string> = { 'iris.nn': 'examples/data/iris.csv', 'housing.nn': 'examples/data/housing_synthetic.csv' };

function models(label: string, source: string, csv?: string): CorpusModel[] {
  const checked = check(source, { filename: label });
  if (!checked.ok) throw new Error(`${label} does not check: ${checked.diagnostics[0]?.message}`);
  return checked.ir!.models.filter((m) => m.train !== null).map((model) => ({ label: checked.ir!.models.length > 1 ? `${label} (${model.name})` : label, source, model, ...(csv ? { csv } : {}) }));
}

/** Every model with a train block in examples/*.nn. */
export function exampleModels(): CorpusModel[] {
  return readdirSync(join(root, 'examples'))
    .filter((f) => f.endsWith('.nn'))
    .sort()
    .flatMap((f) => models(`examples/${f}`, readFileSync(join(root, 'examples', f), 'utf8'), EXAMPLE_DATA[f]));
}

/**
 * A fixed sample of the property tests' random models (test/property/arbitraries): the whole op
 * catalogue, blocks, shared layers, several inputs and outputs, every loss. Models with an
 * unknown dimension are left out: a data file gives every input one size.
 */
export function randomModels(count: number, seed: number): CorpusModel[] {
  const known = (m: IRModel) => [...m.inputs, ...m.outputs].every((p) => p.type.shape.every((d) => d !== null));
  return fc
    .sample(validModel(), { numRuns: count * 4, seed })
    .flatMap((g, i) => models(`random model ${i + 1} (seed ${seed})`, g.source))
    .filter((c) => known(c.model))
    .slice(0, count);
}

/** Random samples for `fit`: inputs and targets as src/train/data prepares them (class ids one-hot). */
export function syntheticDataset(model: IRModel, size: number, seed: number): Dataset {
  const batch = randomBatch(model, size, seed);
  const perSample = (shape: number[]) => shape.slice(1);
  return {
    size,
    inputs: model.inputs.map((p) => {
      const t = batch.inputs.get(p.name)!;
      return { shape: perSample(t.shape), dtype: p.type.dtype, data: p.type.dtype === 'int32' ? Int32Array.from(t.data) : Float32Array.from(t.data) };
    }),
    targets: model.outputs.map((p) => {
      const t = batch.targets.get(p.name)!;
      if (!registry.loss(model.train!.losses[p.name]!.name)?.sparse) return { shape: perSample(t.shape), dtype: 'float32' as const, data: Float32Array.from(t.data) };
      const shape = p.type.shape as number[];
      const classes = shape[shape.length - 1]!;
      const oneHot = new Float32Array(t.data.length * classes);
      t.data.forEach((id, row) => (oneHot[row * classes + id] = 1));
      return { shape: [...shape], dtype: 'float32' as const, data: oneHot };
    }),
  };
}

/**
 * The same kind of samples as a CSV file that `nnc train` reads by its conventions: an input or
 * output of one value per sample in a column of its name, of several in NAME_0, NAME_1, ...;
 * class ids of a sparse loss as numbers.
 */
export function syntheticCsv(model: IRModel, size: number, seed: number): string {
  const batch = randomBatch(model, size, seed);
  const ports = [...model.inputs.map((p) => [p.name, batch.inputs.get(p.name)!] as const), ...model.outputs.map((p) => [p.name, batch.targets.get(p.name)!] as const)];
  const columns = ports.flatMap(([name, t]) => {
    const width = t.data.length / size;
    return width === 1 ? [name] : Array.from({ length: width }, (_, i) => `${name}_${i}`);
  });
  const rows = Array.from({ length: size }, (_, r) =>
    ports.flatMap(([, t]) => {
      const width = t.data.length / size;
      return Array.from(t.data.subarray(r * width, (r + 1) * width), (v) => (Number.isInteger(v) ? String(v) : v.toPrecision(6)));
    }),
  );
  return [columns.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n';
}
