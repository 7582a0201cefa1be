import type { ActivationSpec, IRModel } from '../ir/ir.js';
import { registry } from '../registry/registry.js';

/**
 * The tfjs kernels that training a model runs, by what runs them: each op's forward and backward
 * pass (through the tfjs-layers layer it lowers to), each activation, loss, metric and optimizer,
 * and nnc's training loop. `nnc train --backend auto` checks a backend against this before it
 * trains on it, and the code generator takes from it the kernels a model may need registered.
 *
 * Derived from tfjs 4.22 by profiling, and kept true by test/tfjs-kernels/op-kernels.test.ts:
 * every kernel a training step of its models runs must be listed here, and every kernel listed
 * must be run by one of them. Under a gradient tape tfjs does not fuse activations, so a dense
 * or conv2d layer lists both its fused kernel and the plain ones.
 */
export interface PassKernels {
  forward: readonly string[];
  backward: readonly string[];
}

const pass = (forward: string[], backward: string[]): PassKernels => ({ forward, backward });
const merge = (op: string): PassKernels => pass([op], []);

export const opKernels: Readonly<Record<string, PassKernels>> = {
  dense: pass(['_FusedMatMul', 'BatchMatMul', 'Add', 'Reshape', 'Transpose'], ['BatchMatMul', 'Sum', 'Reshape']),
  conv2d: pass(['FusedConv2D', 'Conv2D', 'Add'], ['Conv2DBackpropInput', 'Conv2DBackpropFilter', 'Sum', 'Reshape']),
  max_pool2d: pass(['MaxPool'], ['MaxPoolGrad']),
  avg_pool2d: pass(['AvgPool', 'Cast'], ['AvgPoolGrad']),
  global_max_pool2d: pass(['Max'], ['Equal', 'Cast', 'Reshape', 'Multiply']),
  global_avg_pool2d: pass(['Mean'], ['RealDiv', 'Reshape', 'Multiply']),
  batch_norm: pass(['FusedBatchNorm', 'Mean', 'Square', 'Sub', 'Multiply', 'Reshape', 'Cast'], ['Rsqrt', 'Tile', 'Neg', 'RealDiv', 'Add', 'Sum']),
  layer_norm: pass(['FusedBatchNorm', 'Mean', 'Square', 'Sub', 'Tile', 'Reshape', 'Cast'], ['Rsqrt', 'Slice', 'ZerosLike', 'Neg', 'RealDiv', 'Add', 'Sum', 'Multiply']),
  dropout: pass(['Add', 'Floor', 'Multiply', 'RealDiv'], ['Multiply']),
  flatten: pass(['Reshape'], ['Reshape']),
  reshape: pass(['Reshape'], ['Reshape']),
  embedding: pass(['GatherV2', 'Cast', 'Reshape'], ['UnsortedSegmentSum', 'Transpose', 'Reshape']),
  add: merge('Add'),
  subtract: pass(['Sub'], ['Neg']),
  multiply: merge('Multiply'),
  average: pass(['Add', 'Multiply'], []),
  maximum: pass(['Maximum'], ['GreaterEqual', 'Less', 'Cast', 'Multiply']),
  minimum: pass(['Minimum'], ['Greater', 'LessEqual', 'Cast', 'Multiply']),
  concat: pass(['Concat'], ['SplitV']),
};

/** Activations, whether an op of their own or the `activation=` of a dense or conv2d layer. */
export const activationKernels: Readonly<Record<string, PassKernels>> = {
  linear: pass(['Identity'], []),
  relu: pass(['Relu'], ['Step', 'Multiply']),
  tanh: pass(['Tanh'], ['Square', 'Sub', 'Multiply']),
  sigmoid: pass(['Sigmoid'], ['Sub', 'Multiply']),
  selu: pass(['Selu'], ['Exp', 'Greater', 'Select', 'Multiply']),
  softplus: pass(['Softplus'], ['Sigmoid', 'Multiply']),
  gelu: pass(['Erf', 'Multiply', 'Add', 'RealDiv'], ['Exp', 'Neg', 'Square']),
  swish: pass(['Sigmoid', 'Multiply'], ['Add', 'Sub']),
  softmax: pass(['Softmax'], ['Multiply', 'Sum', 'Sub']),
  // elu with alpha ≠ 1 is elu followed by leaky_relu (see src/ops/activations.ts).
  elu: pass(['Elu', 'LeakyRelu', 'Identity'], ['EluGrad', 'Greater', 'Select', 'Multiply']),
  leaky_relu: pass(['LeakyRelu'], ['Greater', 'Select', 'Multiply']),
};

/** Per loss: the loss and its gradient (the generated `train()` one-hot encodes sparse targets). */
export const lossKernels: Readonly<Record<string, readonly string[]>> = {
  mse: ['Sub', 'Mean', 'Multiply'],
  mae: ['Abs', 'Step'],
  huber: ['Abs', 'LessEqual', 'Minimum', 'Neg', 'Square', 'Step'],
  binary_crossentropy: ['Abs', 'ClipByValue', 'Exp', 'GreaterEqual', 'LessEqual', 'Log', 'Log1p', 'LogicalAnd', 'Neg', 'Relu', 'Select', 'Square', 'Step', 'ZerosLike'],
  categorical_crossentropy: ['ClipByValue', 'GreaterEqual', 'LessEqual', 'Log', 'LogicalAnd', 'Neg', 'Select', 'Square', 'ZerosLike'],
  sparse_categorical_crossentropy: ['ClipByValue', 'GreaterEqual', 'LessEqual', 'Log', 'LogicalAnd', 'Neg', 'Select', 'Square', 'ZerosLike', 'OneHot'],
};

export const metricKernels: Readonly<Record<string, readonly string[]>> = {
  mae: ['Abs'],
  mse: [],
  accuracy: ['ArgMax', 'Equal', 'Greater', 'OnesLike', 'Cast'],
  binary_accuracy: ['Greater', 'Equal', 'OnesLike', 'Cast'],
  categorical_accuracy: ['ArgMax', 'Equal', 'Cast'],
  sparse_categorical_accuracy: ['ArgMax', 'Equal', 'Cast', 'Reshape'],
};

export const optimizerKernels: Readonly<Record<string, readonly string[]>> = {
  sgd: ['ZerosLike'],
  adam: ['Sqrt', 'Square', 'ZerosLike'],
  rmsprop: ['Sqrt', 'Square', 'ZerosLike'],
  adagrad: ['Fill', 'Sqrt', 'Square'],
};

/** Keras's clipnorm: each gradient's L2 norm. */
export const clipnormKernels: readonly string[] = ['Abs', 'Maximum', 'Pow', 'Sqrt'];

/**
 * The training loops: nnc's (src/train/loop: the loss and metrics of a step read in one stack,
 * the gradient check, the divergence report, evaluation) and tfjs-layers' `fit` under the
 * generated `train()` (batches gathered and sliced), and the gradients' plumbing (casts,
 * reshapes, sums over broadcast axes).
 */
export const loopKernels: readonly string[] = ['Add', 'AddN', 'Cast', 'Identity', 'Mean', 'Multiply', 'Pack', 'RealDiv', 'Reshape', 'Sub', 'Sum', 'Any', 'IsNan', 'IsInf', 'GatherV2', 'Slice'];

/** Kernels training this model runs, each with what needs it (`the backward pass of conv2d`), in a stable order. */
export function modelKernels(model: IRModel): Map<string, string[]> {
  const needs = new Map<string, string[]>();
  const add = (kernels: readonly string[], by: string) => {
    for (const kernel of kernels) {
      const list = needs.get(kernel) ?? [];
      if (!list.includes(by)) list.push(by);
      needs.set(kernel, list);
    }
  };
  const passes = (kernels: PassKernels | undefined, what: string) => {
    if (!kernels) return;
    add(kernels.forward, `the forward pass of ${what}`);
    add(kernels.backward, `the backward pass of ${what}`);
  };
  add(loopKernels, "nnc's training loop");
  for (const layer of model.layers) {
    passes(opKernels[layer.op] ?? activationKernels[layer.op], `\`${layer.op}\``);
    const activation = layer.attrs.activation as ActivationSpec | undefined;
    if (activation && typeof activation === 'object') passes(activationKernels[activation.name], `\`${activation.name}\``);
  }
  const train = model.train;
  if (train) {
    for (const loss of Object.values(train.losses)) {
      const name = registry.loss(loss.name)?.name ?? loss.name;
      add(lossKernels[name] ?? [], `the loss \`${name}\``);
    }
    for (const metric of new Set(Object.values(train.metrics).flat())) {
      const name = registry.metric(metric)?.name ?? metric;
      add(metricKernels[name] ?? [], `the metric \`${name}\``);
    }
    add(optimizerKernels[train.optimizer.name] ?? [], `the optimizer \`${train.optimizer.name}\``);
    if ((train.optimizer.params.clipnorm ?? 0) > 0) add(clipnormKernels, '`clipnorm`');
  }
  return new Map([...needs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
