import { graphlib, layout } from '@dagrejs/dagre';
import type { IRModel } from '../../src/ir/ir.js';
import { formatShape } from '../../src/registry/op.js';
import type { Range, ServiceDiagnostic } from '../../src/service/types.js';
import { spanRange } from '../../src/service/line-map.js';

/** A model's graph laid out, in pixels: plain data, posted from the worker as it is. */
export interface LaidOutGraph {
  model: string;
  width: number;
  height: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
  groups: GraphGroup[];
}

export interface GraphNode {
  id: string;
  kind: 'input' | 'layer' | 'output';
  /** The tensor's or layer's name. */
  title: string;
  /** The layer as written (`dense(16, relu)`), or the input's or output's shape. */
  detail: string;
  /** The layer's source span, which clicking the node selects. */
  range: Range;
  /** How many nodes apply this node's layer (a shared layer: more than one). */
  uses: number;
  /** The worst diagnostic on its span. */
  severity?: 'error' | 'warning' | 'info';
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** The static shape of the tensor on it, with the batch dimension (`[?, 16]`). */
  shape: string;
  points: Array<{ x: number; y: number }>;
  labelX: number;
  labelY: number;
}

/** A block instance (or a `repeat` copy): the layers it holds are drawn inside it. */
export interface GraphGroup {
  id: string;
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

const CHAR = 7.3;
const LINE = 16;

function within(range: Range, inner: Range): boolean {
  const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(range.start, inner.start) && before(inner.end, range.end);
}

function shorten(text: string, max = 34): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * The DAG of a model that checked: one node per input, per application of a layer and per
 * output, every edge labelled with its tensor's static shape, layers inside the block instances
 * they belong to, laid out top to bottom by dagre (layered, as a data-flow graph reads).
 */
export function layoutModel(model: IRModel, source: string, diagnostics: readonly ServiceDiagnostic[]): LaidOutGraph {
  const g = new graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 36, edgesep: 12, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  const layers = new Map(model.layers.map((l) => [l.id, l]));
  const uses = new Map<string, number>();
  for (const node of model.nodes) if (node.kind === 'apply') uses.set(node.layer, (uses.get(node.layer) ?? 0) + 1);
  const shapes = new Map(model.nodes.map((n) => [n.id, formatShape([null, ...n.type.shape])]));

  const nodes: Array<Omit<GraphNode, 'x' | 'y'>> = [];
  const size = (title: string, detail: string) => ({ width: Math.max(title.length, detail.length) * CHAR + 20, height: 2 * LINE + 10 });
  const severityOf = (range: Range) => {
    const found = diagnostics.filter((d) => within(range, d.range)).map((d) => d.severity);
    return found.includes('error') ? 'error' : found.includes('warning') ? 'warning' : found.includes('info') ? 'info' : undefined;
  };
  const add = (node: Omit<GraphNode, 'x' | 'y' | 'width' | 'height' | 'severity'>, parent?: string) => {
    const box = size(node.title, node.detail);
    const severity = severityOf(node.range);
    nodes.push({ ...node, ...box, ...(severity ? { severity } : {}) });
    g.setNode(node.id, { ...box });
    if (parent) g.setParent(node.id, parent);
  };

  const groups = new Map<string, string>();
  const groupOf = (scope: readonly string[]): string | undefined => {
    let parent: string | undefined;
    for (const path of scope) {
      const id = `group:${path}`;
      if (!groups.has(id)) {
        groups.set(id, path.slice(path.lastIndexOf('/') + 1));
        g.setNode(id, { label: path, paddingTop: LINE });
        if (parent) g.setParent(id, parent);
      }
      parent = id;
    }
    return parent;
  };

  for (const node of model.nodes) {
    if (node.kind === 'input') {
      add({ id: node.id, kind: 'input', title: `input ${node.id}`, detail: shapes.get(node.id)!, range: spanRange(node.span), uses: 1 });
      continue;
    }
    const layer = layers.get(node.layer)!;
    const written = source.slice(layer.span.start.offset, layer.span.end.offset);
    add({ id: node.id, kind: 'layer', title: node.name ?? node.layer, detail: shorten(written || layer.op), range: spanRange(layer.span), uses: uses.get(node.layer) ?? 1 }, groupOf(layer.scope));
    node.inputs.forEach((input, i) => g.setEdge(input, node.id, { width: shapes.get(input)!.length * CHAR, height: LINE, labelpos: 'c' }, `${i}`));
  }
  for (const output of model.outputs) {
    const id = `output:${output.name}`;
    add({ id, kind: 'output', title: `output ${output.name}`, detail: shapes.get(output.node)!, range: spanRange(output.span), uses: 1 });
    g.setEdge(output.node, id, { width: shapes.get(output.node)!.length * CHAR, height: LINE, labelpos: 'c' }, '0');
  }

  layout(g);
  const laidNodes = nodes.map((n) => {
    const at = g.node(n.id) as { x: number; y: number };
    return { ...n, x: at.x - n.width / 2, y: at.y - n.height / 2 };
  });
  const edges: GraphEdge[] = g.edges().map((e: { v: string; w: string; name?: string }) => {
    const label = g.edge(e) as { points: Array<{ x: number; y: number }>; x: number; y: number };
    return { from: e.v, to: e.w, shape: shapes.get(e.v)!, points: label.points, labelX: label.x, labelY: label.y };
  });
  const laidGroups: GraphGroup[] = [...groups].map(([id, label]) => {
    const at = g.node(id) as { x: number; y: number; width: number; height: number };
    return { id, label, x: at.x - at.width / 2, y: at.y - at.height / 2, width: at.width, height: at.height };
  });
  const graph = g.graph() as { width?: number; height?: number };
  return { model: model.name, width: graph.width ?? 0, height: graph.height ?? 0, nodes: laidNodes, edges, groups: laidGroups };
}
