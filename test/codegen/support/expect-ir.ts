import { expect } from 'vitest';
import type { IRModel } from '../../../src/ir/ir.js';
import type { tf } from './load.js';

/** Compares a built model with its IR: shapes, dtypes, parameter count, output names, metadata. */
export function expectMatchesIR(model: tf.LayersModel, ir: IRModel): void {
  expect(model.inputs.map((t) => t.shape)).toEqual(ir.inputs.map((p) => [null, ...p.type.shape]));
  expect(model.inputs.map((t) => t.dtype)).toEqual(ir.inputs.map((p) => p.type.dtype));
  expect(model.outputs.map((t) => t.shape)).toEqual(ir.outputs.map((p) => [null, ...p.type.shape]));
  expect(model.countParams()).toBe(ir.layers.reduce((sum, l) => sum + l.paramCount, 0));
}
