import type * as TF from '@tensorflow/tfjs';
import { outputLosses } from '../codegen/tfjs/output-losses.js';
import type { GeneratedModule } from '../codegen/tfjs/generated-module.js';
import { modelLayers } from '../codegen/tfjs/model-layers.js';
import { tfjsName } from '../codegen/tfjs/names.js';
import type { IRModel } from '../ir/ir.js';
import { ReferenceModel, type ForwardResult } from './engine.js';
import { relativeDifference } from './gradcheck.js';
import type { Batch } from './random-batch.js';
import type { Tensor64 } from './tensor.js';

export type Agreement = 'pass' | 'warn' | 'suspect' | 'fail';

/** float32 against float64, normwise: ≤ 1e-5 pass, ≤ 1e-4 warn, ≤ 1e-3 suspect, above that fail. */
export function agreement(difference: number): Agreement {
  if (!(difference <= 1e-3)) return 'fail';
  if (difference <= 1e-5) return 'pass';
  return difference <= 1e-4 ? 'warn' : 'suspect';
}

/** float32's unit roundoff. */
export const FLOAT32_ROUNDOFF = 2 ** -24;
/**
 * Rounding errors of float32 grow with the operations between the inputs and a result (the layers
 * forward and back, the sums over the batch): this many roundoffs of the magnitudes involved are
 * still rounding. On 250 random models of the property tests the largest error seen was 6.7 of
 * them (99.9% below 3.9), and the smallest true gradient 133.
 */
export const ROUNDING_GROWTH = 32;

export interface CrossCheckRow {
  /** `hidden/dense_1/kernel` for a gradient, `output price` for a forward value. */
  name: string;
  kind: 'gradient' | 'output';
  line: number;
  /** ‖tfjs − reference‖ / (‖tfjs‖ + ‖reference‖). */
  difference: number;
  /**
   * What float32 rounding may leave in this tensor, as a norm: a multiple of float32's roundoff
   * times the magnitudes that flow into it (for a weight gradient, the gradient reaching the layer
   * times its inputs; for an output, its values).
   */
  rounding: number;
  /** The true value and tfjs's are both below `rounding`: zero up to rounding, whatever `difference` says. */
  zero: boolean;
  /** From the difference left after `rounding` is taken off (the normwise difference itself when that is 0). */
  agreement: Agreement;
}

/**
 * The row's verdict: the part of ‖computed − reference‖ beyond what rounding explains, relative to
 * the two norms, graded by `grade` (float32's bands by default; the PyTorch check grades float64 too).
 */
export function compare(computed: ArrayLike<number>, expected: ArrayLike<number>, rounding: number, grade: (excess: number) => Agreement = agreement): Pick<CrossCheckRow, 'difference' | 'rounding' | 'zero' | 'agreement'> {
  const difference = relativeDifference(computed, expected);
  const [a, b, d] = [norm(computed), norm(expected), Math.sqrt(squaredDistance(computed, expected))];
  const zero = a <= rounding && b <= rounding;
  const excess = a + b === 0 ? 0 : Math.max(0, d - rounding) / (a + b);
  return { difference, rounding, zero, agreement: zero ? 'pass' : grade(excess) };
}

export interface CrossCheckReport {
  model: string;
  backend: string;
  /** The generated code compared: tfjs (the default) or PyTorch (crosscheck-torch.ts). */
  engine?: 'tfjs' | 'PyTorch';
  /** The precision it ran in: float32 (the default), or float64 for PyTorch. */
  precision?: 'float32' | 'float64';
  /** `tfjs` is the generated code's loss, whichever engine ran it. */
  loss: { reference: number; tfjs: number };
  rows: CrossCheckRow[];
  agreement: Agreement;
}

const ORDER: Agreement[] = ['pass', 'warn', 'suspect', 'fail'];

/**
 * Runs the generated tfjs model with the reference engine's weights on the same batch and
 * compares its float32 outputs and gradients (of the loss as the generated `compileModel`
 * defines it, loss weights included) with the float64 reference, tensor by tensor.
 */
export function crossCheckTfjs(tf: typeof TF, generated: Pick<GeneratedModule, 'buildModel' | 'compileModel'>, model: IRModel, reference: ReferenceModel, batch: Batch): CrossCheckReport {
  if (!model.train) throw new Error(`model \`${model.name}\` has no \`train { }\` block, so it has no loss to differentiate`);
  const tfModel = generated.compileModel(generated.buildModel({ seed: 0 }));
  // The reference checks a deterministic function: tfjs's dropout layers get rate 0 for the check.
  const tfLayers = modelLayers(tfModel);
  for (const layer of tfLayers) if (layer.getClassName() === 'Dropout') (layer as unknown as { rate: number }).rate = 0;
  // Weights travel by layer name, in the IR's order of layers and of each layer's weights.
  const byName = new Map(tfLayers.map((layer) => [layer.name, layer]));
  const trainable = model.layers.flatMap((layer) => {
    if (layer.weights.length === 0) return [];
    const target = byName.get(tfjsName(layer.id));
    if (!target) throw new Error(`internal: the generated model has no layer named \`${tfjsName(layer.id)}\``);
    target.setWeights(reference.params.get(layer.id)!.map((w) => tf.tensor(Array.from(w.data), w.shape, 'float32')));
    return [{ layer, variables: target.trainableWeights.map((w) => w.read() as TF.Variable) }];
  });
  const reference64 = reference.gradients(batch.inputs, batch.targets, { training: true, dropout: false });
  const forward64 = reference.forward(batch.inputs, { training: true, dropout: false });
  const losses = outputLosses(model, model.train);

  const rows: CrossCheckRow[] = [];
  const result = tf.tidy(() => {
    const xs = model.inputs.map((input) => toTf(tf, batch.inputs.get(input.name)!, input.type.dtype));
    const ys = model.outputs.map((output, i) => {
      const target = batch.targets.get(output.name)!;
      const oneHot = losses[i]!.oneHot;
      return oneHot ? tf.oneHot(tf.tensor(Array.from(target.data), [target.data.length], 'int32'), oneHot.classes).reshape([...target.shape.slice(0, -1), oneHot.classes]) : toTf(tf, target, 'float32');
    });
    const lossFunctions = (tfModel as unknown as { lossFunctions: Array<(y: TF.Tensor, p: TF.Tensor) => TF.Tensor> }).lossFunctions;
    const variables = trainable.flatMap((t) => t.variables);
    // Training mode, as the reference runs: batch_norm on batch statistics (dropout was zeroed above).
    const run = (): TF.Tensor[] => {
      const predictions = tfModel.apply(xs, { training: true }) as TF.Tensor | TF.Tensor[];
      return Array.isArray(predictions) ? predictions : [predictions];
    };
    const totalLoss = (): TF.Scalar => tf.addN(run().map((p, i) => tf.mean(lossFunctions[i]!(ys[i]!, p)))) as TF.Scalar;
    const { value, grads } = tf.variableGrads(totalLoss, variables);
    return {
      loss: value.dataSync()[0]!,
      grads: variables.map((v) => grads[v.name]!.dataSync()),
      outputs: run().map((p) => p.dataSync()),
    };
  });

  model.outputs.forEach((output, i) => {
    const expected = forward64.outputs.get(output.name)!.data;
    rows.push({ name: `output ${output.name}`, kind: 'output', line: output.span.start.line, ...compare(result.outputs[i]!, expected, ROUNDING_GROWTH * FLOAT32_ROUNDOFF * norm(expected)) });
  });
  const flows = gradientFlows(model, reference, forward64, batch);
  let k = 0;
  for (const layer of model.layers) {
    const grads = reference64.weights.get(layer.id)!;
    layer.weights.forEach((weight, i) => {
      if (!weight.trainable) return;
      const tfGrad = result.grads[k++]!;
      const rounding = ROUNDING_GROWTH * FLOAT32_ROUNDOFF * flows.get(layer.id)!;
      rows.push({ name: `${layer.id}/${weight.name}`, kind: 'gradient', line: layer.span.start.line, ...compare(tfGrad, grads[i]!.data, rounding) });
    });
  }
  const worst = rows.reduce((w, r) => Math.max(w, ORDER.indexOf(r.agreement)), 0);
  return { model: model.name, backend: tf.getBackend(), loss: { reference: reference64.total, tfjs: result.loss }, rows, agreement: ORDER[worst]! };
}

/**
 * The magnitudes that flow into each layer's weight gradients: a weight gradient sums products of
 * the gradient δ reaching the layer's output and its inputs x (or, for a bias, δ alone; for a
 * normalization's scale, δ times the normalized input, of unit size), so by Cauchy-Schwarz its
 * float32 rounding is at most a few roundoffs of ‖δ‖·(‖x‖ + √(size of δ)), summed over the layer's
 * applications. A true gradient of 0 (a dense bias feeding batch_norm) still leaves that in float32.
 */
export function gradientFlows(model: IRModel, reference: ReferenceModel, forward: ForwardResult, batch: Batch): Map<string, number> {
  const nodes = reference.backwardFrom(forward, reference.lossGradients(forward.outputs, batch.targets), { training: true, dropout: false }).nodes;
  const flows = new Map(model.layers.map((l) => [l.id, 0]));
  for (const node of model.nodes) {
    if (node.kind !== 'apply') continue;
    const delta = nodes.get(node.id);
    if (!delta) continue;
    const inputs = node.inputs.reduce((n, id) => n + norm(forward.values.get(id)!.data), 0);
    flows.set(node.layer, flows.get(node.layer)! + norm(delta.data) * (inputs + Math.sqrt(delta.data.length)));
  }
  return flows;
}

export function norm(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! ** 2;
  return Math.sqrt(sum);
}

function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return sum;
}

/**
 * The reference engine's weights as tensors in the order of `model.getWeights()` of the generated
 * model, ready for `model.setWeights(...)`: each tfjs weight is matched by its layer's name and
 * its own (`hidden/dense_1` and `kernel`), whatever order tfjs keeps its layers in.
 */
export function weightsInTfjsOrder(tf: typeof TF, tfModel: TF.LayersModel, model: IRModel, reference: ReferenceModel): TF.Tensor[] {
  const byName = new Map<string, Tensor64>();
  for (const layer of model.layers) {
    layer.weights.forEach((w, i) => byName.set(`${tfjsName(layer.id)}/${w.name}`, reference.params.get(layer.id)![i]!));
  }
  return tfModel.weights.map((variable) => {
    const value = byName.get(variable.originalName);
    if (!value) throw new Error(`internal: the reference has no weight for tfjs's \`${variable.originalName}\``);
    return tf.tensor(Array.from(value.data), value.shape, 'float32');
  });
}

function toTf(tf: typeof TF, t: Tensor64, dtype: 'float32' | 'int32'): TF.Tensor {
  return tf.tensor(Array.from(t.data), t.shape, dtype);
}
