import type { Span } from '../diagnostics/span.js';
import type { Attrs, IRApplyNode, IRInputNode, IRLayer, IRWeight, TensorType } from '../ir/ir.js';
import type { OpDef } from '../registry/op.js';

/** A layer while the graph is being built; its id may still change (see `rename`). */
export interface LayerBuild {
  id: string;
  op: OpDef;
  attrs: Attrs;
  span: Span;
  scope: string[];
  /** Set at the first application, when the input shapes are known. */
  weights?: IRWeight[];
  applications: number;
  /** Creation order within the model. */
  index: number;
  /** Declared with `layer NAME = ...`: keeps its name, may be applied many times. */
  shared: boolean;
}

export interface NodeBuild {
  kind: 'input' | 'apply';
  layer?: LayerBuild;
  application: number;
  inputs: NodeBuild[];
  type: TensorType;
  span: Span;
  name?: string;
  inputName?: string;
}

/** A tensor during elaboration, with a phrase that names it in messages. */
export interface TensorValue {
  kind: 'tensor';
  node: NodeBuild;
  type: TensorType;
  describe: string;
  span: Span;
}

export interface TupleValue {
  kind: 'tuple';
  items: TensorValue[];
  span: Span;
}

export type Value = TensorValue | TupleValue;

/** Unique names in one model: `base`, then `base_2`, `base_3`... */
export class Namer {
  private readonly used = new Set<string>();

  claim(base: string): string {
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  release(name: string): void {
    this.used.delete(name);
  }

  has(name: string): boolean {
    return this.used.has(name);
  }
}

/** The graph of one model: layers and nodes in creation order, which is topological. */
export class GraphBuilder {
  readonly layers: LayerBuild[] = [];
  readonly nodes: NodeBuild[] = [];
  readonly names = new Namer();

  addLayer(layer: Omit<LayerBuild, 'applications' | 'index'>): LayerBuild {
    const build: LayerBuild = { ...layer, id: this.names.claim(layer.id), applications: 0, index: this.layers.length };
    this.layers.push(build);
    return build;
  }

  /** Gives a layer a better name (the definition it produces) when that name is free. */
  rename(layer: LayerBuild, id: string): void {
    if (layer.id === id || this.names.has(id)) return;
    this.names.release(layer.id);
    layer.id = this.names.claim(id);
  }

  addNode(node: NodeBuild): NodeBuild {
    this.nodes.push(node);
    return node;
  }

  /** Nodes from which some output can be reached; computed without recursion. */
  reachable(outputs: readonly NodeBuild[]): Set<NodeBuild> {
    const seen = new Set<NodeBuild>();
    const stack = [...outputs];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (seen.has(node)) continue;
      seen.add(node);
      stack.push(...node.inputs);
    }
    return seen;
  }

  /** The IR layers and nodes reachable from the outputs, with final ids. */
  finish(outputs: readonly NodeBuild[]): { layers: IRLayer[]; nodes: Array<IRInputNode | IRApplyNode>; ids: Map<NodeBuild, string> } {
    const live = this.reachable(outputs);
    const ids = new Map<NodeBuild, string>();
    const nodes: Array<IRInputNode | IRApplyNode> = [];
    const liveLayers = new Set<LayerBuild>();
    const applicationIndex = new Map<LayerBuild, number>();
    for (const node of this.nodes) {
      if (node.kind === 'input') {
        // Inputs stay even when unused: callers feed every declared input.
        ids.set(node, node.inputName!);
        nodes.push({ kind: 'input', id: node.inputName!, type: node.type, span: node.span });
        continue;
      }
      if (!live.has(node)) continue;
      const layer = node.layer!;
      liveLayers.add(layer);
      const k = applicationIndex.get(layer) ?? 0;
      applicationIndex.set(layer, k + 1);
      const id = k === 0 ? layer.id : `${layer.id}:${k}`;
      ids.set(node, id);
      const apply: IRApplyNode = { kind: 'apply', id, layer: layer.id, inputs: node.inputs.map((i) => ids.get(i)!), type: node.type, span: node.span };
      if (node.name !== undefined) apply.name = node.name;
      nodes.push(apply);
    }
    const layers = this.layers
      .filter((l) => liveLayers.has(l))
      .map((l): IRLayer => {
        const weights = l.weights ?? [];
        return {
          id: l.id,
          op: l.op.name,
          attrs: l.attrs,
          weights,
          paramCount: weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0),
          span: l.span,
          scope: l.scope,
        };
      });
    return { layers, nodes, ids };
  }
}
