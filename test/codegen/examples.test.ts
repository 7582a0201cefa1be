import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { check, compile } from '../../src/compile.js';
import { tfjsName } from '../../src/codegen/tfjs/names.js';
import { expectMatchesIR } from './support/expect-ir.js';
import type { IRModel } from '../../src/ir/ir.js';
import { registry } from '../../src/registry/registry.js';
import { cpu, importCode, tf } from './support/load.js';
import { typecheck } from './support/typecheck.js';

/** Every example compiles, through the whole pipeline, to a module that builds its IR's model and trains. */

beforeAll(cpu);

const dir = join(import.meta.dirname, '../../examples');
const examples = readdirSync(dir).filter((f) => f.endsWith('.nn')).sort();

async function compileAll(file: string, format: 'ts' | 'js') {
  const source = readFileSync(join(dir, file), 'utf8');
  // A file may declare several models; each is compiled on its own.
  const names = check(source, { filename: file }).ir?.models.map((m) => m.name) ?? [];
  expect(names.length).toBeGreaterThan(0);
  return Promise.all(
    names.map(async (model) => {
      const result = await compile(source, { filename: file, model, format });
      expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`)).toEqual([]);
      const ir = result.ir!.models.find((m) => m.name === model)!;
      return { model, ir, code: result.code! };
    }),
  );
}

/** Two samples of zeros for every input and target (class ids for sparse losses); unknown sizes become 3. */
function zeroData(ir: IRModel) {
  const batch = (shape: Array<number | null>) => [2, ...shape.map((d) => d ?? 3)];
  const inputs = Object.fromEntries(ir.inputs.map((p) => [p.name, tf.zeros(batch(p.type.shape), p.type.dtype)]));
  const outputs = Object.fromEntries(
    ir.outputs.map((p) => {
      const sparse = registry.loss(ir.train!.losses[p.name]!.name)!.sparse;
      return [p.name, tf.zeros(batch(sparse ? p.type.shape.slice(0, -1) : p.type.shape))];
    }),
  );
  return { inputs, outputs };
}

describe('examples', () => {
  for (const file of examples) {
    test(`${file} builds its IR's model and trains a step`, async () => {
      for (const { ir, code } of await compileAll(file, 'js')) {
        const generated = await importCode(code);
        const model = generated.buildModel();
        expectMatchesIR(model, ir);
        expect(model.outputNames).toEqual(ir.outputs.map((o) => tfjsName(o.name)));
        if (!ir.train) continue;
        const history = await generated.train(model, zeroData(ir), { epochs: 1, batchSize: 2, verbose: 0 });
        expect(Number.isFinite(history.history.loss![0] as number)).toBe(true);
      }
    });
  }

  test('their TypeScript type-checks under --strict', async () => {
    const modules: Record<string, string> = {};
    for (const file of examples) {
      for (const { model, code } of await compileAll(file, 'ts')) modules[`${file.replace(/\.nn$/, '')}-${model}`] = code;
    }
    expect(typecheck('tsc-examples', modules).diagnostics).toEqual([]);
  });
});
