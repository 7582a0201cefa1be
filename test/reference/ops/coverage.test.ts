import { describe, expect, test } from 'vitest';
import { activationDefs } from '../../../src/ops/activations/index.js';
import { registry } from '../../../src/registry/registry.js';
import { OP_CASES } from './cases.js';

/**
 * Fails when something registered has no float64 semantics, or no test case exercising them:
 * adding an op or activation means adding its reference and a case in cases.ts (losses and
 * initializers check their own case tables in losses.test.ts and initializers.test.ts).
 */

describe('every registered name has a reference', () => {
  test.each(registry.allOps().map((d) => [d.name, d] as const))('op %s', (_name, def) => {
    expect(typeof def.reference?.forward).toBe('function');
    expect(typeof def.reference?.backward).toBe('function');
  });

  test.each(activationDefs.map((d) => [d.name, d] as const))('activation %s', (_name, def) => {
    expect(typeof def.reference?.forward).toBe('function');
    expect(typeof def.reference?.backward).toBe('function');
  });

  test.each(registry.allLosses().map((d) => [d.name, d] as const))('loss %s', (_name, def) => {
    expect(typeof def.reference?.perSample).toBe('function');
    expect(typeof def.reference?.gradient).toBe('function');
  });

  test.each(registry.allInitializers().map((d) => [d.name, d] as const))('initializer %s', (_name, def) => {
    expect(typeof def.sample).toBe('function');
  });
});

describe('every registered name is tested', () => {
  test('ops (gradient and tfjs parity cases)', () => {
    expect(new Set(OP_CASES.map((c) => c.op))).toEqual(new Set(registry.allOps().map((d) => d.name)));
  });

  test('activations (each is also an op, so its cases cover it)', () => {
    const cased = new Set(OP_CASES.map((c) => c.op));
    expect(activationDefs.filter((d) => !cased.has(d.name)).map((d) => d.name)).toEqual([]);
  });
});
