import type * as TF from '@tensorflow/tfjs';
import { modelLayers } from '../../codegen/tfjs/model-layers.js';
import type { IRModel } from '../../ir/ir.js';
import { logEntries } from '../log-names.js';

type LossOrMetric = (yTrue: TF.Tensor, yPred: TF.Tensor) => TF.Tensor;

/** What one training step needs from a model compiled by the generated `compileModel`. */
export interface CompiledParts {
  optimizer: TF.Optimizer;
  /** One per output, weighted as `compileModel` weights them (the generated code is the one definition of the loss). */
  losses: LossOrMetric[];
  /** Each output's loss weight, to report unweighted per-output losses. */
  weights: number[];
  /** Every (metric, output) pair, in history order, with its log name (`score_mae`, or `mae` for one output). */
  metrics: Array<{ name: string; output: number; fn: LossOrMetric }>;
  variables: TF.Variable[];
  /** The tf.Variable name of each trainable weight mapped to its layer weight name (`hidden/dense_1/kernel`). */
  weightNames: Map<string, string>;
  /** Dropout layers, whose masks are seeded per step so that a seed repeats a run. */
  dropouts: TF.layers.Layer[];
}

/**
 * Reads the loss functions, metrics and optimizer off a compiled tfjs model. tfjs lists a metric
 * per output loss first when there are several outputs, then each output's metrics in the order
 * `compileModel` gave them, which is the order of `logEntries`.
 */
export function compiledParts(model: TF.LayersModel, ir: IRModel): CompiledParts {
  if (!ir.train) throw new Error(`internal: model ${ir.name} has no train block`);
  const train = ir.train;
  const withLosses = model.metricsTensors.slice(ir.outputs.length > 1 ? ir.outputs.length : 0);
  const entries = logEntries(ir.outputs.map((o) => o.name), train).flatMap((e) => (e.kind === 'metric' ? [e] : []));
  if (withLosses.length !== entries.length || model.lossFunctions.length !== ir.outputs.length) {
    throw new Error(`internal: the compiled model has ${model.lossFunctions.length} losses and ${withLosses.length} metrics, expected ${ir.outputs.length} and ${entries.length}`);
  }
  const metrics = withLosses.map(([fn, output], i) => {
    if (output !== entries[i]!.output) throw new Error(`internal: compiled metric ${i} belongs to output ${output}, expected ${entries[i]!.output}`);
    return { name: entries[i]!.name, output, fn: fn as LossOrMetric };
  });
  const trainable = model.trainableWeights;
  const variables = trainable.map((w) => w.read() as TF.Variable);
  return {
    optimizer: model.optimizer,
    losses: model.lossFunctions as LossOrMetric[],
    weights: ir.outputs.map((o) => train.losses[o.name]!.weight),
    metrics,
    variables,
    weightNames: new Map(variables.map((v, i) => [v.name, trainable[i]!.originalName])),
    dropouts: modelLayers(model).filter((layer) => layer.getClassName() === 'Dropout'),
  };
}
