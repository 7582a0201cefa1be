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
  /** Creation order within the model, set by `addNode`. */
  index?: number;
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
    const { op, attrs, span, scope, shared } = layer;
    const build: LayerBuild = { id: this.names.claim(layer.id), op, attrs, span, scope, shared, applications: 0, index: this.layers.length };
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
    node.index = this.nodes.length;
    this.nodes.push(node);
    return node;
  }

  /** Marks, by node index, the nodes from which some output can be reached; computed without recursion. */
  reachable(outputs: readonly NodeBuild[]): Uint8Array {
    const live = new Uint8Array(this.nodes.length);
    const stack = outputs.slice();
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (live[node.index!]) continue;
      live[node.index!] = 1;
      for (let i = 0; i < node.inputs.length; i++) stack.push(node.inputs[i]!);
    }
    return live;
  }

  /**
   * Whether each node is reached from `outputs`, searching only the nodes created since index
   * `floor` (a block instance's own) and the older nodes they read directly. A block's check of
   * what it leaves unused costs its own size, not the model's: `repeat(4096, Block)` checked in
   * time quadratic in the model before.
   */
  reachableSince(outputs: readonly NodeBuild[], floor: number): (node: NodeBuild) => boolean {
    const live = new Uint8Array(Math.max(0, this.nodes.length - floor));
    const older = new Set<NodeBuild>();
    const stack = outputs.slice();
    while (stack.length > 0) {
      const node = stack.pop()!;
      const index = node.index!;
      if (index < floor) {
        older.add(node);
        continue;
      }
      if (live[index - floor]) continue;
      live[index - floor] = 1;
      for (let i = 0; i < node.inputs.length; i++) stack.push(node.inputs[i]!);
    }
    return (node) => (node.index! < floor ? older.has(node) : live[node.index! - floor] === 1);
  }

  /** Drops the layers and nodes once `finish` has made the IR of them. */
  release(): void {
    this.layers.length = 0;
    this.nodes.length = 0;
  }

  /** The IR layers and nodes reachable from the outputs, with final ids (`idOf`). */
  finish(outputs: readonly NodeBuild[]): { layers: IRLayer[]; nodes: Array<IRInputNode | IRApplyNode>; idOf: (node: NodeBuild) => string } {
    const live = this.reachable(outputs);
    const ids: string[] = new Array(this.nodes.length);
    const nodes: Array<IRInputNode | IRApplyNode> = [];
    const liveLayers = new Uint8Array(this.layers.length);
    const applications = new Int32Array(this.layers.length);
    for (let n = 0; n < this.nodes.length; n++) {
      const node = this.nodes[n]!;
      if (node.kind === 'input') {
        // Inputs stay even when unused: callers feed every declared input.
        ids[n] = node.inputName!;
        nodes.push({ kind: 'input', id: node.inputName!, type: node.type, span: node.span });
        continue;
      }
      if (!live[n]) continue;
      const layer = node.layer!;
      liveLayers[layer.index] = 1;
      const k = applications[layer.index]!++;
      const id = k === 0 ? layer.id : `${layer.id}:${k}`;
      ids[n] = id;
      const inputs = new Array<string>(node.inputs.length);
      for (let i = 0; i < inputs.length; i++) inputs[i] = ids[node.inputs[i]!.index!]!;
      const apply: IRApplyNode = { kind: 'apply', id, layer: layer.id, inputs, type: node.type, span: node.span };
      if (node.name !== undefined) apply.name = node.name;
      nodes.push(apply);
    }
    const layers: IRLayer[] = [];
    for (const l of this.layers) {
      if (!liveLayers[l.index]) continue;
      const weights = l.weights ?? [];
      let paramCount = 0;
      for (const w of weights) paramCount += w.shape.reduce((a, b) => a * b, 1);
      layers.push({ id: l.id, op: l.op.name, attrs: l.attrs, weights, paramCount, span: l.span, scope: l.scope });
    }
    return { layers, nodes, idOf: (node) => ids[node.index!]! };
  }
}
