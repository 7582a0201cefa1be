import { describe, expect, test } from 'vitest';
import { factoryDeclaration, localFactoryCall } from '../../src/codegen/tfjs/layer-factories.js';
import { generateTfjs } from '../../src/codegen/tfjs/generate.js';
import { inspectCode } from './support/inspect-code.js';
import { sharedEncoder } from './support/cases.js';

/** `tf.layers.x(...)` is called as `x(...)` under one destructuring of `tf.layers`. */

describe('local factory calls', () => {
  test('a layer factory is called by its name and recorded', () => {
    const used = new Set<string>();
    expect(localFactoryCall('tf.layers.dense({ units: 1, name: "tf.layers.add(" })', used)).toBe('dense({ units: 1, name: "tf.layers.add(" })');
    expect(localFactoryCall('tf.layers.add({ name: "a" })', used)).toBe('add({ name: "a" })');
    expect([...used]).toEqual(['dense', 'add']);
    expect(factoryDeclaration(used)).toEqual(['const { add, dense } = tf.layers;']);
    expect(factoryDeclaration(new Set())).toEqual([]);
  });

  test('other expressions, and factories named like buildModel\'s own names, stay as they are', () => {
    const used = new Set<string>();
    for (const expr of ['new Subtract({ name: "s" })', 'tf.layers.connect(x)', 'tf.layers.normal({})', 'tf.layers.seedAt(1)', 'tf.input({ shape: [2] })', 'x(tf.layers.dense({}))']) {
      expect(localFactoryCall(expr, used)).toBe(expr);
    }
    expect(used.size).toBe(0);
  });

  test('generated modules declare exactly the factories they call', async () => {
    for (const format of ['ts', 'js'] as const) {
      const code = await generateTfjs(sharedEncoder(), { format, filename: 'shared.nn' });
      expect(code).toContain('const { activation, concatenate, dense, leakyReLU } = tf.layers;');
      expect(code).not.toMatch(/tf\.layers\.[a-z]/);
      expect(inspectCode(code).syntaxErrors).toEqual([]);
    }
  });
});
