import type { IRApplyNode, IRModel } from './ir.js';

/**
 * How a large graph is built in parts. TensorFlow.js builds a model (`tf.model`) by recursing
 * through its graph, one stack frame per layer on the longest path, and overflows the stack
 * at about 4,500 layers; it also checks every node against every other while doing so. A graph
 * of more than a thousand nodes is therefore cut into parts of a few hundred nodes, each a
 * sub-model applied as one layer of the whole.
 *
 * What stays at the top level: every application of a shared layer (a layer may belong to one
 * sub-model only, or its weights would count twice), and the nodes of the model's outputs (tfjs
 * names an output after the layer producing it, which must be a layer of the whole). tfjs
 * evaluates a layer of several outputs once per output it needs, so parts are cut where only
 * one tensor flows on: one output each, wherever the graph allows it.
 */
export interface PartitionSizes {
  /** Graphs of at most this many nodes are built in one piece. */
  flat: number;
  /** A part closes at the first point past this size where a single tensor flows on... */
  part: number;
  /** ...and at this size in any case. */
  limit: number;
  /** A run of nodes between top-level nodes shorter than this stays at the top level. */
  minimum: number;
}

export const PARTITION_SIZES: PartitionSizes = { flat: 1_000, part: 400, limit: 1_000, minimum: 16 };

/** The longest path of the top-level graph that tfjs builds with room to spare on the stack. */
export const TOP_DEPTH_LIMIT = 2_000;

export interface GraphPartition {
  /** Indices into `model.nodes` of the apply nodes, in the order they are built. */
  order: number[];
  /** Parts as ranges `[from, to)` of `order`; everything else is at the top level. */
  parts: Array<{ from: number; to: number }>;
  /** Nodes on the longest path of the top-level graph, counting each part as one. */
  topDepth: number;
}

/**
 * The parts of a large model, or null when it is built as one flat graph. Linear in the size
 * of the graph, without recursion. Tests pass smaller sizes to build small models in parts.
 */
export function partitionGraph(model: IRModel, sizes: PartitionSizes = PARTITION_SIZES): GraphPartition | null {
  const applies: Array<{ index: number; node: IRApplyNode }> = [];
  model.nodes.forEach((node, index) => {
    if (node.kind === 'apply') applies.push({ index, node });
  });
  if (applies.length <= sizes.flat) return null;

  const uses = new Map<string, number>();
  const readers = new Map<string, number>();
  for (const { node } of applies) {
    uses.set(node.layer, (uses.get(node.layer) ?? 0) + 1);
    for (const input of new Set(node.inputs)) readers.set(input, (readers.get(input) ?? 0) + 1);
  }
  const outputNodes = new Set(model.outputs.map((port) => port.node));
  const topLevel = (node: IRApplyNode) => uses.get(node.layer)! > 1 || outputNodes.has(node.id);

  // Top-level nodes nothing reads (outputs, as a rule) move to the end, out of the way of the cuts.
  const inPlace = applies.filter(({ node }) => !topLevel(node) || readers.has(node.id));
  const deferred = applies.filter(({ node }) => topLevel(node) && !readers.has(node.id));
  const sequence = [...inPlace, ...deferred];

  const position = new Map<string, number>();
  const lastRead = new Map<string, number>();
  sequence.forEach(({ node }, i) => {
    position.set(node.id, i);
    for (const input of node.inputs) lastRead.set(input, i);
  });
  for (const id of outputNodes) lastRead.set(id, Infinity);

  const parts: GraphPartition['parts'] = [];
  let start = -1;
  let live = 0;
  const close = (end: number) => {
    if (start >= 0 && end - start >= sizes.minimum) parts.push({ from: start, to: end });
    start = -1;
    live = 0;
  };
  sequence.forEach(({ node }, i) => {
    if (topLevel(node)) {
      close(i);
      return;
    }
    if (start < 0) start = i;
    // `live` counts the tensors made in this part that are still read after node i.
    for (const input of new Set(node.inputs)) {
      const from = position.get(input);
      if (from !== undefined && from >= start && lastRead.get(input) === i) live--;
    }
    if ((lastRead.get(node.id) ?? -1) > i) live++;
    const size = i + 1 - start;
    if ((size >= sizes.part && live === 1) || size >= sizes.limit) close(i + 1);
  });
  close(sequence.length);

  return { order: sequence.map(({ index }) => index), parts, topDepth: topLevelDepth(sequence.map(({ node }) => node), parts) };
}

/** The longest path through the top-level graph: inputs at depth 0, each node or part one more than its deepest input. */
function topLevelDepth(sequence: readonly IRApplyNode[], parts: GraphPartition['parts']): number {
  const item = new Int32Array(sequence.length).map((_, i) => i + parts.length);
  parts.forEach(({ from, to }, p) => item.fill(p, from, to));
  const itemOf = new Map<string, number>(sequence.map((node, i) => [node.id, item[i]!]));
  const depth = new Map<number, number>();
  let deepest = 0;
  sequence.forEach((node, i) => {
    let d = depth.get(item[i]!) ?? 1;
    for (const input of node.inputs) {
      const source = itemOf.get(input);
      if (source !== undefined && source !== item[i]) d = Math.max(d, depth.get(source)! + 1);
    }
    depth.set(item[i]!, d);
    deepest = Math.max(deepest, d);
  });
  return deepest;
}
