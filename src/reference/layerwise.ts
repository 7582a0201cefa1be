import type { IRApplyNode, IRModel } from '../ir/ir.js';
import type { ReferenceContext } from './context.js';
import type { ForwardResult, ReferenceModel, RunOptions } from './engine.js';
import { BranchHash, centralDifferences, componentOrder, type Components, type Evaluation } from './finite-difference.js';
import { relativeDifference } from './grades.js';
import { Random } from './random.js';
import type { Batch } from './random-batch.js';
import { addInto, clone, zeros, type Tensor64 } from './tensor.js';

/**
 * The layer-by-layer gradient check, for gradients the loss cannot resolve (a deep stack that
 * vanishes or explodes leaves them below the rounding of J, whatever ε). Each op is checked on
 * its own, at the activations it actually saw in the forward pass: for a random cotangent u
 * over its output y, the scalar f = Σ u·y is differentiated by central differences in each
 * weight and each input component, against the op's hand-written backward given u. The
 * magnitudes are those of the op, not of the loss, so depth does not matter. By the chain rule
 * the engine's gradient is then right if each op's backward is and the gradient it reports for
 * a weight is what the op's backward gives for the gradient flowing into the op: that last
 * identity is checked too (`consistency`), so a wrong gradient handed to the check is caught.
 */
export interface LayerwiseSetup {
  model: IRModel;
  reference: ReferenceModel;
  batch: Batch;
  run: RunOptions;
  epsilon: number;
  /** Every component (full mode), or `samples` random ones per tensor. */
  all: boolean;
  samples: number;
  seed: number;
}

export interface LocalCheck {
  components: Components;
  /** The checked tensor's shape (an input's or a prediction's, batch first; a weight's). */
  shape: number[];
  /**
   * For a weight: the relative difference between the gradient under test and the op's backward
   * for the gradient that reached the op (0 when the engine composed the ops' backwards exactly).
   */
  consistency?: number;
}

/** In full mode an op input is checked on at most this many components (an input is data, not a parameter). */
const INPUT_COMPONENTS = 1000;

export class Layerwise {
  private readonly forward: ForwardResult;
  private readonly nodeGrads: Map<string, Tensor64>;
  private readonly cotangents = new Map<string, Tensor64>();
  private readonly random: Random;
  private readonly applications = new Map<string, IRApplyNode[]>();

  /** Components checked per op input or prediction. */
  private get dataSamples(): number {
    return this.setup.all ? INPUT_COMPONENTS : this.setup.samples;
  }

  constructor(private readonly setup: LayerwiseSetup) {
    const { reference, batch, run, model } = setup;
    this.forward = reference.forward(batch.inputs, run);
    this.nodeGrads = reference.backwardFrom(this.forward, reference.lossGradients(this.forward.outputs, batch.targets), run).nodes;
    this.random = new Random(setup.seed + 2);
    for (const node of model.nodes) {
      if (node.kind !== 'apply') continue;
      const list = this.applications.get(node.layer) ?? [];
      list.push(node);
      this.applications.set(node.layer, list);
      // One cotangent per application, drawn in node order so that a seed reproduces the check.
      const out = this.forward.values.get(node.id)!;
      this.cotangents.set(node.id, { shape: [...out.shape], data: Float64Array.from(out.data, () => this.random.normal()) });
    }
  }

  /** Weight `index` of `layer` against the op's backward, and the given gradient against the chain. */
  weight(layer: string, index: number, given: Tensor64): LocalCheck {
    const { reference } = this.setup;
    const op = reference.ops.get(layer)!.reference;
    const attrs = reference.layers.get(layer)!.attrs;
    const weights = reference.params.get(layer)!;
    const nodes = this.applications.get(layer) ?? [];
    const inputsOf = (node: IRApplyNode) => node.inputs.map((id) => this.forward.values.get(id)!);
    const backward = (node: IRApplyNode, gradOutput: Tensor64) =>
      op.backward({ inputs: inputsOf(node), weights, attrs, output: this.forward.values.get(node.id)!, gradOutput }, quiet(this.setup.run)).weights[index]!;
    const analytic = zeros(weights[index]!.shape);
    const chained = zeros(weights[index]!.shape);
    for (const node of nodes) {
      addInto(analytic, backward(node, this.cotangents.get(node.id)!));
      addInto(chained, backward(node, this.nodeGrads.get(node.id) ?? zeros(this.forward.values.get(node.id)!.shape)));
    }
    const evaluate = (): Evaluation => {
      const hash = new BranchHash();
      let value = 0;
      let scale = 0;
      for (const node of nodes) {
        const y = op.forward({ inputs: inputsOf(node), weights, attrs }, { ...quiet(this.setup.run), branches: hash.add });
        [value, scale] = accumulate(value, scale, this.cotangents.get(node.id)!, y);
      }
      return { value, scale, branches: hash.key };
    };
    const data = weights[index]!.data;
    const { order, wanted } = componentOrder(data.length, this.setup.all, this.setup.samples, this.random);
    const components = centralDifferences(data, analytic.data, order, wanted, () => this.setup.epsilon, evaluate, evaluate().branches);
    return { components, shape: [...weights[index]!.shape], consistency: relativeDifference(given.data, chained.data) };
  }

  /** Input `position` of every application of `layer` against the op's backward. */
  input(layer: string, position: number): LocalCheck {
    const { reference } = this.setup;
    const op = reference.ops.get(layer)!.reference;
    const attrs = reference.layers.get(layer)!.attrs;
    const weights = reference.params.get(layer)!;
    const total: Components = { numeric: [], analytic: [], noise: [], kinks: 0, unresolved: 0 };
    let shape: number[] = [];
    for (const node of this.applications.get(layer) ?? []) {
      // Copies: the same tensor may feed this op twice (`add(h, h)`), and each position is its own input.
      const inputs = node.inputs.map((id) => clone(this.forward.values.get(id)!));
      const u = this.cotangents.get(node.id)!;
      const analytic = op.backward({ inputs, weights, attrs, output: this.forward.values.get(node.id)!, gradOutput: u }, quiet(this.setup.run)).inputs[position]!;
      const evaluate = (): Evaluation => {
        const hash = new BranchHash();
        const y = op.forward({ inputs, weights, attrs }, { ...quiet(this.setup.run), branches: hash.add });
        const [value, scale] = accumulate(0, 0, u, y);
        return { value, scale, branches: hash.key };
      };
      const data = inputs[position]!.data;
      shape = [...inputs[position]!.shape];
      const { order, wanted } = componentOrder(data.length, false, this.dataSamples, this.random);
      merge(total, centralDifferences(data, analytic.data, order, wanted, relativeStep(data, this.setup.epsilon), evaluate, evaluate().branches));
    }
    return { components: total, shape };
  }

  /**
   * The loss's gradient with respect to the predictions of `output`. A loss compares predictions
   * with targets of the data's scale: steps are ε relative to the prediction, at least ε.
   */
  loss(output: string): LocalCheck {
    const { reference, batch, run } = this.setup;
    const outputs = new Map(this.forward.outputs);
    const prediction = clone(outputs.get(output)!);
    outputs.set(output, prediction);
    const analytic = reference.lossGradients(outputs, batch.targets).get(output)!;
    const evaluate = (): Evaluation => {
      const hash = new BranchHash();
      const result = reference.loss(outputs, batch.targets, { ...run, onBranches: hash.add });
      const weights = reference.model.train!.losses;
      let scale = 0;
      for (const [name, value] of result.perOutput) scale += Math.abs(weights[name]!.weight * value);
      return { value: result.total, scale, branches: hash.key };
    };
    const data = prediction.data;
    const { order, wanted } = componentOrder(data.length, false, this.dataSamples, this.random);
    return { shape: [...prediction.shape], components: centralDifferences(data, analytic.data, order, wanted, relativeStep(data, this.setup.epsilon, 1), evaluate, evaluate().branches) };
  }
}

/**
 * Steps for activations, whose scale is whatever the depth made it: ε relative to the component,
 * or to the tensor's RMS where the component is smaller (and to `floor`, if larger).
 */
function relativeStep(data: Float64Array, epsilon: number, floor = 0): (i: number) => number {
  let sum = 0;
  for (const v of data) sum += v * v;
  const rms = Math.sqrt(sum / Math.max(data.length, 1));
  return (i) => epsilon * (Math.max(Math.abs(data[i]!), rms, floor) || 1);
}

function quiet(run: RunOptions): ReferenceContext {
  const random = new Random(run.seed ?? 0);
  return { training: run.training ?? true, dropout: false, random: () => random.uniform(), branches: () => {} };
}

function accumulate(value: number, scale: number, u: Tensor64, y: Tensor64): [number, number] {
  for (let j = 0; j < y.data.length; j++) {
    const term = u.data[j]! * y.data[j]!;
    value += term;
    scale += Math.abs(term);
  }
  return [value, scale];
}

function merge(into: Components, part: Components): void {
  // Loops, not push(...): a tensor checked in full has more components than a call takes arguments.
  for (const v of part.numeric) into.numeric.push(v);
  for (const v of part.analytic) into.analytic.push(v);
  for (const v of part.noise) into.noise.push(v);
  into.kinks += part.kinks;
  into.unresolved += part.unresolved;
}
