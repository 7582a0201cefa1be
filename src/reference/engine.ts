import type { IRLayer, IRModel, IRNode } from '../ir/ir.js';
import type { OpDef } from '../registry/op.js';
import { registry } from '../registry/registry.js';
import type { ReferenceContext } from './context.js';
import { Random } from './random.js';
import { addInto, clone, size, zeros, type Tensor64 } from './tensor.js';

/** A weight as exchanged with other engines: `hidden/dense_1/kernel`, its shape and values. */
export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float64Array;
}

export interface ForwardResult {
  /** The value of every node, by node id. */
  values: Map<string, Tensor64>;
  /** The value of every output, by output name. */
  outputs: Map<string, Tensor64>;
}

export interface LossResult {
  total: number;
  /** Each output's mean loss before its weight. */
  perOutput: Map<string, number>;
}

export interface GradientResult extends LossResult {
  /** dLoss/dWeight for every layer's weights, in `IRLayer.weights` order. */
  weights: Map<string, Tensor64[]>;
}

export interface BackwardResult {
  /** dL/d(value) of every node the gradient reaches, by node id. */
  nodes: Map<string, Tensor64>;
  /** dL/dWeight for every layer's weights, in `IRLayer.weights` order (zeros where none flows). */
  weights: Map<string, Tensor64[]>;
}

export interface RunOptions {
  training?: boolean;
  dropout?: boolean;
  seed?: number;
  /** Receives every kink decision in evaluation order (see ReferenceContext.branches). */
  onBranches?: (decisions: ArrayLike<number>) => void;
}

/**
 * Interprets a model's IR in float64: forward, loss as tfjs-layers computes it (loss weights
 * included), and reverse mode through each op's hand-written vector-Jacobian product.
 */
export class ReferenceModel {
  readonly ops: Map<string, OpDef>;
  readonly layers: Map<string, IRLayer>;
  /** The current parameters, by layer id. */
  readonly params = new Map<string, Tensor64[]>();

  constructor(readonly model: IRModel, seed = 0) {
    this.layers = new Map(model.layers.map((l) => [l.id, l]));
    this.ops = new Map(model.layers.map((l) => [l.id, registry.op(l.op)!]));
    this.initialize(seed);
  }

  /** Draws every weight from its initializer, seeded. */
  initialize(seed: number): void {
    const random = new Random(seed);
    for (const layer of this.model.layers) {
      this.params.set(layer.id, layer.weights.map((w) => {
        const init = registry.initializer(w.init.name)!;
        return { shape: [...w.shape], data: init.sample(w.init, w, random) };
      }));
    }
  }

  exportWeights(): NamedTensor[] {
    return this.model.layers.flatMap((layer) =>
      layer.weights.map((w, i) => ({ name: `${layer.id}/${w.name}`, shape: [...w.shape], data: this.params.get(layer.id)![i]!.data.slice() })),
    );
  }

  /** Sets weights by name; every weight of the model must be given, with its shape. */
  importWeights(weights: readonly NamedTensor[]): void {
    const byName = new Map(weights.map((w) => [w.name, w]));
    for (const layer of this.model.layers) {
      this.params.set(layer.id, layer.weights.map((w) => {
        const name = `${layer.id}/${w.name}`;
        const given = byName.get(name);
        if (!given) throw new Error(`no value given for weight \`${name}\``);
        if (given.shape.join() !== w.shape.join() || given.data.length !== size(w.shape)) {
          throw new Error(`weight \`${name}\` has shape [${given.shape.join(', ')}], expected [${w.shape.join(', ')}]`);
        }
        return { shape: [...w.shape], data: Float64Array.from(given.data) };
      }));
    }
  }

  private context(options: RunOptions): ReferenceContext {
    const random = new Random(options.seed ?? 0);
    return {
      training: options.training ?? true,
      dropout: options.dropout ?? false,
      random: () => random.uniform(),
      branches: options.onBranches ?? (() => {}),
    };
  }

  forward(inputs: ReadonlyMap<string, Tensor64>, options: RunOptions = {}): ForwardResult {
    const ctx = this.context(options);
    const values = new Map<string, Tensor64>();
    for (const node of this.model.nodes) {
      if (node.kind === 'input') {
        const value = inputs.get(node.id);
        if (!value) throw new Error(`no value given for input \`${node.id}\``);
        values.set(node.id, value);
        continue;
      }
      const layer = this.layers.get(node.layer)!;
      const output = this.ops.get(layer.id)!.reference.forward(
        { inputs: node.inputs.map((id) => values.get(id)!), weights: this.params.get(layer.id)!, attrs: layer.attrs },
        ctx,
      );
      values.set(node.id, output);
    }
    const outputs = new Map(this.model.outputs.map((o) => [o.name, values.get(o.node)!]));
    return { values, outputs };
  }

  loss(outputs: ReadonlyMap<string, Tensor64>, targets: ReadonlyMap<string, Tensor64>, options: RunOptions = {}): LossResult {
    const train = this.requireTrain();
    const ctx = this.context(options);
    const perOutput = new Map<string, number>();
    let total = 0;
    for (const output of this.model.outputs) {
      const loss = train.losses[output.name]!;
      const values = registry.loss(loss.name)!.reference.perSample(this.target(targets, output.name), outputs.get(output.name)!, ctx);
      let sum = 0;
      for (const v of values) sum += v;
      const mean = sum / values.length;
      perOutput.set(output.name, mean);
      total += loss.weight * mean;
    }
    return { total, perOutput };
  }

  /** Loss and dLoss/dWeight for one batch. */
  gradients(inputs: ReadonlyMap<string, Tensor64>, targets: ReadonlyMap<string, Tensor64>, options: RunOptions = {}): GradientResult {
    const forward = this.forward(inputs, options);
    const loss = this.loss(forward.outputs, targets, options);
    return { ...loss, weights: this.backwardFrom(forward, this.lossGradients(forward.outputs, targets), options).weights };
  }

  /** dLoss/dPrediction of every output (its loss weight and the batch mean included), by output name. */
  lossGradients(outputs: ReadonlyMap<string, Tensor64>, targets: ReadonlyMap<string, Tensor64>): Map<string, Tensor64> {
    const train = this.requireTrain();
    const gradOutputs = new Map<string, Tensor64>();
    for (const output of this.model.outputs) {
      const prediction = outputs.get(output.name)!;
      const loss = train.losses[output.name]!;
      const g = registry.loss(loss.name)!.reference.gradient(this.target(targets, output.name), prediction);
      const scale = loss.weight / prediction.shape[0]!;
      for (let i = 0; i < g.data.length; i++) g.data[i]! *= scale;
      gradOutputs.set(output.name, g);
    }
    return gradOutputs;
  }

  /**
   * Reverse mode from given gradients at the outputs (by output name; an absent output
   * contributes nothing): the gradient with respect to every node's value and every layer's
   * weights. `forward` must come from `forward()` with the same options.
   */
  backwardFrom(forward: ForwardResult, gradOutputs: ReadonlyMap<string, Tensor64>, options: RunOptions = {}): BackwardResult {
    const ctx = this.context(options);
    const nodes = new Map<string, Tensor64>();
    // Ops may hand back a gradient that aliases another (add passes dOut to both inputs), and
    // the caller keeps its gradOutputs: the first store copies, so accumulating never writes through.
    const accumulate = (id: string, g: Tensor64): void => {
      const existing = nodes.get(id);
      if (existing) addInto(existing, g);
      else nodes.set(id, clone(g));
    };
    for (const output of this.model.outputs) {
      const g = gradOutputs.get(output.name);
      if (g) accumulate(output.node, g);
    }
    const weights = new Map<string, Tensor64[]>(this.model.layers.map((l) => [l.id, l.weights.map((w) => zeros(w.shape))]));
    for (let n = this.model.nodes.length - 1; n >= 0; n--) {
      const node: IRNode = this.model.nodes[n]!;
      const gradOutput = nodes.get(node.id);
      if (node.kind !== 'apply' || !gradOutput) continue;
      const layer = this.layers.get(node.layer)!;
      const result = this.ops.get(layer.id)!.reference.backward(
        {
          inputs: node.inputs.map((id) => forward.values.get(id)!),
          weights: this.params.get(layer.id)!,
          attrs: layer.attrs,
          output: forward.values.get(node.id)!,
          gradOutput,
        },
        ctx,
      );
      node.inputs.forEach((id, i) => accumulate(id, result.inputs[i]!));
      const layerGrads = weights.get(layer.id)!;
      result.weights.forEach((g, i) => addInto(layerGrads[i]!, g));
    }
    return { nodes, weights };
  }

  private requireTrain(): NonNullable<IRModel['train']> {
    if (!this.model.train) throw new Error(`model \`${this.model.name}\` has no \`train { }\` block, so it has no loss`);
    return this.model.train;
  }

  private target(targets: ReadonlyMap<string, Tensor64>, name: string): Tensor64 {
    const target = targets.get(name);
    if (!target) throw new Error(`no target given for output \`${name}\``);
    return target;
  }
}
