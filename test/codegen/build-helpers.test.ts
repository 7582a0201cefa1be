import { beforeAll, describe, expect, test } from 'vitest';
import { emitBuildHelpers, initializerCall, type BuildHelper } from '../../src/codegen/tfjs/build-helpers.js';
import type { InitSpec } from '../../src/ir/ir.js';
import { initializerDefs } from '../../src/registry/initializers.js';
import { cpu, tf } from './support/load.js';
import { weight } from '../support/weights.js';

/**
 * `buildModel` spells initializers as short helper calls. A helper call must draw exactly what the
 * initializer table's own expression draws, value for value and seed for seed: the table's tests
 * then vouch for the variance of both, and a seed gives the weights it gave before.
 */

beforeAll(cpu);

/** Draws an initializer expression in `buildModel`'s scope: `seedAt` from `seed`, and the helpers used. */
function draw(expression: string, helpers: ReadonlySet<BuildHelper>, seed: number | undefined, shape: number[]): number[] {
  const scope = ['const seedAt = (k) => (seed === undefined ? undefined : seed + k);', ...emitBuildHelpers(helpers, false)];
  const init = new Function('tf', 'seed', `${scope.join('\n')}\nreturn ${expression};`)(tf, seed) as { apply(shape: number[], dtype?: tf.DataType): tf.Tensor };
  return Array.from(init.apply(shape, 'float32').dataSync());
}


const weights = [weight([6, 6], 6, 6), weight([3, 3, 4, 5], 36, 45)];
const specs: InitSpec[] = [
  ...initializerDefs.map((def) => ({ name: def.name, params: {} })),
  { name: 'normal', params: { mean: 0, std: 0.5 } },
  { name: 'normal', params: { mean: 3, std: 0.5 } },
  { name: 'normal', params: { mean: 0.5, std: 0 } },
  { name: 'uniform', params: { min: -2, max: 2 } },
  { name: 'uniform', params: { min: 0, max: 1 } },
  { name: 'uniform', params: { min: -2, max: 0 } },
  { name: 'constant', params: { value: 0.25 } },
  { name: 'identity', params: { gain: 1.5 } },
  { name: 'orthogonal', params: { gain: 2 } },
];

describe('initializer helper calls draw what the initializer table emits', () => {
  for (const spec of specs) {
    test(JSON.stringify(spec), () => {
      const def = initializerDefs.find((d) => d.name === spec.name)!;
      for (const w of weights) {
        if (def.fits?.(spec, w) !== undefined || (spec.name === 'constant' && spec.params.value === undefined)) continue;
        const full = def.emitTfjs(spec, w, 'seedAt(3)');
        const used = new Set<BuildHelper>();
        const short = initializerCall(full, (helper) => used.add(helper));
        expect(draw(short, used, 42, w.shape)).toEqual(draw(full, new Set(), 42, w.shape));
        expect(draw(short, used, 43, w.shape)).toEqual(draw(full, new Set(), 43, w.shape));
      }
    });
  }

  test('every scaled scheme and every zero-mean normal or symmetric uniform becomes a helper call', () => {
    const w = weights[1]!;
    const short = (spec: InitSpec) => initializerCall(initializerDefs.find((d) => d.name === spec.name)!.emitTfjs(spec, w, 'seedAt(7)'), () => {});
    for (const name of ['lecun', 'he', 'xavier', 'normal']) expect(short({ name, params: {} })).toMatch(/^normal\([0-9.e-]+, 7\)$/);
    for (const name of ['lecun_uniform', 'he_uniform', 'xavier_uniform', 'uniform']) expect(short({ name, params: {} })).toMatch(/^uniform\([0-9.e-]+, 7\)$/);
    expect(short({ name: 'he', params: {} })).toBe(`normal(${Math.sqrt(2 / 36)}, 7)`);
    // What the helpers cannot say stays the table's expression.
    expect(short({ name: 'normal', params: { mean: 3, std: 0.5 } })).toMatch(/^tf\.initializers\.randomNormal\(/);
    expect(short({ name: 'uniform', params: { min: 0, max: 1 } })).toMatch(/^tf\.initializers\.randomUniform\(/);
    expect(short({ name: 'orthogonal', params: {} })).toMatch(/^tf\.initializers\.orthogonal\(/);
  });

  test('unseeded, a helper draws afresh each time, as the table expression does', () => {
    const full = initializerDefs.find((d) => d.name === 'he')!.emitTfjs({ name: 'he', params: {} }, weights[0]!, 'seedAt(0)');
    const used = new Set<BuildHelper>();
    const short = initializerCall(full, (helper) => used.add(helper));
    expect(draw(short, used, undefined, [6, 6])).not.toEqual(draw(short, used, undefined, [6, 6]));
  });

  test('only the helpers used are declared', () => {
    expect(emitBuildHelpers(new Set(), true)).toEqual([]);
    const lines = emitBuildHelpers(new Set<BuildHelper>(['uniform']), false).join('\n');
    expect(lines).toContain('const uniform = ');
    expect(lines).not.toContain('const normal = ');
  });
});
