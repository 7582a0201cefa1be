import type { DType, IRModel, Shape } from '../../ir/ir.js';
import { registry } from '../../registry/registry.js';

/** How an output's target cells become the tensor its loss compares with the prediction. */
export type TargetKind =
  /** Numbers, one per output element. */
  | 'numbers'
  /** Class labels, one per row of the last axis, always turned into one-hot rows (sparse losses). */
  | 'labels'
  /** One-hot rows given as numbers, or class labels turned into them (categorical cross-entropy). */
  | 'labels-or-numbers'
  /** Numbers in [0, 1], or two labels mapped to 0 and 1 (binary cross-entropy). */
  | 'binary';

/** A model input or output as the data must provide it, per sample (no batch dimension). */
export interface DataPort {
  name: string;
  role: 'input' | 'output';
  shape: Shape;
  dtype: DType;
  /** Outputs only. */
  target?: TargetKind;
}

export function dataPorts(model: IRModel): DataPort[] {
  const inputs = model.inputs.map((p): DataPort => ({ name: p.name, role: 'input', shape: p.type.shape, dtype: p.type.dtype }));
  const outputs = model.outputs.map((p): DataPort => {
    const loss = model.train ? registry.loss(model.train.losses[p.name]?.name ?? '') : undefined;
    const target: TargetKind = loss?.sparse
      ? 'labels'
      : loss?.name === 'categorical_crossentropy'
        ? 'labels-or-numbers'
        : loss?.name === 'binary_crossentropy'
          ? 'binary'
          : 'numbers';
    return { name: p.name, role: 'output', shape: p.type.shape, dtype: 'float32', target };
  });
  return [...inputs, ...outputs];
}

/** `input \`features\`` or `output \`species\`` */
export const portLabel = (port: Pick<DataPort, 'role' | 'name'>): string => `${port.role} \`${port.name}\``;
