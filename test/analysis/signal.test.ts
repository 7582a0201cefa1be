import { describe, expect, test } from 'vitest';
import { MomentTables } from '../../src/analysis/moments.js';
import { analyzeSignal, type SignalRow } from '../../src/analysis/signal.js';
import { modelOf } from './support/stacks.js';

/** The prediction's rows by node id. */
function rowsOf(source: string): Map<string, SignalRow> {
  return new Map(analyzeSignal(modelOf(source)).rows.map((r) => [r.node, r]));
}

describe('analyzeSignal on simple stacks', () => {
  test('relu with xavier on square layers halves both moments at every layer', () => {
    // n·E[w²] = 64 · 2/(64 + 64) = 1, and relu keeps half of the second moment each way.
    const rows = rowsOf('model M {\n  input x: [64]\n  output y = x -> repeat(3, dense(64, relu, init=xavier))\n}\n');
    expect([...rows.values()].map((r) => r.forward)).toEqual([1, 0.5, 0.25, 0.125]);
    expect([...rows.values()].map((r) => r.depth)).toEqual([0, 1, 2, 3]);
    for (const id of ['y/dense_1', 'y/dense_2', 'y']) {
      expect(rows.get(id)!.layerGain).toBe(0.5);
      expect(rows.get(id)!.layerBackwardGain).toBe(0.5);
    }
    // Unit gradients at the output, halved by each layer on the way down.
    expect([...rows.values()].map((r) => r.backward)).toEqual([0.125, 0.25, 0.5, 1]);
  });

  test('relu with he keeps the scale', () => {
    const rows = rowsOf('model M {\n  input x: [64]\n  output y = x -> repeat(3, dense(64, relu, init=he))\n}\n');
    expect([...rows.values()].map((r) => r.forward)).toEqual([1, 1, 1, 1]);
    expect([...rows.values()].map((r) => r.backward)).toEqual([1, 1, 1, 1]);
  });

  test('identity(1.5) multiplies the variance by 2.25 per layer, forward and backward', () => {
    const rows = rowsOf('model M {\n  input x: [2]\n  output y = x -> repeat(4, dense(2, bias=false, init=identity(1.5)))\n}\n');
    const forward = [...rows.values()].map((r) => r.forward);
    const backward = [...rows.values()].map((r) => r.backward);
    forward.forEach((f, depth) => expect(f).toBeCloseTo(2.25 ** depth, 12));
    backward.forEach((b, depth) => expect(b).toBeCloseTo(2.25 ** (4 - depth), 12));
    expect(rows.get('y')!.layerGain).toBe(2.25);
    expect(rows.get('y')!.forwardGain).toBeCloseTo(2.25 ** 4, 12);
  });

  test('a residual add doubles the variance when the branch keeps it', () => {
    const rows = rowsOf(
      'block R(u) {\n  input x\n  h = x -> dense(u, relu, init=he) -> dense(u, init=lecun)\n  output y = add(x, h)\n}\n' +
        'model M {\n  input x: [64]\n  output y = x -> R(64) -> R(64)\n}\n',
    );
    expect(rows.get('y/r_1/h')!.forward).toBe(1);
    expect(rows.get('y/r_1/y')!.forward).toBe(2);
    expect(rows.get('y/r_1/y')!.layerGain).toBe(2);
    expect(rows.get('y/r_2/y')!.forward).toBe(4);
    // Backwards the add hands its gradient to both inputs, and the two paths into x add up.
    expect(rows.get('y/r_1/y')!.backward).toBe(2);
    expect(rows.get('x')!.backward).toBe(4);
  });

  test('layer_norm resets the scale, and divides the gradient by the input\'s scale', () => {
    const rows = rowsOf('model M {\n  input x: [64]\n  output y = x -> dense(64, bias=false, init=identity(3)) -> layer_norm -> dense(64, bias=false, init=identity(2))\n}\n');
    expect(rows.get('y/dense_1')!.forward).toBe(9);
    expect(rows.get('y/layer_norm_1')!.forward).toBe(1);
    expect(rows.get('y/layer_norm_1')!.layerGain).toBeCloseTo(1 / 9, 12);
    expect(rows.get('y')!.forward).toBe(4);
    expect(rows.get('y/layer_norm_1')!.backward).toBe(4);
    expect(rows.get('y/dense_1')!.backward).toBeCloseTo(4 / 9, 12);
  });
});

describe('moment tables shared between analyses', () => {
  // The language service keeps one MomentTables across documents and versions: an analysis must
  // not depend on what an earlier one left in them.
  const residualTanh = 'model R {\n  input x: [16]\n  h = x -> dense(16, relu)\n  g = h -> dense(16, tanh)\n  s = add(g, h) -> relu\n  output y = s -> dense(16, gelu) -> dense(16, sigmoid)\n}\n';
  const other = 'model O {\n  input x: [8]\n  a = x -> dense(8, relu)\n  output y = add(a -> dense(8, tanh), a) -> dense(4, elu) -> dense(2, sigmoid)\n}\n';
  test('give the very same rows as fresh ones, whatever was computed before', () => {
    const fresh = analyzeSignal(modelOf(residualTanh));
    const tables = new MomentTables();
    analyzeSignal(modelOf(other), tables);
    expect(analyzeSignal(modelOf(residualTanh), tables)).toEqual(fresh);
    expect(analyzeSignal(modelOf(residualTanh), tables)).toEqual(fresh);
  });

  test('are emptied once they outgrow their bound', () => {
    const tables = new MomentTables();
    analyzeSignal(modelOf(residualTanh), tables);
    const size = () => [...tables.moments.values(), ...tables.unitMeans.values()].reduce((n, t) => n + t.size, 0);
    expect(size()).toBeGreaterThan(0);
    tables.bound(size() + 1);
    expect(size()).toBeGreaterThan(0);
    tables.bound(size() - 1);
    expect(size()).toBe(0);
  });
});
