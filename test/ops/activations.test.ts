import { beforeAll, describe, expect, test } from 'vitest';
import { activationDefs } from '../../src/ops/activations/index.js';
import { registry } from '../../src/registry/registry.js';
import { emitContext, f32, i32, infer, irLayer } from './contexts.js';
import { applyEmitted, cpu, evaluate, tf } from './tfjs.js';

// Abramowitz & Stegun 7.1.26: |error| < 1.5e-7, far inside the float32 tolerance used here.
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return Math.sign(x) * y;
}
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const SELU_LAMBDA = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;

const reference: Record<string, (x: number, p: Record<string, number>) => number> = {
  linear: (x) => x,
  relu: (x) => Math.max(x, 0),
  tanh: Math.tanh,
  sigmoid,
  selu: (x) => SELU_LAMBDA * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1)),
  softplus: (x) => Math.log1p(Math.exp(x)),
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  swish: (x) => x * sigmoid(x),
  elu: (x, p) => (x > 0 ? x : (p.alpha ?? 1) * (Math.exp(x) - 1)),
  leaky_relu: (x, p) => (x > 0 ? x : (p.alpha ?? 0.3) * x),
};

const xs = [-3, -1.5, -0.5, -0.01, 0, 0.01, 0.7, 2, 4];

function expected(name: string, params: Record<string, number>): number[][] {
  if (name !== 'softmax') return [xs.map((x) => reference[name]!(x, params))];
  const exps = xs.map(Math.exp);
  const total = exps.reduce((a, b) => a + b, 0);
  return [exps.map((e) => e / total)];
}

const cases: Array<[string, Record<string, number>]> = [
  ...activationDefs.map((d): [string, Record<string, number>] => [d.name, {}]),
  ['elu', { alpha: 0.5 }],
  ['elu', { alpha: 2.5 }],
  ['leaky_relu', { alpha: 0.2 }],
  ['leaky_relu', { alpha: 1.5 }],
  ['softmax', { axis: 0 }],
];

beforeAll(async () => {
  await cpu();
});

describe('activation ops', () => {
  test('every activation is also an op of category activation', () => {
    for (const def of activationDefs) {
      expect(registry.op(def.name)?.category).toBe('activation');
      expect(registry.op(def.name)?.params).toBe(def.params);
    }
  });

  test('keep the shape and report integer inputs', () => {
    expect(infer('relu', [f32(3, null, 5)]).type).toEqual(f32(3, null, 5));
    const { type, reports } = infer('tanh', [i32(20)]);
    expect(type).toBeUndefined();
    expect(reports).toEqual([
      expect.objectContaining({ code: 'E4006', message: '`tanh` expects float32 input, found int32', help: expect.stringContaining('embedding(vocab, dim)') }),
    ]);
  });

  test('softmax only normalises over the last axis', () => {
    expect(infer('softmax', [f32(4, 5)], { axis: 1 }).type).toEqual(f32(4, 5));
    expect(infer('softmax', [f32(4, 5)], { axis: -1 }).type).toEqual(f32(4, 5));
    const { reports } = infer('softmax', [f32(4, 5)], { axis: 0 });
    expect(reports.map((r) => r.message)).toEqual([
      'argument `axis` of `softmax`: TensorFlow.js normalises over the last axis only; for shape [4, 5] that is `-1` or `1`',
    ]);
    expect(infer('softmax', [f32()]).reports[0]?.message).toContain('there is no axis to normalise over');
  });

  test('the activation of an activation op is itself, with its parameters', () => {
    const a = infer('leaky_relu', [f32(3)], { alpha: 0.2 }).attrs;
    expect(registry.op('leaky_relu')!.activation!(a)).toEqual({ name: 'leaky_relu', params: { alpha: 0.2 } });
  });
});

describe('activation table', () => {
  test('auto initializers follow the activation family', () => {
    const auto = Object.fromEntries(activationDefs.map((d) => [d.name, d.autoInit]));
    expect(auto).toEqual({
      linear: 'xavier', relu: 'he', tanh: 'xavier', sigmoid: 'xavier', selu: 'lecun', softplus: 'xavier',
      gelu: 'he', swish: 'he', softmax: 'xavier', elu: 'he', leaky_relu: 'he',
    });
  });

  test('tfjs names exist only for the exact parameters tfjs implements', () => {
    const name = (n: string, params: Record<string, number> = {}) => registry.activation(n)!.tfjsName({ name: n, params });
    expect(name('softmax')).toBe('softmax');
    expect(name('softmax', { axis: -1 })).toBe('softmax');
    expect(name('softmax', { axis: 1 })).toBeUndefined();
    expect(name('elu', { alpha: 1 })).toBe('elu');
    expect(name('elu', { alpha: 0.5 })).toBeUndefined();
    expect(name('gelu')).toBe('gelu');
    expect(name('leaky_relu', { alpha: 0.3 })).toBeUndefined();
    expect(registry.activation('leaky_relu')!.params[0]!.default).toBe(0.3);
  });

  test.each(cases)('%s %j: the tfjs name and the tfjs layer compute the float64 reference', (name, params) => {
    const def = registry.activation(name)!;
    const spec = { name, params };
    const input = tf.tensor2d([xs]);
    const want = expected(name, params);
    const known = def.tfjsName(spec);
    if (known !== undefined) {
      const layer = tf.layers.activation({ activation: known as never });
      expect(close(layer.apply(input) as tf.Tensor, want)).toBe(true);
    }
    const layer = evaluate<tf.layers.Layer>(def.tfjsLayer(spec, JSON.stringify(`act_${name}`)));
    expect(close(layer.apply(input) as tf.Tensor, want)).toBe(true);
  });

  test.each(cases)('%s %j: the op lowers to layers computing the reference inside a model', (name, params) => {
    const { attrs, type } = infer(name, [f32(xs.length)], params);
    expect(type).toBeDefined();
    const layers = registry.op(name)!.emitTfjs(irLayer(name, attrs, []), emitContext(`${name}_op`, [f32(xs.length)]));
    const { model } = applyEmitted(layers, [[xs.length]]);
    expect(close(model.predict(tf.tensor2d([xs])) as tf.Tensor, expected(name, params))).toBe(true);
    expect(model.layers[model.layers.length - 1]!.name).toBe(`${name}_op`);
  });
});

function close(actual: tf.Tensor, want: number[][]): boolean {
  const got = actual.arraySync() as number[][];
  return got.every((row, i) => row.every((v, j) => Math.abs(v - want[i]![j]!) <= 1e-5 * Math.max(1, Math.abs(want[i]![j]!))));
}
