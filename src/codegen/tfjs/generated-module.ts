import type * as TF from '@tensorflow/tfjs';

/** An input or output as the generated module describes it: shapes start with the batch (null). */
export interface GeneratedTensorSpec {
  name: string;
  shape: Array<number | null>;
  dtype: 'float32' | 'int32';
}

/** Tensors by input or output name, each with the batch first. */
export type TensorsByName = Record<string, TF.Tensor>;

/** What `train` takes: every input and, as targets, every output by name (class ids for a sparse loss). */
export interface GeneratedTrainData {
  inputs: TensorsByName;
  outputs: TensorsByName;
}

/**
 * What every module nnc generates exports (see emit-module.ts): the contract that the CLI, the
 * tfjs cross-check, the training command, bundler plugins and the tests rely on when they import
 * one. The TypeScript module types `TensorsByName` per model, as its `Inputs` and `Outputs`
 * interfaces with one key per input and output.
 */
export interface GeneratedModule {
  modelName: string;
  inputs: GeneratedTensorSpec[];
  outputs: GeneratedTensorSpec[];
  trainingConfig: null | {
    losses: Array<{ output: string; loss: string; weight: number }>;
    optimizer: { name: string; params: Record<string, number> };
    /** By output name. */
    metrics: Record<string, string[]>;
    /** The names of the logs `train` reports (and `nnc train` writes); validation ones add `val_`. */
    logs: string[];
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
    data: GeneratedTrainData,
    options?: {
      epochs?: number;
      batchSize?: number;
      callbacks?: TF.ModelFitArgs['callbacks'];
      verbose?: TF.ModelFitArgs['verbose'];
      validationData?: GeneratedTrainData;
    },
  ): Promise<TF.History>;
  /** Inference mode; the caller owns the returned tensors. */
  predict(model: TF.LayersModel, inputsByName: TensorsByName): TensorsByName;
  /** A run folder of `nnc train`: a path (or `file:` URL) in Node, a URL in a browser. */
  loadModel(runDir: string | URL): Promise<TF.LayersModel>;
}
