import type { IRModel } from '../ir/ir.js';
import { ReferenceModel } from '../reference/engine.js';
import { Random } from '../reference/random.js';
import { randomBatch } from '../reference/random-batch.js';
import type { Tensor64 } from '../reference/tensor.js';
import { registry } from '../registry/registry.js';
import { affineSignal, moments as affineMoments } from './affine-signal.js';
import { AnalysisContext } from './moments.js';
import { analyzeSignal, type SignalRow } from './signal.js';

export interface ProbeOptions {
  /** Samples in the random batch (default 256). */
  batch?: number;
  /** Seeds the weights, the N(0, 1) inputs, the output gradients and dropout's masks (default 0). */
  seed?: number;
}

/**
 * A measured quantity beside its prediction; `ratio` is measured / predicted. Both are null
 * where there is nothing to predict (an integer input holds ids, not a signal).
 */
export interface Compared {
  measured: number;
  predicted: number | null;
  ratio: number | null;
}

/** The weight gradient of a layer (its kernel, else its first trainable weight), per sample. */
export interface WeightGradient {
  /** `y/dense_1/kernel`. */
  weight: string;
  measured: number;
  /** Only for affine layers (dense, conv2d), where mean field gives it; null otherwise. */
  predicted: number | null;
  ratio: number | null;
}

export interface ProbeRow {
  node: string;
  /** The layer applied (null for inputs). */
  layer: string | null;
  op: string;
  line: number;
  depth: number;
  /** The nodes this one reads (none for inputs). */
  inputs: string[];
  /** Root mean square of the node's value over the batch, against sqrt of the predicted E[a²]. */
  activation: Compared;
  /** Standard deviation of the node's value (about its mean; below the RMS after a relu). */
  activationStd: number;
  /** Root mean square of dL/d(value), against sqrt of the predicted E[(dL/da)²]. */
  gradient: Compared;
  /** On the last application of a layer with trainable weights; shared layers sum their applications. */
  weightGradient: WeightGradient | null;
}

/** The node where a quantity strays furthest from its prediction (by |log ratio|). */
export interface Deviation {
  node: string;
  ratio: number;
}

export interface ProbeReport {
  model: string;
  batch: number;
  seed: number;
  rows: ProbeRow[];
  /** Per quantity, the largest deviation from the prediction; null when nothing was comparable. */
  worst: { activation: Deviation | null; gradient: Deviation | null; weightGradient: Deviation | null };
}

/**
 * Measures what the depth analysis (analyzeSignal) predicts: the float64 reference engine runs
 * the model at initialization, in training mode (dropout drops, batch_norm uses the batch's
 * statistics, as in the first training step), on N(0, 1) inputs, and backpropagates N(0, 1)
 * gradients given at every output, so that both sides start where the prediction starts.
 *
 * The weight gradient is the gradient of the batch's summed loss divided by sqrt(batch): the
 * samples contribute independently with mean zero (their output gradients are independent), so
 * its mean square is that of one sample's gradient and does not depend on the batch size. Mean
 * field predicts it for an affine layer act(x·W + b) applied at P positions per sample (1 for a
 * dense layer on a vector, H·W for a convolution): dL/dW = Σ_p x_p δ_p with δ = dL/da · act'(z),
 * so E[(dL/dW)²] = P · E[x²] · E[δ²], where E[x²] is the input's predicted second moment and
 * E[δ²] = E[(dL/da)²] · E[act'(z)²] for z ~ N(0, n_in·E[w²]·E[x²] + E[b²]).
 */
export function probeModel(model: IRModel, options: ProbeOptions = {}): ProbeReport {
  const batchSize = options.batch ?? 256;
  const seed = options.seed ?? 0;
  const analysis = analyzeSignal(model);
  const predicted = new Map(analysis.rows.map((r) => [r.node, r]));
  const reference = new ReferenceModel(model, seed);
  const run = { training: true, dropout: true, seed };
  const forward = reference.forward(randomBatch(model, batchSize, seed).inputs, run);
  const random = new Random(seed ^ 0x6a3d);
  const gradOutputs = new Map(model.outputs.map((o) => {
    const value = forward.outputs.get(o.name)!;
    return [o.name, { shape: [...value.shape], data: Float64Array.from(value.data, () => random.normal()) }];
  }));
  const backward = reference.backwardFrom(forward, gradOutputs, run);

  const lastApplication = new Map<string, string>();
  for (const node of model.nodes) if (node.kind === 'apply') lastApplication.set(node.layer, node.id);
  const weightPrediction = affineWeightPrediction(model, predicted, forward.values, batchSize);
  const rows: ProbeRow[] = model.nodes.map((node) => {
    const row = predicted.get(node.id)!;
    const stats = moments(forward.values.get(node.id)!.data);
    const grad = backward.nodes.get(node.id);
    const gradientSquare = grad ? moments(grad.data).meanSquare : 0;
    let weightGradient: WeightGradient | null = null;
    const layer = node.kind === 'apply' ? reference.layers.get(node.layer)! : undefined;
    const index = layer ? kernelIndex(layer.weights) : -1;
    if (layer && index >= 0 && lastApplication.get(layer.id) === node.id) {
      const measured = Math.sqrt(moments(backward.weights.get(layer.id)![index]!.data).meanSquare / batchSize);
      const square = weightPrediction.get(layer.id);
      const predictedRms = square === undefined ? null : Math.sqrt(square);
      weightGradient = { weight: `${layer.id}/${layer.weights[index]!.name}`, measured, predicted: predictedRms, ratio: predictedRms === null ? null : ratio(measured, predictedRms) };
    }
    const ids = node.type.dtype === 'int32';
    return {
      node: node.id,
      layer: row.layer,
      op: row.op,
      line: row.line,
      depth: row.depth,
      inputs: node.kind === 'apply' ? [...node.inputs] : [],
      activation: compared(Math.sqrt(stats.meanSquare), ids ? null : Math.sqrt(row.forward)),
      activationStd: Math.sqrt(stats.variance),
      gradient: compared(Math.sqrt(gradientSquare), ids ? null : Math.sqrt(row.backward)),
      weightGradient,
    };
  });
  return {
    model: model.name,
    batch: batchSize,
    seed,
    rows,
    worst: {
      activation: worst(rows, (r) => r.activation.ratio),
      gradient: worst(rows, (r) => r.gradient.ratio),
      weightGradient: worst(rows, (r) => r.weightGradient?.ratio ?? null),
    },
  };
}

/**
 * Predicted E[(dL/dW)²] of each affine layer's kernel, per sample, summed over the layer's
 * applications: P · E[x²] · E[(dL/da)²] · E[act'(z)²] each (see probeModel).
 */
function affineWeightPrediction(
  model: IRModel,
  predicted: ReadonlyMap<string, SignalRow>,
  values: ReadonlyMap<string, Tensor64>,
  batchSize: number,
): Map<string, number> {
  const layers = new Map(model.layers.map((l) => [l.id, l]));
  const types = new Map(model.nodes.map((n) => [n.id, n.type]));
  const analysis = new AnalysisContext();
  const result = new Map<string, number>();
  for (const node of model.nodes) {
    if (node.kind !== 'apply') continue;
    const layer = layers.get(node.layer)!;
    if (registry.op(layer.op)!.signal !== affineSignal) continue;
    // An affine layer's own activation sees its pre-activation, whatever its input went through.
    const ctx = analysis.at(node.inputs.map((id) => types.get(id)!), node.inputs.map(() => false), node.inputs.map(() => 0), node.inputs.map(() => 1));
    const input = predicted.get(node.inputs[0]!)!.forward;
    const slope = affineMoments(input, layer, ctx).backward;
    // Positions per sample: every entry of the output but the last axis (the units or filters).
    const output = values.get(node.id)!;
    const positions = output.data.length / (batchSize * output.shape[output.shape.length - 1]!);
    result.set(layer.id, (result.get(layer.id) ?? 0) + positions * input * predicted.get(node.id)!.backward * slope);
  }
  return result;
}

/** The weight whose gradient a row reports: the kernel (rank 2 or more), else the first trainable one. */
function kernelIndex(weights: ReadonlyArray<{ shape: number[]; trainable: boolean }>): number {
  const kernel = weights.findIndex((w) => w.trainable && w.shape.length >= 2);
  return kernel >= 0 ? kernel : weights.findIndex((w) => w.trainable);
}

function moments(data: Float64Array): { meanSquare: number; variance: number } {
  if (data.length === 0) return { meanSquare: 0, variance: 0 };
  let sum = 0;
  let squares = 0;
  for (const v of data) {
    sum += v;
    squares += v * v;
  }
  const mean = sum / data.length;
  const meanSquare = squares / data.length;
  return { meanSquare, variance: Math.max(meanSquare - mean * mean, 0) };
}

/** measured / predicted; both zero (an integer input's gradient) agree; one zero is no ratio. */
function ratio(measured: number, predicted: number): number | null {
  if (measured === 0 && predicted === 0) return 1;
  if (!(predicted > 0) || !Number.isFinite(predicted) || !Number.isFinite(measured)) return null;
  return measured / predicted;
}

function compared(measured: number, predicted: number | null): Compared {
  return { measured, predicted, ratio: predicted === null ? null : ratio(measured, predicted) };
}

function worst(rows: readonly ProbeRow[], value: (r: ProbeRow) => number | null): Deviation | null {
  let best: Deviation | null = null;
  for (const row of rows) {
    const r = value(row);
    if (r === null) continue;
    if (!best || Math.abs(Math.log(r)) > Math.abs(Math.log(best.ratio))) best = { node: row.node, ratio: r };
  }
  return best;
}
