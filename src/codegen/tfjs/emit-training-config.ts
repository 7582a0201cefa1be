import type { IRModel } from '../../ir/ir.js';
import { logNames, ownMetrics } from '../../train/log-names.js';
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
    metrics: ${metricsLiteral(model, ts)},
    logs: [${logNames(model.outputs.map((o) => o.name), train).map(stringLiteral).join(', ')}],
    epochs: ${numberLiteral(train.epochs)},
    batchSize: ${numberLiteral(train.batchSize)},
    validationSplit: ${numberLiteral(train.validationSplit)},
    shuffle: ${train.shuffle},
    seed: ${train.seed === null ? 'null' : numberLiteral(train.seed)},
  };`;
}

/** The metrics by output name, built with fromEntries: output names reach the module only as strings. */
function metricsLiteral(model: IRModel, ts: boolean): string {
  const entries = model.outputs.map((o) => `[${stringLiteral(o.name)}, [${ownMetrics(model.train!.metrics, o.name).map(stringLiteral).join(', ')}]]`);
  return `Object.fromEntries${ts ? '<string[]>' : ''}([${entries.join(', ')}])${ts ? " as TrainingConfig['metrics']" : ''}`;
}
