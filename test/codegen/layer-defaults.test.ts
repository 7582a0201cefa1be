import { beforeAll, describe, expect, test } from 'vitest';
import { emitBuildHelpers } from '../../src/codegen/tfjs/build-helpers.js';
import { layerEmitContext, type ModuleEmitState } from '../../src/codegen/tfjs/emit-context.js';
import { withoutDefaults } from '../../src/codegen/tfjs/layer-defaults.js';
import { stringLiteral } from '../../src/codegen/tfjs/literals.js';
import { UniqueNames } from '../../src/codegen/tfjs/names.js';
import { check } from '../../src/compile.js';
import type { IRModel, TensorType } from '../../src/ir/ir.js';
import { registry } from '../../src/registry/registry.js';
import { cpu, tf } from './support/load.js';

/**
 * Entries equal to tfjs's defaults are dropped from the layers the ops emit. Dropping one must
 * change nothing: the layer built from the op's full expression and the one built without the
 * defaults have the same config and, seed for seed, the same weights.
 */

beforeAll(cpu);

/** Every op with defaults to drop, with and without them. */
const source = `
model Defaults {
  input image: [8, 8, 3]
  input v: [4]
  a = image -> conv2d(4, 3) -> batch_norm -> max_pool2d(2)
  b = a -> conv2d(4, 3, strides=2, padding=same, activation=relu, bias=false) -> avg_pool2d(2, strides=1) -> layer_norm -> flatten
  h = v -> dense(3) -> dense(3, tanh, bias=false)
  output y = concat(b, h) -> dense(2, bias_init=ones)
}`;

function model(): IRModel {
  const checked = check(source);
  expect(checked.diagnostics.map((d) => d.message)).toEqual([]);
  return checked.ir!.models[0]!;
}

/** Each layer's emitted expressions, as the ops write them, with its first input types. */
function emittedLayers(ir: IRModel): Array<{ id: string; op: string; exprs: string[]; inputs: TensorType[] }> {
  const state: ModuleEmitState = { tfjsNames: new UniqueNames(), runtimes: new Set(), usesSeed: false, helpers: new Set() };
  const types = new Map(ir.nodes.map((n) => [n.id, n.type]));
  let firstWeight = 0;
  return ir.layers.map((layer) => {
    const node = ir.nodes.find((n) => n.kind === 'apply' && n.layer === layer.id);
    const inputs = node?.kind === 'apply' ? node.inputs.map((id) => types.get(id)!) : [];
    const ctx = layerEmitContext(layer, { name: layer.id, inputs, firstWeight }, state);
    firstWeight += layer.weights.length;
    return { id: layer.id, op: layer.op, exprs: registry.op(layer.op)!.emitTfjs(layer, ctx), inputs };
  });
}

/** Builds a layer expression in `buildModel`'s scope (seed 5) on inputs of these types; its config and weights. */
function build(expr: string, inputs: readonly TensorType[]): { config: unknown; weights: number[][] } {
  const scope = ['const seed = 5;', 'const seedAt = (k) => seed + k;', ...emitBuildHelpers(new Set(['normal', 'uniform']), false)];
  const layer = new Function('tf', `${scope.join('\n')}\nreturn ${expr};`)(tf) as tf.layers.Layer;
  const symbolic = inputs.map((t) => tf.input({ shape: t.shape as number[], dtype: t.dtype }));
  layer.apply(symbolic.length === 1 ? symbolic[0]! : symbolic);
  return { config: layer.getConfig(), weights: layer.getWeights().map((w) => Array.from(w.dataSync())) };
}

describe('dropping tfjs defaults', () => {
  test('builds the same layers, with the same config and weights', () => {
    let dropped = 0;
    for (const { exprs, inputs } of emittedLayers(model())) {
      // Only the first expression of an op takes the op's inputs; none here emits more.
      expect(exprs).toHaveLength(1);
      const short = withoutDefaults(exprs[0]!);
      dropped += exprs[0]!.split(': ').length - short.split(': ').length;
      expect(build(short, inputs)).toEqual(build(exprs[0]!, inputs));
    }
    expect(dropped).toBeGreaterThanOrEqual(15);
  });

  test('keeps what differs from the defaults', () => {
    const byId = new Map(emittedLayers(model()).map((l) => [l.id, withoutDefaults(l.exprs[0]!)]));
    const layer = (id: string) => byId.get(id);
    expect(layer('a/conv2d_1')).toMatch(/^tf\.layers\.conv2d\(\{ filters: 4, kernelSize: \[3, 3\], kernelInitializer: normal\([^)]*\), name: 'a\/conv2d_1' \}\)$/);
    expect(layer('b/conv2d_1')).toMatch(/strides: \[2, 2\], padding: 'same', useBias: false, .*activation: 'relu'/);
    expect(layer('a/batch_norm_1')).toBe("tf.layers.batchNormalization({ name: 'a/batch_norm_1' })");
    expect(layer('a')).toBe("tf.layers.maxPooling2d({ poolSize: [2, 2], name: 'a' })");
    expect(layer('b/avg_pool2d_1')).toBe("tf.layers.averagePooling2d({ poolSize: [2, 2], strides: [1, 1], name: 'b/avg_pool2d_1' })");
    expect(layer('h')).toMatch(/useBias: false, kernelInitializer: normal\([^)]*\), activation: 'tanh'/);
    expect(layer('y')).toMatch(/biasInitializer: tf\.initializers\.ones\(\)/);
    expect(layer('y/concat_1')).toBe("tf.layers.concatenate({ name: 'y/concat_1' })");
  });
});

describe('what withoutDefaults leaves alone', () => {
  test('string literals are skipped whole, whatever they hold', () => {
    for (const name of ['a, useBias: true, b', "x', activation: 'linear", 'q"}, {', 'back\\slash"', '`${x}`']) {
      const expr = `tf.layers.dense({ units: 1, useBias: true, name: ${stringLiteral(name)} })`;
      expect(withoutDefaults(expr)).toBe(`tf.layers.dense({ units: 1, name: ${stringLiteral(name)} })`);
    }
  });

  test('expressions it cannot read are returned as they are', () => {
    for (const expr of [
      'new Subtract({ name: "x" })',
      'tf.layers.flatten({ name: "x" })',
      'tf.layers.dense({ ...config, useBias: true })',
      'tf.layers.dense({ units: 1, useBias: true, name: "a" }).apply(x)',
      'tf.layers.dense({ units: 1, useBias: true, name: `a, ${"b"}` })',
      'tf.layers.dense({ units: 1, useBias: true, name: "unclosed })',
      'tf.layers.dense({ units: [1, useBias: true })',
    ]) {
      expect(withoutDefaults(expr)).toBe(expr);
    }
  });

  test('a value equal to a default of another layer or key stays', () => {
    expect(withoutDefaults('tf.layers.dense({ units: 1, padding: "valid", axis: -1 })')).toBe('tf.layers.dense({ units: 1, padding: "valid", axis: -1 })');
    expect(withoutDefaults('tf.layers.concatenate({ axis: 1, name: "c" })')).toBe('tf.layers.concatenate({ axis: 1, name: "c" })');
    expect(withoutDefaults('tf.layers.dense({ units: 1, biasInitializer: tf.initializers.constant({ value: 0 }) })')).toBe(
      'tf.layers.dense({ units: 1, biasInitializer: tf.initializers.constant({ value: 0 }) })',
    );
  });
});
