import type { IRWeight } from '../../src/ir/ir.js';

/** A kernel-like weight for initializer tests; fans default to the first and last dimension. */
export const weight = (shape: number[], fanIn = shape[0]!, fanOut = shape[shape.length - 1]!): IRWeight => ({
  name: 'kernel',
  shape,
  init: { name: 'x', params: {} },
  fanIn,
  fanOut,
  trainable: true,
});
