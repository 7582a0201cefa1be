import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { withLoss } from '../../../src/gradcheck.js';
import { NO_SPAN } from '../../../src/diagnostics/span.js';
import type { IRModel } from '../../../src/ir/ir.js';
import { compareTorch, numberOf, type GradientResult, type RunnerResult } from '../../../src/reference/crosscheck-torch.js';
import { ReferenceModel } from '../../../src/reference/engine.js';
import { relativeDifference } from '../../../src/reference/gradcheck.js';
import { randomBatch, type Batch } from '../../../src/reference/random-batch.js';
import type { Tensor64 } from '../../../src/reference/tensor.js';
import { registry } from '../../../src/registry/registry.js';
import { check, selectModel } from '../../../src/compile.js';
import { infer, irLayer } from '../../ops/contexts.js';
import { validModel } from '../../property/arbitraries/models.js';
import { checkedModel, propertyRuns } from '../../property/support/run-property.js';
import { buildCase, caseName, OP_CASES, type OpCase } from '../../reference/ops/cases.js';
import { hasSystemDependency } from '../../support/system-deps.js';
import { exampleModels, runGradientEntries, type GradientEntry } from './support.js';

/**
 * The generated PyTorch module in float64 against nnc's float64 engine: the engine's weights
 * loaded with load_nnc_weights, the same batch, and the outputs, the loss train.py trains and
 * the gradient of every trainable weight compared to 1e-10 (normwise relative). Float32 runs too,
 * to the tolerance of the tfjs cross-check. All models run in one Python process.
 */

const BOUND64 = 1e-10;
const BOUND32 = 1e-4;

/** The models of test/reference/gradcheck.test.ts beyond the examples. */
const REFERENCE_TEST_MODELS = [
  'model K { input x: [3]  output y = x -> dense(2, relu, init=zeros) -> dense(1, init=ones) }',
  'model M { input x: [2] output y = x -> dense(3, tanh) }',
  'model V { input x: [400]  output y = x -> dense(300, relu) }',
];

/** One op case of the reference op tests as a model of that single layer, with its weights. */
function opCaseEntry(c: OpCase, index: number): GradientEntry {
  const built = buildCase(c, 7);
  const { type, weights, attrs } = infer(c.op, c.inputs, c.given ?? {});
  const layer = irLayer(c.op, attrs, weights, 'layer');
  const inputs = c.inputs.map((t, i) => ({ name: `x${i}`, node: `x${i}`, type: t, span: NO_SPAN }));
  const model: IRModel = withLoss({
    name: `Op${index}`,
    span: NO_SPAN,
    inputs,
    outputs: [{ name: 'y', node: 'y', type: type!, span: NO_SPAN }],
    layers: [layer],
    nodes: [...inputs.map((p) => ({ kind: 'input' as const, id: p.node, type: p.type, span: NO_SPAN })), { kind: 'apply', id: 'y', layer: 'layer', inputs: inputs.map((p) => p.node), type: type!, span: NO_SPAN }],
    train: null,
  });
  const reference = new ReferenceModel(model, index);
  reference.params.set('layer', built.weights);
  return { name: `op ${caseName(c)}`, model, reference, batch: randomBatch(model, c.batch ?? 3, index), training: c.training ?? true };
}

/** d loss / d input of the float64 engine, by input name: what the ops' backward passes give the inputs. */
function referenceInputGradients(model: IRModel, reference: ReferenceModel, batch: Batch, training: boolean): Map<string, Tensor64> {
  const options = { training, dropout: false };
  const forward = reference.forward(batch.inputs, options);
  const gradOutputs = new Map(
    model.outputs.map((output) => {
      const loss = model.train!.losses[output.name]!;
      const prediction = forward.outputs.get(output.name)!;
      const g = registry.loss(loss.name)!.reference.gradient(batch.targets.get(output.name)!, prediction);
      return [output.name, { shape: g.shape, data: g.data.map((v) => (v * loss.weight) / prediction.shape[0]!) }] as const;
    }),
  );
  const nodes = reference.backwardFrom(forward, gradOutputs, options).nodes;
  return new Map(model.inputs.map((input) => [input.name, nodes.get(input.node) ?? { shape: [], data: new Float64Array(batch.inputs.get(input.name)!.data.length) }]));
}

function entry(name: string, model: IRModel, seed: number): GradientEntry {
  return { name, model, reference: new ReferenceModel(model, seed), batch: randomBatch(model, 4, seed) };
}

const PROPERTY_SAMPLE = propertyRuns(30);

const entries: GradientEntry[] = [
  ...exampleModels().map(({ name, model }, i) => entry(`example ${name}`, model, i + 1)),
  ...REFERENCE_TEST_MODELS.map((source, i) => entry(`reference test ${source}`, withLoss(selectModel(check(source).ir)!), 20 + i)),
  ...OP_CASES.map(opCaseEntry),
  ...fc.sample(fc.record({ model: validModel({ avoidKnownTfjsIssues: false }), seed: fc.nat({ max: 9999 }) }), { seed: 14, numRuns: PROPERTY_SAMPLE }).map(({ model, seed }, i) =>
    entry(`property model ${i} (seed ${seed})\n${model.source}`, withLoss(checkedModel(model.source)), seed),
  ),
];

describe.skipIf(!hasSystemDependency('python3-torch'))('generated PyTorch code against the float64 engine', () => {
  let results: Map<string, RunnerResult<GradientResult>>;

  beforeAll(async () => {
    results = await runGradientEntries(entries);
  }, 300_000);

  test.each(entries.map((e) => [e.name.split('\n')[0]!, e] as const))('%s', (_name, e) => {
    const result = results.get(e.name)!;
    expect(result.error, e.name).toBeUndefined();
    const float64 = result.dtypes!.float64!;
    const report = compareTorch(e.model, e.reference, e.batch, float64, 'float64', 'torch', e.training ?? true);
    const trainable = e.model.layers.reduce((n, l) => n + l.weights.filter((w) => w.trainable).length, 0);
    expect(report.rows).toHaveLength(e.model.outputs.length + trainable);
    for (const row of report.rows) expect(row.difference, `${row.name} in float64\n${e.name}`).toBeLessThanOrEqual(BOUND64);
    expect(relativeDifference([float64.loss], [report.loss.reference]), `the loss in float64\n${e.name}`).toBeLessThanOrEqual(BOUND64);
    // The gradient reaching the inputs checks the backward pass of ops without weights too.
    const inputs = referenceInputGradients(e.model, e.reference, e.batch, e.training ?? true);
    e.model.inputs.forEach((input, i) => {
      if (input.type.dtype !== 'float32') return;
      const ours = inputs.get(input.name)!.data;
      const theirs = float64.inputGradients[i]?.map(numberOf) ?? new Array<number>(ours.length).fill(0);
      expect(relativeDifference(theirs, ours), `d loss / d ${input.name} in float64\n${e.name}`).toBeLessThanOrEqual(BOUND64);
    });
    const float32 = compareTorch(e.model, e.reference, e.batch, result.dtypes!.float32!, 'float32', 'torch', e.training ?? true);
    for (const row of float32.rows) expect(row.difference, `${row.name} in float32\n${e.name}`).toBeLessThanOrEqual(BOUND32);
    expect(float64.outputs.flat().every((v) => Number.isFinite(numberOf(v)))).toBe(true);
  });
});
