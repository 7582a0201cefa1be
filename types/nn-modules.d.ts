// The types of `import ... from './model.nn'` for a project that does not generate declarations
// (`nnc types` or the bundler plugin write exact ones beside each file, `model.d.nn.ts`). Names
// are strings and tensors of any rank: a misspelt name compiles here, and fails only at run time.
// Use it with `/// <reference types="nnc/nn-modules" />` or `"types": ["nnc/nn-modules"]`.
declare module '*.nn' {
  import type * as tf from '@tensorflow/tfjs';

  /** A model input or output: its name in the .nn source, its shape (batch first, null where unknown) and dtype. */
  export interface TensorSpec {
    name: string;
    shape: (number | null)[];
    dtype: 'float32' | 'int32';
  }
  export type Inputs = Record<string, tf.Tensor>;
  export type Outputs = Record<string, tf.Tensor>;
  export interface TrainData {
    inputs: Inputs;
    outputs: Outputs;
  }
  export interface TrainOptions {
    epochs?: number;
    batchSize?: number;
    callbacks?: tf.ModelFitArgs['callbacks'];
    verbose?: tf.ModelFitArgs['verbose'];
    validationData?: TrainData;
    /** false: no early stopping, whatever the `train { }` block says. */
    earlyStopping?: boolean;
  }
  export const modelName: string;
  export const inputs: TensorSpec[];
  export const outputs: TensorSpec[];
  export const trainingConfig: null | {
    losses: { output: string; loss: string; weight: number }[];
    optimizer: { name: string; params: Record<string, number> };
    metrics: Record<string, string[]>;
    logs: string[];
    epochs: number;
    batchSize: number;
    validationSplit: number;
    shuffle: boolean;
    seed: number | null;
  };
  export function buildModel(options?: { seed?: number }): tf.LayersModel;
  export function compileModel(model: tf.LayersModel): tf.LayersModel;
  export function train(model: tf.LayersModel, data: TrainData, options?: TrainOptions): Promise<tf.History>;
  export function predict(model: tf.LayersModel, inputsByName: Inputs): Outputs;
  export function loadModel(runDir: string | URL): Promise<tf.LayersModel>;
}
