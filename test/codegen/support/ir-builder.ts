import { NO_SPAN } from '../../../src/diagnostics/span.js';
import type {
  ActivationSpec,
  Attrs,
  DType,
  InitSpec,
  IRLayer,
  IRModel,
  IRNode,
  IRPort,
  IRTrain,
  Shape,
  TensorType,
} from '../../../src/ir/ir.js';
import type { ShapeContext } from '../../../src/registry/op.js';
import { registry } from '../../../src/registry/registry.js';

/**
 * Builds IR by hand, independently of the parser and checker: types and weights come from the
 * ops' own `inferType` and `weights`, so the IR is what the checker would produce for them.
 */

export const act = (name: string, params: Record<string, number> = {}): ActivationSpec => ({ name, params });
export const initSpec = (name: string, params: Record<string, number> = {}): InitSpec => ({ name, params });

/** Fully resolved `dense` attributes (the checker fills every default). */
export function denseAttrs(
  units: number,
  options: { activation?: ActivationSpec; bias?: boolean; init?: InitSpec; biasInit?: InitSpec } = {},
): Attrs {
  return {
    units,
    activation: options.activation ?? act('linear'),
    bias: options.bias ?? true,
    init: options.init ?? initSpec('xavier'),
    bias_init: options.biasInit ?? initSpec('zeros'),
  };
}

const failingContext = (op: string): ShapeContext => ({
  op,
  describe: (i) => `input ${i}`,
  inputSpan: () => NO_SPAN,
  report: (key, params) => {
    throw new Error(`hand-built IR is unsound: ${op} reports ${key} ${JSON.stringify(params)}`);
  },
});

export class ModelBuilder {
  private readonly layers: IRLayer[] = [];
  private readonly layersById = new Map<string, IRLayer>();
  private readonly nodes: IRNode[] = [];
  private readonly types = new Map<string, TensorType>();
  private readonly applications = new Map<string, number>();
  private readonly inputs: IRPort[] = [];
  private readonly outputs: IRPort[] = [];
  private train: IRTrain | null = null;

  constructor(private readonly name: string) {}

  input(name: string, shape: Shape, dtype: DType = 'float32'): string {
    const type = { shape, dtype };
    this.nodes.push({ kind: 'input', id: name, type, span: NO_SPAN });
    this.inputs.push({ name, node: name, type, span: NO_SPAN });
    this.types.set(name, type);
    return name;
  }

  /** Declares a layer; its weights are fixed at its first application. */
  layer(id: string, op: string, attrs: Attrs = {}, scope: string[] = []): string {
    if (!registry.op(op)) throw new Error(`no op ${op}`);
    const layer: IRLayer = { id, op, attrs, weights: [], paramCount: 0, span: NO_SPAN, scope };
    this.layers.push(layer);
    this.layersById.set(id, layer);
    return id;
  }

  /** Applies a declared layer to the given nodes; returns the new node's id. */
  apply(layerId: string, inputs: string[], name?: string): string {
    const layer = this.layersById.get(layerId);
    if (!layer) throw new Error(`no layer ${layerId}`);
    const op = registry.op(layer.op)!;
    const types = inputs.map((id) => {
      const type = this.types.get(id);
      if (!type) throw new Error(`no node ${id}`);
      return type;
    });
    const type = op.inferType(types, layer.attrs, failingContext(layer.op));
    if (!type) throw new Error(`${layer.op} gave no type`);
    const k = this.applications.get(layerId) ?? 0;
    this.applications.set(layerId, k + 1);
    if (k === 0) {
      layer.weights = op.weights?.(types, layer.attrs) ?? [];
      layer.paramCount = layer.weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
    }
    const id = k === 0 ? layerId : `${layerId}:${k}`;
    this.nodes.push({ kind: 'apply', id, layer: layerId, inputs, type, span: NO_SPAN, ...(name !== undefined ? { name } : {}) });
    this.types.set(id, type);
    return id;
  }

  /** Declares a layer and applies it once. */
  chain(id: string, op: string, attrs: Attrs, inputs: string[], name?: string): string {
    this.layer(id, op, attrs);
    return this.apply(id, inputs, name);
  }

  output(name: string, node: string): this {
    this.outputs.push({ name, node, type: this.types.get(node)!, span: NO_SPAN });
    return this;
  }

  /** `metrics` as a list gives every output the same ones, as `metrics = [...]` does; call after the outputs. */
  training(
    train: Omit<IRTrain, 'span' | 'losses' | 'columns' | 'earlyStopping' | 'metrics'> &
      Partial<Pick<IRTrain, 'columns' | 'earlyStopping'>> & { losses: Array<[output: string, loss: string, weight: number]>; metrics: string[] | Record<string, string[]> },
  ): this {
    // Keyed by output names, which may be `__proto__`: prototype-free records like the checker's.
    const losses: IRTrain['losses'] = Object.create(null);
    for (const [output, name, weight] of train.losses) losses[output] = { name, weight, span: NO_SPAN };
    const metrics: IRTrain['metrics'] = Object.create(null);
    for (const { name } of this.outputs) {
      metrics[name] = Array.isArray(train.metrics) ? [...train.metrics] : Object.prototype.hasOwnProperty.call(train.metrics, name) ? train.metrics[name]! : [];
    }
    this.train = { columns: {}, earlyStopping: null, ...train, losses, metrics, span: NO_SPAN };
    return this;
  }

  build(): IRModel {
    return { name: this.name, span: NO_SPAN, inputs: this.inputs, outputs: this.outputs, layers: this.layers, nodes: this.nodes, train: this.train };
  }
}

export const adam = { name: 'adam', params: { learning_rate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, span: NO_SPAN };
export const sgd = (learningRate: number) => ({ name: 'sgd', params: { learning_rate: learningRate, momentum: 0 }, span: NO_SPAN });
