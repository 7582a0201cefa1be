import type { IRModel } from '../../ir/ir.js';
import { numberLiteral, recordLiteral, stringLiteral } from './literals.js';
import { outputLosses } from './output-losses.js';

/** `trainingConfig`: the `train { }` block as plain data, or null without one. */
export function emitTrainingConfig(model: IRModel, ts: boolean): string {
  const declaration = `/** The \`train { }\` block as data (null when the model has none); \`train\` applies it. */
    export const trainingConfig${ts ? ': TrainingConfig | null' : ''} =`;
  const train = model.train;
  if (!train) return `${declaration} null;`;
  const losses = outputLosses(model, train).map(
    ({ loss }, i) => `{ output: ${stringLiteral(model.outputs[i]!.name)}, loss: ${stringLiteral(loss.name)}, weight: ${numberLiteral(loss.weight)} }`,
  );
  return `${declaration} {
    losses: [${losses.join(', ')}],
    optimizer: { name: ${stringLiteral(train.optimizer.name)}, params: ${recordLiteral(train.optimizer.params)} },
    metrics: [${train.metrics.map(stringLiteral).join(', ')}],
    epochs: ${numberLiteral(train.epochs)},
    batchSize: ${numberLiteral(train.batchSize)},
    validationSplit: ${numberLiteral(train.validationSplit)},
    shuffle: ${train.shuffle},
    seed: ${train.seed === null ? 'null' : numberLiteral(train.seed)},
  };`;
}
