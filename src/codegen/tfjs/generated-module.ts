import type * as TF from '@tensorflow/tfjs';

/** An input or output as the generated module describes it: shapes start with the batch (null). */
export interface GeneratedTensorSpec {
  name: string;
  shape: Array<number | null>;
  dtype: 'float32' | 'int32';
}

/**
 * What every module nnc generates exports (see emit-module.ts): the contract that the CLI, the
 * tfjs cross-check, the training command and the tests rely on when they import one.
 */
export interface GeneratedModule {
  modelName: string;
  inputs: GeneratedTensorSpec[];
  outputs: GeneratedTensorSpec[];
  trainingConfig: null | {
    losses: Array<{ output: string; loss: string; weight: number }>;
    optimizer: { name: string; params: Record<string, number> };
    metrics: string[];
    epochs: number;
    batchSize: number;
    validationSplit: number;
    shuffle: boolean;
    seed: number | null;
  };
  buildModel(options?: { seed?: number }): TF.LayersModel;
  compileModel(model: TF.LayersModel): TF.LayersModel;
  train(
    model: TF.LayersModel,
    data: { inputs: Record<string, TF.Tensor>; outputs: Record<string, TF.Tensor> },
    options?: {
      epochs?: number;
      batchSize?: number;
      callbacks?: TF.ModelFitArgs['callbacks'];
      verbose?: TF.ModelFitArgs['verbose'];
      validationData?: { inputs: Record<string, TF.Tensor>; outputs: Record<string, TF.Tensor> };
    },
  ): Promise<TF.History>;
}
