import type { ActivationSpec, InitSpec, IRApplyNode, IRLayer, IRModel } from '../ir/ir.js';
import { registry } from '../registry/registry.js';
import { AnalysisContext, type MomentTables } from './moments.js';

/** The depth analysis' prediction for one node of the graph, at initialization. */
export interface SignalRow {
  node: string;
  /** The layer applied (null for inputs). */
  layer: string | null;
  op: string;
  line: number;
  /** Weight layers on the longest path from an input to here. */
  depth: number;
  /** Predicted E[a²] of the node's output, for N(0, 1) inputs. */
  forward: number;
  /** `forward` relative to the scale of its source (the input, or an embedding that starts a path). */
  forwardGain: number;
  /** This node's own factor on the second moment of its (main) input. */
  layerGain: number;
  /** Predicted E[(dL/da)²] at the node's output, for unit-variance gradients at the outputs. */
  backward: number;
  /** This node's own factor on the gradient's second moment, from its output to its (main) input. */
  layerBackwardGain: number;
  /** The node on the dominant path into this one (the input carrying most of the signal). */
  from: string | null;
}

export interface SignalAnalysis {
  model: string;
  rows: SignalRow[];
}

/**
 * Mean-field propagation of second moments through the graph at initialization: forward from
 * N(0, 1) inputs, backward from unit gradients at the outputs, each op by its own signal rule
 * (src/ops: affine layers scale by n·E[w²]·E[act(z)²], merges combine, normalization resets).
 * Walks the nodes in order, without recursion.
 */
export function analyzeSignal(model: IRModel, tables?: MomentTables): SignalAnalysis {
  const layers = new Map(model.layers.map((l) => [l.id, l]));
  const rows = new Map<string, SignalRow>();
  const reference = new Map<string, number>();
  const types = new Map(model.nodes.map((n) => [n.id, n.type]));
  const activated = new Map<string, boolean>();
  const means = new Map<string, number>();
  const offsets = new Map<string, number>();
  const ctxAt = new AnalysisContext(tables);
  const at = (node: IRApplyNode) =>
    ctxAt.at(
      node.inputs.map((id) => types.get(id)!),
      node.inputs.map((id) => activated.get(id)!),
      node.inputs.map((id) => means.get(id)!),
      node.inputs.map((id) => centeredFraction(rows.get(id)!.forward, means.get(id)!)),
      node.inputs.map((id) => offsets.get(id)!),
    );
  for (const node of model.nodes) {
    if (node.kind === 'input') {
      rows.set(node.id, { node: node.id, layer: null, op: 'input', line: node.span.start.line, depth: 0, forward: 1, forwardGain: 1, layerGain: 1, backward: 0, layerBackwardGain: 1, from: null });
      reference.set(node.id, 1);
      activated.set(node.id, false);
      means.set(node.id, 0);
      offsets.set(node.id, 0);
      continue;
    }
    const layer = layers.get(node.layer)!;
    const op = registry.op(layer.op)!;
    const inputs = node.inputs.map((id) => rows.get(id)!.forward);
    const ctx = at(node);
    const forward = op.signal ? op.signal.forward(inputs, layer, ctx) : inputs.reduce((a, b) => a + b, 0) / inputs.length;
    const mean = op.signal?.mean ? op.signal.mean(inputs, layer, ctx) : ctx.means.reduce((a, b) => a + b, 0) / inputs.length;
    const offset = op.signal?.offset ? op.signal.offset(inputs, layer, ctx) : ctx.offsets.reduce((a, b) => a + b, 0) / inputs.length;
    activated.set(node.id, isActivated(layer, ctx.activated));
    // E[x]² ≤ offsets ≤ E[x²], whatever rounding does to the rules.
    const square = Math.max(forward, 0);
    const bounded = Math.sign(mean) * Math.min(Math.abs(mean), Math.sqrt(square));
    means.set(node.id, bounded);
    offsets.set(node.id, Math.min(Math.max(offset, bounded * bounded), square));
    const main = dominant(node, rows);
    const mainRow = rows.get(main)!;
    const source = op.category === 'embedding';
    const ref = source ? forward : reference.get(main)!;
    reference.set(node.id, ref);
    rows.set(node.id, {
      node: node.id,
      layer: layer.id,
      op: layer.op,
      line: layer.span.start.line,
      depth: node.inputs.reduce((d, id) => Math.max(d, rows.get(id)!.depth), 0) + (layer.weights.some((w) => w.trainable) ? 1 : 0),
      forward,
      forwardGain: ref > 0 ? forward / ref : 0,
      layerGain: source ? 1 : ratio(forward, mainRow.forward),
      backward: 0,
      layerBackwardGain: 1,
      from: main,
    });
  }
  for (const output of model.outputs) rows.get(output.node)!.backward += 1;
  for (let i = model.nodes.length - 1; i >= 0; i--) {
    const node = model.nodes[i]!;
    if (node.kind !== 'apply') continue;
    const row = rows.get(node.id)!;
    const layer = layers.get(node.layer)!;
    const op = registry.op(layer.op)!;
    const inputs = node.inputs.map((id) => rows.get(id)!.forward);
    const ctx = at(node);
    const grads = op.signal ? op.signal.backward(row.backward, inputs, layer, ctx) : inputs.map(() => row.backward);
    // Gradients from several consumers add; independent, their second moments add too.
    node.inputs.forEach((id, k) => (rows.get(id)!.backward += grads[k]!));
    const main = node.inputs.indexOf(row.from!);
    row.layerBackwardGain = ratio(grads[main]!, row.backward);
  }
  return { model: model.name, rows: [...rows.values()] };
}

/**
 * Whether a node's output is directly the output of a nonlinearity: affine layers and
 * normalization re-center the signal, merges mix it with others (a sum of a relu's output and a
 * branch is not a relu's output), shape ops pass it on.
 */
function isActivated(layer: IRLayer, inputs: readonly boolean[]): boolean {
  const op = registry.op(layer.op)!;
  const activation = op.activation?.(layer.attrs);
  if (activation) return activation.name !== 'linear' || (op.category === 'activation' && inputs[0]!);
  if (op.category === 'normalization' || op.category === 'embedding' || op.category === 'merge') return false;
  return inputs.some((a) => a);
}

/** Var[a]/E[a²] from E[a²] and E[a]: what a normalization divides by is the variance, not the mean square. */
function centeredFraction(meanSquare: number, mean: number): number {
  return meanSquare > 0 ? Math.max(0, 1 - (mean * mean) / meanSquare) : 1;
}

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : a > 0 ? Infinity : 1;
}

/** The input carrying the most signal relative to its source: the path a trend follows. */
function dominant(node: IRApplyNode, rows: ReadonlyMap<string, SignalRow>): string {
  let best = node.inputs[0]!;
  for (const id of node.inputs) if (rows.get(id)!.forward > rows.get(best)!.forward) best = id;
  return best;
}

/** `xavier (auto) with relu`: how a layer is set up, for messages. */
export function layerSetup(layer: IRLayer): string {
  const kernel = layer.weights.find((w) => w.trainable && w.shape.length >= 2) ?? layer.weights[0];
  const activation = layer.attrs.activation as ActivationSpec | undefined;
  const parts: string[] = [];
  if (kernel) parts.push(initText(kernel.init));
  if (activation) parts.push(`with ${activationText(activation)}`);
  else if (registry.op(layer.op)?.category === 'activation') parts.push(layer.op);
  else if (!kernel) parts.push(layer.op);
  return parts.join(' ');
}

export function initText(init: InitSpec): string {
  const params = Object.values(init.params);
  return `${init.name}${params.length ? `(${params.join(', ')})` : ''}`;
}

function activationText(spec: ActivationSpec): string {
  const params = Object.values(spec.params);
  return `${spec.name}${params.length ? `(${params.join(', ')})` : ''}`;
}
