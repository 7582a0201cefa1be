import * as tf from '@tensorflow/tfjs';
import { loadGeneratedModule } from '../../src/cli/load-generated.js';
import { compile } from '../../src/compile.js';
import type { IRModel } from '../../src/ir/ir.js';
import type { Dataset } from '../../src/train/data/dataset.js';
import { encodeTable } from '../../src/train/data/encode.js';
import { dataPorts } from '../../src/train/data/ports.js';
import { parseCsv } from '../../src/train/data/csv.js';

/** tfjs on the cpu backend: deterministic and always there. */
export async function cpu(): Promise<typeof tf> {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
}

/** Checks and compiles one model; `build(seed)` returns a fresh model compiled by the generated code. */
export async function compiled(source: string): Promise<{ ir: IRModel; build(seed: number): tf.LayersModel }> {
  const result = await compile(source, { format: 'js', filename: 'test.nn' });
  if (!result.code) throw new Error(result.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  const ir = result.ir!.models.find((m) => m.name === result.model)!;
  const generated = await loadGeneratedModule(result.code);
  return { ir, build: (seed) => generated.compileModel(generated.buildModel({ seed })) };
}

/** The tensors of a CSV text for a model, as `nnc train` reads them. */
export function csvData(ir: IRModel, text: string): Dataset {
  return encodeTable(parseCsv(text, 'data.csv'), dataPorts(ir), { setting: ir.train!.columns, option: {} }).dataset;
}

/** A small seeded stream of numbers for generated data. */
export function numbers(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export { tf };
