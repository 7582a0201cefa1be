import type { IRModel, IRPort } from '../../ir/ir.js';
import { outputLosses } from './output-losses.js';
import { stringLiteral } from './literals.js';

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property name as TypeScript writes it: bare when it is an identifier, else quoted. */
export function propertyKey(name: string): string {
  return PLAIN_KEY.test(name) ? name : stringLiteral(name);
}

const shapeText = (port: IRPort): string => `[batch, ${port.type.shape.map((d) => d ?? '?').join(', ')}]`;

/**
 * The TypeScript declarations of the module. `Inputs` and `Outputs` name every input and output
 * as a key, so a misspelt name in `train`, `predict` or their results fails to compile; the
 * `TrainingConfig` and `TrainOptions` describe what `train` applies and takes.
 */
export function emitTypes(model: IRModel): string[] {
  const sparse = new Set(model.train ? outputLosses(model, model.train).flatMap((l, i) => (l.loss.name === 'sparse_categorical_crossentropy' ? [model.outputs[i]!.name] : [])) : []);
  const members = (ports: readonly IRPort[], note: (port: IRPort) => string) =>
    // The name is the key; no comment repeats it (names reach the module only as strings and these keys).
    ports.map((port) => `/** ${shapeText(port)}, ${port.type.dtype}${note(port)} */\n${propertyKey(port.name)}: T;`).join('\n');
  return [
    `/** A model input or output: its name in the .nn source, its shape (batch first, null where unknown) and dtype. */
    export interface TensorSpec {
      name: string;
      shape: (number | null)[];
      dtype: 'float32' | 'int32';
    }`,
    `/** The model's inputs by name, each a tensor with the batch as its first dimension: what \`predict\` takes. */
    export interface Inputs<T = tf.Tensor> {
      ${members(model.inputs, () => '')}
    }`,
    `/** The model's outputs by name, each with the batch first: what \`predict\` returns, and the targets \`train\` takes. */
    export interface Outputs<T = tf.Tensor> {
      ${members(model.outputs, (port) => (sparse.has(port.name) ? '; `train` takes its targets as class ids, one fewer dimension' : ''))}
    }`,
    `/** What \`train\` fits: every input and, as targets, every output, by name. */
    export interface TrainData {
      inputs: Inputs;
      outputs: Outputs;
    }`,
    `/** The \`train { }\` block as data. */
    export interface TrainingConfig {
      /** One loss per output, weighted in the total loss. */
      losses: { output: keyof Outputs; loss: string; weight: number }[];
      optimizer: { name: string; params: Record<string, number> };
      /** The metrics of each output. */
      metrics: Record<keyof Outputs, string[]>;
      /**
       * The names of the logs \`train\` reports (validation ones add \`val_\`), the same as \`nnc train\`'s:
       * \`loss\` (the weighted total), each output's own unweighted \`NAME_loss\` and its metrics as
       * \`NAME_METRIC\` when there are several outputs, the metrics by name when there is one.
       */
      logs: string[];
      epochs: number;
      batchSize: number;
      validationSplit: number;
      shuffle: boolean;
      /** The default seed of \`buildModel\`. */
      seed: number | null;
    }`,
    `/** Settings of one \`train\` call that override the \`train { }\` block's, and what it adds. */
    export interface TrainOptions {
      epochs?: number;
      batchSize?: number;
      /** TensorFlow.js callbacks; their logs carry the names of \`trainingConfig.logs\`. */
      callbacks?: tf.ModelFitArgs['callbacks'];
      verbose?: tf.ModelFitArgs['verbose'];
      validationData?: TrainData;${model.train?.earlyStopping ? '\n      /** false: no early stopping, whatever the `train { }` block says. */\n      earlyStopping?: boolean;' : ''}
    }`,
  ];
}
