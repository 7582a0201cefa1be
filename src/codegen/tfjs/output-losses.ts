import type { IRLoss, IRModel, IRTrain } from '../../ir/ir.js';
import type { LossDef } from '../../registry/tables.js';
import { registry } from '../../registry/registry.js';

/**
 * tfjs checks every target against its output's shape, except for its own (unexported, so
 * unweightable) sparse categorical cross-entropy. Targets of a sparse loss (class ids) are
 * therefore turned into one-hot rows by `train`, and the loss applied is the dense form, which
 * on one-hot rows is the same function.
 */
const DENSE_FORM: Readonly<Record<string, string>> = { sparse_categorical_crossentropy: 'categorical_crossentropy' };

export interface OutputLoss {
  /** The output's name in the source. */
  output: string;
  /** The loss as written, for `trainingConfig`. */
  loss: IRLoss;
  /** The loss applied: the written one, or its dense form for one-hot targets. */
  applied: LossDef;
  /** For a sparse loss: class ids become one-hot rows of `classes`; the output has `rank` dimensions with the batch. */
  oneHot?: { classes: number; rank: number };
}

export function outputLosses(model: IRModel, train: IRTrain): OutputLoss[] {
  return model.outputs.map((port) => {
    const loss = Object.prototype.hasOwnProperty.call(train.losses, port.name) ? train.losses[port.name] : undefined;
    if (!loss) throw new Error(`internal: output \`${port.name}\` has no loss`);
    const def = lossDef(loss.name);
    const classes = port.type.shape[port.type.shape.length - 1];
    // An unknown class count cannot be one-hot encoded: the targets then go to tfjs as they are.
    if (!def.sparse || typeof classes !== 'number') return { output: port.name, loss, applied: def };
    const dense = DENSE_FORM[def.name];
    if (dense === undefined) throw new Error(`internal: sparse loss \`${def.name}\` has no dense form`);
    return { output: port.name, loss, applied: lossDef(dense), oneHot: { classes, rank: port.type.shape.length + 1 } };
  });
}

function lossDef(name: string): LossDef {
  const def = registry.loss(name);
  if (!def) throw new Error(`internal: unknown loss \`${name}\``);
  return def;
}
