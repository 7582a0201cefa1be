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
 * names an output after the layer producing it, which must be a layer of the whole).
 *
 * tfjs runs a layer of several outputs once for each output it needs. So parts are cut where a
 * single tensor flows on, wherever the graph allows it; where several tensors flow side by side
 * for longer than a part, a part gives them all on and runs once per tensor, which only costs
 * time unless it holds a layer that acts when it runs in training (dropout draws a new mask,
 * batch_norm moves its statistics): such nodes stay at the top level instead.
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

/** Ops whose layers act each time they run in training: a part holding one must run once per step. */
const ACTS_IN_TRAINING: ReadonlySet<string> = new Set(['dropout', 'batch_norm']);

/**
 * The parts of a large model, or null when it is built as one flat graph. Linear in the size
 * of the graph, without recursion. Tests pass smaller sizes to build small models in parts.
 */
export function partitionGraph(model: IRModel, sizes: PartitionSizes = PARTITION_SIZES): GraphPartition | null {
  const order: number[] = [];
  const sequence: IRApplyNode[] = [];
  model.nodes.forEach((node, index) => {
    if (node.kind !== 'apply') return;
    order.push(index);
    sequence.push(node);
  });
  if (sequence.length <= sizes.flat) return null;

  // Per node of the sequence: its inputs' positions (-1 for a model input, each input once),
  // the last position reading it, and whether it must stay at the top level.
  const count = sequence.length;
  const position = new Map<string, number>();
  sequence.forEach((node, i) => position.set(node.id, i));
  const inputs = sequence.map((node) => distinct(node.inputs.map((id) => position.get(id) ?? -1)));
  const lastRead = new Float64Array(count).fill(-1);
  inputs.forEach((list, i) => {
    for (const k of list) if (k >= 0) lastRead[k] = i;
  });
  for (const port of model.outputs) {
    const k = position.get(port.node);
    if (k !== undefined) lastRead[k] = Infinity;
  }
  const layers = new Map(model.layers.map((layer) => [layer.id, { op: layer.op, uses: 0 }]));
  for (const node of sequence) layers.get(node.layer)!.uses++;
  const topLevel = new Uint8Array(count);
  const acts = new Uint8Array(count);
  sequence.forEach((node, i) => {
    const layer = layers.get(node.layer)!;
    topLevel[i] = layer.uses > 1 || lastRead[i] === Infinity ? 1 : 0;
    acts[i] = ACTS_IN_TRAINING.has(layer.op) ? 1 : 0;
  });

  const parts: GraphPartition['parts'] = [];
  // The open part [start, i], the tensors made in it that are read after i, and the last point
  // in it where only one was (a cut there gives a single output).
  let start = -1;
  let live = 0;
  let single = -1;
  let acting = -1;
  const add = (i: number) => {
    for (const k of inputs[i]!) if (k >= start && lastRead[k] === i) live--;
    if (lastRead[i]! > i) live++;
    if (live === 1) single = i + 1;
    if (acts[i]) acting = i;
  };
  const open = (from: number, to: number) => {
    start = from;
    live = 0;
    single = -1;
    acting = -1;
    for (let k = from; k < to; k++) add(k);
  };
  // Closes the part at `end`, or at its last single-output point when several tensors flow on
  // there and the part holds a layer that acts in training; what is left over stays at the top.
  const close = (end: number) => {
    if (start < 0) return;
    const cut = live === 1 || acting < start ? end : single;
    if (cut - start >= sizes.minimum) parts.push({ from: start, to: cut });
    start = -1;
  };
  for (let i = 0; i < count; i++) {
    if (topLevel[i]) {
      close(i);
      continue;
    }
    if (start < 0) open(i, i);
    add(i);
    const size = i + 1 - start;
    if (size >= sizes.part && live === 1) {
      close(i + 1);
    } else if (size >= sizes.limit) {
      // Back to the last single-output point, if the part keeps half its size; the rest starts the next part.
      if (single - start >= sizes.part / 2) {
        const next = single;
        close(next);
        open(next, i + 1);
      } else {
        close(i + 1);
      }
    }
  }
  close(count);

  return { order, parts, topDepth: topLevelDepth(inputs, parts) };
}

/** The values once each, in order of first appearance. */
function distinct(values: number[]): number[] {
  return values.length < 2 || (values.length === 2 && values[0] !== values[1]) ? values : [...new Set(values)];
}

/** The longest path through the top-level graph: inputs at depth 0, each node or part one more than its deepest input. */
function topLevelDepth(inputs: readonly number[][], parts: GraphPartition['parts']): number {
  const count = inputs.length;
  // The item of each node: its part, or itself; items are numbered so that parts come first.
  const item = new Int32Array(count);
  for (let i = 0; i < count; i++) item[i] = parts.length + i;
  parts.forEach(({ from, to }, p) => item.fill(p, from, to));
  const depth = new Int32Array(parts.length + count);
  let deepest = 0;
  for (let i = 0; i < count; i++) {
    const own = item[i]!;
    let d = Math.max(depth[own]!, 1);
    for (const k of inputs[i]!) if (k >= 0 && item[k] !== own) d = Math.max(d, depth[item[k]!]! + 1);
    depth[own] = d;
    if (d > deepest) deepest = d;
  }
  return deepest;
}
