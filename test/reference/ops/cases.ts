import type { AttrValue, Attrs, IRWeight, TensorType } from '../../../src/ir/ir.js';
import { Random } from '../../../src/reference/random.js';
import type { Tensor64 } from '../../../src/reference/tensor.js';
import { f32, i32, infer } from '../../ops/contexts.js';
import { randomTensor } from './support.js';

/** One configuration of one op, shared by the gradient checks and the tfjs parity tests. */
export interface OpCase {
  op: string;
  /** Per-sample input types, as the checker sees them. */
  inputs: TensorType[];
  given?: Record<string, AttrValue>;
  batch?: number;
  /** Training mode (batch statistics); true unless said otherwise. */
  training?: boolean;
}

const act = (name: string, params: Record<string, number> = {}) => ({ name, params });

export const OP_CASES: OpCase[] = [
  { op: 'dense', inputs: [f32(5)], given: { units: 3, activation: 'relu' } },
  { op: 'dense', inputs: [f32(2, 4)], given: { units: 3, activation: 'tanh' } },
  { op: 'dense', inputs: [f32(4)], given: { units: 2, bias: false } },
  { op: 'dense', inputs: [f32(4)], given: { units: 4, activation: 'softmax' } },
  { op: 'dense', inputs: [f32(4)], given: { units: 3, activation: 'sigmoid' } },
  { op: 'dense', inputs: [f32(3)], given: { units: 3, activation: 'gelu' } },
  { op: 'dense', inputs: [f32(3)], given: { units: 3, activation: act('elu', { alpha: 0.5 }) } },
  { op: 'dense', inputs: [f32(3)], given: { units: 3, activation: act('leaky_relu', { alpha: 0.2 }) } },
  { op: 'linear', inputs: [f32(3, 4)] },
  { op: 'relu', inputs: [f32(3, 4)] },
  { op: 'tanh', inputs: [f32(3, 4)] },
  { op: 'sigmoid', inputs: [f32(3, 4)] },
  { op: 'selu', inputs: [f32(3, 4)] },
  { op: 'softplus', inputs: [f32(3, 4)] },
  { op: 'gelu', inputs: [f32(3, 4)] },
  { op: 'swish', inputs: [f32(3, 4)] },
  { op: 'softmax', inputs: [f32(3, 4)] },
  { op: 'elu', inputs: [f32(3, 4)] },
  { op: 'elu', inputs: [f32(3, 4)], given: { alpha: 0.5 } },
  { op: 'leaky_relu', inputs: [f32(3, 4)] },
  { op: 'leaky_relu', inputs: [f32(3, 4)], given: { alpha: 0.2 } },
  { op: 'conv2d', inputs: [f32(5, 6, 2)], given: { filters: 3, kernel: 3 } },
  { op: 'conv2d', inputs: [f32(5, 6, 2)], given: { filters: 2, kernel: [3, 2], strides: 2, padding: 'same', activation: 'relu' } },
  { op: 'conv2d', inputs: [f32(6, 5, 1)], given: { filters: 2, kernel: 4, padding: 'same', bias: false, activation: 'swish' } },
  { op: 'conv2d', inputs: [f32(4, 4, 3)], given: { filters: 3, kernel: 2, strides: [1, 2], activation: 'softmax' } },
  { op: 'max_pool2d', inputs: [f32(5, 5, 2)] },
  { op: 'max_pool2d', inputs: [f32(5, 6, 2)], given: { pool: 3, strides: 2, padding: 'same' } },
  { op: 'max_pool2d', inputs: [f32(4, 7, 1)], given: { pool: [2, 3], strides: [1, 2], padding: 'same' } },
  { op: 'avg_pool2d', inputs: [f32(5, 5, 2)] },
  { op: 'avg_pool2d', inputs: [f32(5, 6, 2)], given: { pool: 3, strides: 2, padding: 'same' } },
  { op: 'avg_pool2d', inputs: [f32(4, 7, 1)], given: { pool: [2, 3], strides: [1, 2], padding: 'same' } },
  { op: 'global_max_pool2d', inputs: [f32(3, 4, 2)] },
  { op: 'global_avg_pool2d', inputs: [f32(3, 4, 2)] },
  // Parity runs tfjs at inference, where dropout is the identity; dropout.test.ts covers training.
  { op: 'dropout', inputs: [f32(6)], given: { rate: 0.3 }, training: false },
  { op: 'flatten', inputs: [f32(2, 3, 2)] },
  { op: 'flatten', inputs: [f32(4)] },
  { op: 'reshape', inputs: [f32(12)], given: { shape: [3, -1] } },
  { op: 'reshape', inputs: [f32(2, 6)], given: { shape: [3, 2, 2] } },
  { op: 'batch_norm', inputs: [f32(4)], batch: 5 },
  { op: 'batch_norm', inputs: [f32(3, 3, 2)], given: { momentum: 0.9, epsilon: 0.01 } },
  { op: 'batch_norm', inputs: [f32(4)], batch: 3, training: false },
  { op: 'layer_norm', inputs: [f32(6)], batch: 3 },
  { op: 'layer_norm', inputs: [f32(3, 5)], given: { epsilon: 0.01 } },
  { op: 'embedding', inputs: [i32(6)], given: { vocab: 4, dim: 3 } },
  { op: 'embedding', inputs: [i32(2, 3)], given: { vocab: 5, dim: 2 } },
  { op: 'add', inputs: [f32(3, 2), f32(3, 2), f32(3, 2)] },
  { op: 'subtract', inputs: [f32(5), f32(5)] },
  { op: 'multiply', inputs: [f32(3, 2), f32(3, 2), f32(3, 2)] },
  { op: 'average', inputs: [f32(4), f32(4), f32(4)] },
  { op: 'maximum', inputs: [f32(3, 2), f32(3, 2), f32(3, 2)] },
  { op: 'minimum', inputs: [f32(6), f32(6)] },
  { op: 'concat', inputs: [f32(3), f32(2)] },
  { op: 'concat', inputs: [f32(2, 3), f32(4, 3)], given: { axis: 0 } },
  { op: 'concat', inputs: [f32(2, 3), f32(2, 1), f32(2, 2)], given: { axis: 1 } },
  { op: 'concat', inputs: [f32(2, 3), f32(1, 3)], given: { axis: -2 } },
];

export const caseName = (c: OpCase): string =>
  `${c.op} ${c.inputs.map((t) => `${t.dtype === 'int32' ? 'int32' : ''}[${t.shape.join(',')}]`).join(' ')} ${JSON.stringify(c.given ?? {})}${c.training === false ? ' (inference)' : ''}`;

export interface BuiltCase {
  attrs: Attrs;
  weightSpecs: IRWeight[];
  inputs: Tensor64[];
  weights: Tensor64[];
}

/**
 * Attributes and weights as the checker resolves them, with random values: normal inputs
 * and weights, ids in range, positive moving variances, and gammas around 1.
 */
export function buildCase(c: OpCase, seed = 1): BuiltCase {
  const { type, weights: weightSpecs, attrs, reports } = infer(c.op, c.inputs, c.given ?? {});
  if (!type) throw new Error(`${caseName(c)} does not check: ${reports.map((r) => r.message).join('; ')}`);
  const random = new Random(seed);
  const batch = c.batch ?? 2;
  const vocab = attrs.vocab as number;
  const inputs = c.inputs.map((t) =>
    t.dtype === 'int32'
      ? randomTensor([batch, ...(t.shape as number[])], random, (r) => Math.floor(r.uniform() * vocab))
      : randomTensor([batch, ...(t.shape as number[])], random),
  );
  const weights = weightSpecs.map((w) => {
    if (w.name === 'moving_variance') return randomTensor(w.shape, random, (r) => 0.5 + r.uniform());
    if (w.name === 'gamma') return randomTensor(w.shape, random, (r) => 1 + 0.3 * r.normal());
    return randomTensor(w.shape, random, (r) => 0.7 * r.normal());
  });
  return { attrs, weightSpecs, inputs, weights };
}
