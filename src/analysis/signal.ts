import type { ActivationSpec, InitSpec, IRLayer, IRModel } from '../ir/ir.js';
import { registry } from '../registry/registry.js';
import type { SignalContext } from '../registry/op.js';
import { affineSignal, preActivation, units } from './affine-signal.js';
import { AnalysisContext } from './moments.js';

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
export function analyzeSignal(model: IRModel): SignalAnalysis {
  // Per node, by its index in `model.nodes`; inputs are looked up by id once.
  const count = model.nodes.length;
  const index = new Map<string, number>();
  model.nodes.forEach((node, i) => index.set(node.id, i));
  const layers = new Map(model.layers.map((l) => [l.id, l]));
  const rows: SignalRow[] = new Array(count);
  const reference = new Float64Array(count);
  const activated = new Uint8Array(count);
  const centered = new Float64Array(count);
  const inputIndices: number[][] = new Array(count);
  const ctxAt = new AnalysisContext();
  const contextAt = (i: number) => {
    const inputs = inputIndices[i]!;
    return ctxAt.at(
      inputs.map((k) => model.nodes[k]!.type),
      inputs.map((k) => activated[k] === 1),
      inputs.map((k) => centered[k]!),
    );
  };
  for (let i = 0; i < count; i++) {
    const node = model.nodes[i]!;
    if (node.kind === 'input') {
      rows[i] = { node: node.id, layer: null, op: 'input', line: node.span.start.line, depth: 0, forward: 1, forwardGain: 1, layerGain: 1, backward: 0, layerBackwardGain: 1, from: null };
      reference[i] = 1;
      centered[i] = 1;
      inputIndices[i] = [];
      continue;
    }
    const inputs = node.inputs.map((id) => index.get(id)!);
    inputIndices[i] = inputs;
    const layer = layers.get(node.layer)!;
    const op = registry.op(layer.op)!;
    const forwards = inputs.map((k) => rows[k]!.forward);
    const ctx = contextAt(i);
    const forward = op.signal ? op.signal.forward(forwards, layer, ctx) : forwards.reduce((a, b) => a + b, 0) / forwards.length;
    activated[i] = isActivated(layer, ctx.activated) ? 1 : 0;
    centered[i] = centeredFraction(layer, forwards, ctx);
    let main = inputs[0]!;
    let depth = 0;
    for (const k of inputs) {
      // The input carrying the most signal relative to its source: the path a trend follows.
      if (rows[k]!.forward > rows[main]!.forward) main = k;
      depth = Math.max(depth, rows[k]!.depth);
    }
    const mainRow = rows[main]!;
    const source = op.category === 'embedding';
    const ref = source ? forward : reference[main]!;
    reference[i] = ref;
    rows[i] = {
      node: node.id,
      layer: layer.id,
      op: layer.op,
      line: layer.span.start.line,
      depth: depth + (layer.weights.some((w) => w.trainable) ? 1 : 0),
      forward,
      forwardGain: ref > 0 ? forward / ref : 0,
      layerGain: source ? 1 : ratio(forward, mainRow.forward),
      backward: 0,
      layerBackwardGain: 1,
      from: mainRow.node,
    };
  }
  for (const output of model.outputs) rows[index.get(output.node)!]!.backward += 1;
  for (let i = count - 1; i >= 0; i--) {
    const node = model.nodes[i]!;
    if (node.kind !== 'apply') continue;
    const row = rows[i]!;
    const layer = layers.get(node.layer)!;
    const op = registry.op(layer.op)!;
    const inputs = inputIndices[i]!;
    const forwards = inputs.map((k) => rows[k]!.forward);
    const grads = op.signal ? op.signal.backward(row.backward, forwards, layer, contextAt(i)) : inputs.map(() => row.backward);
    // Gradients from several consumers add; independent, their second moments add too.
    inputs.forEach((k, j) => (rows[k]!.backward += grads[j]!));
    const main = node.inputs.indexOf(row.from!);
    row.layerBackwardGain = ratio(grads[main]!, row.backward);
  }
  return { model: model.name, rows };
}

/**
 * Whether a node's output has been through a nonlinearity since the last affine layer or
 * normalization: affine layers and normalization re-center the signal; shape ops pass it on.
 */
function isActivated(layer: IRLayer, inputs: readonly boolean[]): boolean {
  const op = registry.op(layer.op)!;
  const activation = op.activation?.(layer.attrs);
  if (activation) return activation.name !== 'linear' || (op.category === 'activation' && inputs[0]!);
  if (op.category === 'normalization' || op.category === 'embedding') return false;
  return inputs.some((a) => a);
}

/**
 * Var[a]/E[a²] of a node's output. An activation with a nonzero mean (relu's is √(v/2π))
 * leaves less variance than mean square: a normalization after it divides by the variance.
 */
function centeredFraction(layer: IRLayer, inputs: readonly number[], ctx: SignalContext): number {
  const op = registry.op(layer.op)!;
  const activation = op.activation?.(layer.attrs);
  if (activation && activation.name !== 'linear') {
    if (op.category === 'activation' && ctx.activated[0]) return ctx.centered[0]!;
    const affine = op.signal === affineSignal;
    const v = affine ? preActivation(inputs[0]!, layer, ctx) : inputs[0]!;
    const features = affine ? units(layer) : (ctx.inputs[0]!.shape[ctx.inputs[0]!.shape.length - 1] ?? 1);
    const m = ctx.activation(activation, v, features);
    return m.forward > 0 ? Math.max(0, 1 - (m.mean * m.mean) / m.forward) : 1;
  }
  // Zero-mean weights center an affine output; normalization and embeddings start centered.
  if (activation || op.category === 'normalization' || op.category === 'embedding') return 1;
  const total = inputs.reduce((a, b) => a + b, 0);
  return total > 0 ? inputs.reduce((sum, q, i) => sum + q * ctx.centered[i]!, 0) / total : 1;
}

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : a > 0 ? Infinity : 1;
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
