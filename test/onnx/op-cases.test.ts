import { describe, expect, test } from 'vitest';
import { NO_SPAN } from '../../src/diagnostics/span.js';
import type { IRModel } from '../../src/ir/ir.js';
import { relativeDifference } from '../../src/reference/gradcheck.js';
import { registry } from '../../src/registry/registry.js';
import { op } from '../ops/contexts.js';
import { buildCase, caseName, OP_CASES, type OpCase } from '../reference/ops/cases.js';
import { recordingContext } from '../reference/ops/support.js';
import { exportModel, float32Weights, opTypes, runOnnx } from './support.js';

/**
 * Every op case of the reference tests (test/reference/ops/cases.ts) as a one-layer model:
 * exported at the oldest, the default and the newest opset (so that decompositions such as
 * layer_norm before opset 17 and gelu before opset 20 run too), run in onnxruntime, and
 * compared with the op's float64 forward pass at inference.
 */

const TOLERANCE = 1e-5;

function oneLayer(c: OpCase, built: ReturnType<typeof buildCase>): IRModel {
  const def = op(c.op);
  const type = def.inferType(c.inputs, built.attrs, { op: c.op, describe: () => '', inputSpan: () => NO_SPAN, report: () => undefined })!;
  const inputs = c.inputs.map((t, i) => ({ name: `x${i}`, node: `x${i}`, type: t, span: NO_SPAN }));
  return {
    name: 'Case',
    span: NO_SPAN,
    inputs,
    outputs: [{ name: 'y', node: 'y', type, span: NO_SPAN }],
    layers: [{ id: 'layer', op: c.op, attrs: built.attrs, weights: built.weightSpecs, paramCount: 0, span: NO_SPAN, scope: [] }],
    nodes: [
      ...inputs.map((p) => ({ kind: 'input' as const, id: p.node, type: p.type, span: NO_SPAN })),
      { kind: 'apply', id: 'y', layer: 'layer', inputs: inputs.map((p) => p.node), type, span: NO_SPAN },
    ],
    train: null,
  };
}

describe.each(OP_CASES.map((c) => [caseName(c), c] as const))('%s', (_name, c) => {
  const built = buildCase(c, 9);
  const model = oneLayer(c, built);
  const weights = float32Weights(new Map([['layer', built.weights]]));
  const inputs = built.inputs.map((t) => ({ shape: t.shape, data: Float64Array.from(t.data, Math.fround) }));
  const expected = op(c.op).reference.forward({ inputs, weights: weights.get('layer')!, attrs: built.attrs }, recordingContext({ training: false }));
  const batch = { inputs: new Map(inputs.map((t, i) => [`x${i}`, t])), targets: new Map() };

  test.each([13, 17, 21])('opset %i', async (opset) => {
    const outputs = await runOnnx(exportModel(model, opset, weights).bytes, model, batch);
    expect(relativeDifference(outputs.get('y')!, expected.data)).toBeLessThanOrEqual(TOLERANCE);
  });
});

test('every op and activation has an ONNX lowering with its docs', () => {
  for (const def of registry.allOps()) {
    expect(typeof def.onnx.lower, def.name).toBe('function');
    expect(def.onnx.doc.length, def.name).toBeGreaterThan(0);
  }
  for (const name of registry.activationNames()) expect(registry.activation(name)!.onnx.doc.length, name).toBeGreaterThan(0);
});

describe('opset variants', () => {
  const layerNorm = OP_CASES.find((c) => c.op === 'layer_norm')!;
  const gelu = OP_CASES.find((c) => c.op === 'gelu')!;
  const lowered = (c: OpCase, opset: number) => {
    const built = buildCase(c, 9);
    return opTypes(exportModel(oneLayer(c, built), opset, new Map([['layer', built.weights]])).proto);
  };

  test('layer_norm is LayerNormalization from opset 17 and its definition before', () => {
    expect(lowered(layerNorm, 17)).toEqual(['LayerNormalization']);
    expect(lowered(layerNorm, 16)).toEqual(['ReduceMean', 'Sub', 'Mul', 'ReduceMean', 'Add', 'Sqrt', 'Div', 'Mul', 'Add']);
  });

  test('gelu is Gelu from opset 20 and the erf form before', () => {
    expect(lowered(gelu, 20)).toEqual(['Gelu']);
    expect(lowered(gelu, 19)).toEqual(['Mul', 'Erf', 'Add', 'Mul', 'Mul']);
  });

  test('global pools take their axes as an attribute before opset 18 and as an input from it', () => {
    const pool = OP_CASES.find((c) => c.op === 'global_avg_pool2d')!;
    const built = buildCase(pool, 9);
    const at = (opset: number) => exportModel(oneLayer(pool, built), opset, new Map()).proto.graph!.node![0]!;
    expect(at(17).attribute!.find((a) => a.name === 'axes')!.ints).toEqual([1, 2]);
    expect(at(18).input).toHaveLength(2);
    expect(at(18).attribute!.some((a) => a.name === 'axes')).toBe(false);
  });
});
