import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runProcess, writeCaseFolders } from '../../../src/cli/python.js';
import { generateTorch } from '../../../src/codegen/torch/generate.js';
import { MODEL_GLOBALS } from '../../../src/codegen/torch/names.js';
import type { PyDefinition } from '../../../src/registry/op.js';
import { registry } from '../../../src/registry/registry.js';
import { expectFixture } from '../../support/fixtures.js';
import { DEBIAN_PYTHON, hasSystemDependency } from '../../support/system-deps.js';
import { OP_CASES } from '../../reference/ops/cases.js';
import { irLayer, infer } from '../../ops/contexts.js';
import { goldenCases, unsafeNames } from '../support/cases.js';
import { exampleModels } from './support.js';

const fixtures = join(import.meta.dirname, 'fixtures');

describe('generated PyTorch code matches the approved fixtures', () => {
  for (const [name, { model, filename }] of Object.entries(goldenCases)) {
    test(name, () => {
      const folder = join(fixtures, name);
      mkdirSync(folder, { recursive: true });
      const files = generateTorch(model(), { filename });
      expectFixture(folder, 'model.py', files['model.py']);
      // train.py is mostly the same for every model: one fixture shows it whole.
      if (name === 'mlp') expectFixture(folder, 'train.py', files['train.py']!);
    });
  }
});

test('the same IR gives the same bytes, and generating leaves the IR as it was', () => {
  for (const { model, filename } of Object.values(goldenCases)) {
    const ir = model();
    const before = JSON.stringify(ir);
    expect(generateTorch(ir, { filename })).toEqual(generateTorch(model(), { filename }));
    expect(JSON.stringify(ir)).toBe(before);
  }
});

test('every op of the catalogue has a PyTorch lowering, and forward\'s helpers cannot be shadowed by a local', () => {
  expect(registry.allOps().filter((op) => !op.torch).map((op) => op.name)).toEqual([]);
  const used = new Set<string>();
  const collect = (d: PyDefinition) => {
    used.add(d.name);
    d.requires?.forEach(collect);
  };
  for (const c of OP_CASES) {
    const { attrs, weights } = infer(c.op, c.inputs, c.given ?? {});
    const layer = irLayer(c.op, attrs, weights);
    const lowering = registry.op(c.op)!.torch!;
    const ctx = { module: 'self.m', inputs: c.inputs, number: String, activation: (_s: unknown, x: string) => x, use: (d: PyDefinition) => (collect(d), d.name) };
    lowering.module?.(layer, ctx);
    lowering.forward(layer, c.inputs.map((_, i) => `x${i}`), ctx);
  }
  expect([...used].filter((name) => !MODEL_GLOBALS.has(name))).toEqual([]);
});

describe.skipIf(!hasSystemDependency('python3-torch'))('generated PyTorch code is valid Python importing only torch', () => {
  // Names that could close a docstring or a string, or hide in an escape.
  const nasty = ['M"""', 'a\\', 'b"', 'lambda', 'F', 'self', 'x\u202ey'];

  test('every example, fixture and model of unsafe names parses, and keeps its names', async () => {
    const generated = [
      ...exampleModels().map(({ model, filename }) => generateTorch(model, { filename })),
      ...Object.values(goldenCases).map(({ model, filename }) => generateTorch(model(), { filename })),
      generateTorch(unsafeNames(nasty), { filename: 'q"""\\.nn' }),
    ];
    for (const files of generated) {
      const imports = (text: string) => [...text.matchAll(/^(?:import|from) (\S+)/gm)].map((m) => m[1]!.split('.')[0]!);
      expect(new Set(imports(files['model.py']))).toEqual(new Set(['torch']));
      const stdlib = ['argparse', 'contextlib', 'copy', 'decimal', 'json', 'math', 'os', 're', 'shutil', 'signal', 'sys', 'time', 'warnings', 'torch', 'model'];
      if (files['train.py']) expect(imports(files['train.py']).filter((m) => !stdlib.includes(m))).toEqual([]);
    }
    const { folders, dispose } = await writeCaseFolders(generated as unknown as Record<string, string>[]);
    try {
      const paths = folders.flatMap((f, i) => Object.keys(generated[i]!).map((name) => join(f, name)));
      const script = [
        'import ast, json, sys',
        'for path in sys.argv[1:]:',
        '    ast.parse(open(path, encoding="utf-8").read(), path)',
        'sys.path.insert(0, sys.argv[-1].rsplit("/", 1)[0])',
        'import model',
        'cls = [v for v in vars(model).values() if isinstance(v, type) and issubclass(v, model.nn.Module) and v.__module__ == "model"][-1]',
        'print(json.dumps([cls.input_names, cls.output_names, cls.__doc__]))',
      ].join('\n');
      const run = await runProcess(DEBIAN_PYTHON, ['-c', script, ...paths], '', 60_000);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const [inputs, outputs, doc] = JSON.parse(run.stdout) as [string[], string[], string];
      expect([inputs, outputs]).toEqual([[nasty[1], nasty[2]], [nasty[5], nasty[0], nasty[6]]]);
      expect(doc).toContain('M"""');
    } finally {
      await dispose();
    }
  });
});
