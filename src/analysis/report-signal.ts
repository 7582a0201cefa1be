import type { DiagnosticKey } from '../diagnostics/codes.js';
import type { Reporter } from '../diagnostics/reporter.js';
import type { InitSpec, IRLayer, IRModel } from '../ir/ir.js';
import { registry } from '../registry/registry.js';
import { layerSetup, type SignalAnalysis, type SignalRow } from './signal.js';

export type SignalBand = readonly [low: number, high: number];
export const DEFAULT_BAND: SignalBand = [1e-3, 1e3];

/**
 * Warns when the predicted second moment of the activations (forward) or of the gradients at
 * the weight layers (backward) leaves the band somewhere in the model, pointing at the layer
 * whose setting drives the trend, with the numbers and the fix.
 */
export function reportSignal(model: IRModel, analysis: SignalAnalysis, band: SignalBand, reporter: Reporter): void {
  const rows = new Map(analysis.rows.map((r) => [r.node, r]));
  const layers = new Map(model.layers.map((l) => [l.id, l]));
  const applied = analysis.rows.filter((r) => r.layer !== null);
  const ctx = { model, rows, layers, reporter, band };

  const forwardMin = extreme(applied, (r) => r.forwardGain, -1);
  const forwardMax = extreme(applied, (r) => r.forwardGain, 1);
  if (forwardMin && forwardMin.forwardGain < band[0]) warn('vanishingSignal', forwardMin, forwardPath(forwardMin, rows), 'forward', ctx);
  if (forwardMax && forwardMax.forwardGain > band[1]) warn('explodingSignal', forwardMax, forwardPath(forwardMax, rows), 'forward', ctx);

  const weighted = applied.filter((r) => layers.get(r.layer!)!.weights.some((w) => w.trainable));
  const backwardMin = extreme(weighted, (r) => r.backward, -1);
  const backwardMax = extreme(weighted, (r) => r.backward, 1);
  if (backwardMin && backwardMin.backward < band[0]) warn('vanishingGradient', backwardMin, backwardPath(backwardMin, model, rows), 'backward', ctx);
  if (backwardMax && backwardMax.backward > band[1]) warn('explodingGradient', backwardMax, backwardPath(backwardMax, model, rows), 'backward', ctx);
}

interface Context {
  model: IRModel;
  rows: ReadonlyMap<string, SignalRow>;
  layers: ReadonlyMap<string, IRLayer>;
  reporter: Reporter;
  band: SignalBand;
}

function extreme(rows: readonly SignalRow[], value: (r: SignalRow) => number, sign: 1 | -1): SignalRow | undefined {
  let best: SignalRow | undefined;
  for (const row of rows) if (!best || sign * value(row) > sign * value(best)) best = row;
  return best;
}

/** From the node back to its source along the dominant inputs. */
function forwardPath(row: SignalRow, rows: ReadonlyMap<string, SignalRow>): SignalRow[] {
  const path: SignalRow[] = [];
  for (let r: SignalRow | undefined = row; r && r.layer !== null; r = r.from ? rows.get(r.from) : undefined) {
    path.push(r);
    if (registry.op(r.op)?.category === 'embedding') break;
  }
  return path;
}

/** From an output back to the node (the way the gradient came), by breadth-first search over inputs. */
function backwardPath(row: SignalRow, model: IRModel, rows: ReadonlyMap<string, SignalRow>): SignalRow[] {
  const inputs = new Map(model.nodes.map((n) => [n.id, n.kind === 'apply' ? n.inputs : []]));
  const parent = new Map<string, string | null>();
  const queue: string[] = [];
  for (const output of model.outputs) {
    if (!parent.has(output.node)) {
      parent.set(output.node, null);
      queue.push(output.node);
    }
  }
  for (let head = 0; head < queue.length && !parent.has(row.node); head++) {
    for (const input of inputs.get(queue[head]!)!) {
      if (parent.has(input)) continue;
      parent.set(input, queue[head]!);
      queue.push(input);
    }
  }
  if (!parent.has(row.node)) return [row];
  const path: SignalRow[] = [];
  for (let id: string | null = row.node; id !== null; id = parent.get(id)!) path.push(rows.get(id)!);
  return path.reverse();
}

function warn(key: DiagnosticKey & ('vanishingSignal' | 'explodingSignal' | 'vanishingGradient' | 'explodingGradient'), at: SignalRow, path: SignalRow[], direction: 'forward' | 'backward', ctx: Context): void {
  const shrinking = key.startsWith('vanishing');
  const gain = (r: SignalRow) => (direction === 'forward' ? r.layerGain : r.layerBackwardGain);
  const trend = path.filter((r) => (shrinking ? gain(r) < 1 - 1e-12 : gain(r) > 1 + 1e-12));
  if (trend.length === 0) return;
  const logs = trend.map((r) => Math.log10(gain(r)));
  const total = direction === 'forward' ? at.forwardGain : at.backward;
  // A depth problem is a trend: the band must be left even without the single strongest factor
  // (a narrow output head or one odd layer is not a vanishing or exploding network).
  const strongest = logs.reduce((a, b) => (shrinking ? Math.min(a, b) : Math.max(a, b)));
  const withoutStrongest = Math.log10(total) - strongest;
  if (shrinking ? withoutStrongest >= Math.log10(ctx.band[0]) : withoutStrongest <= Math.log10(ctx.band[1])) return;
  // A layer where the prediction left float64's range has no gain of its own (0 or ∞): the trend is that of the others.
  const measured = logs.filter(Number.isFinite);
  const perLayer = 10 ** ((measured.length > 0 ? measured : logs).reduce((a, b) => a + b, 0) / Math.max(measured.length, 1));
  // A zero (zeros init) is a zero; a product of finite gains that leaves float64 is not.
  const beyond = !(total > 0 && Number.isFinite(total)) && Math.abs(measured.reduce((a, b) => a + b, 0)) > 300;
  // The layer setting that contributes most to the trend is where the fix goes.
  const groups = new Map<string, { row: SignalRow; weight: number }>();
  trend.forEach((r, i) => {
    const layer = ctx.layers.get(r.layer!)!;
    const key = `${layer.span.start.offset}:${layerSetup(layer)}`;
    const group = groups.get(key) ?? { row: r, weight: 0 };
    group.weight += Math.abs(logs[i]!);
    groups.set(key, group);
  });
  const setter = [...groups.values()].sort((a, b) => b.weight - a.weight)[0]!.row;
  const layer = ctx.layers.get(setter.layer!)!;
  const node = ctx.model.nodes.find((n) => n.id === at.node)!;
  const name = (node.kind === 'apply' && node.name) || at.layer!;
  ctx.reporter.report(key, layer.span, {
    quantity: direction === 'forward' ? 'activation variance' : 'gradient variance',
    change: shrinking ? 'shrinks' : 'grows',
    perLayer: round(perLayer),
    count: trend.length,
    config: layerSetup(layer),
    total: `10^${power(total, beyond)}`,
    at: name,
    what: `${shrinking ? 'vanishing' : 'exploding'} ${direction === 'forward' ? 'signal' : 'gradient'}`,
  }, {
    labels: node.span.start.offset === layer.span.start.offset ? [] : [{ span: node.span, message: `×10^${power(total, beyond)} here` }],
    help: fix(layer, shrinking),
  });
}

function fix(layer: IRLayer, shrinking: boolean): string {
  const op = registry.op(layer.op)!;
  if (op.category === 'merge') {
    return shrinking ? 'the merge shrinks the signal; scale its inputs up or normalize after it with `layer_norm`' : 'each residual `add` sums the variances of its inputs: normalize (`layer_norm`) inside the branch, or scale the branch down (e.g. a smaller init on its last layer)';
  }
  const kernel = layer.weights.find((w) => w.trainable && w.shape.length >= 2);
  if (kernel) {
    const init: InitSpec = kernel.init;
    if ((init.name === 'identity' || init.name === 'orthogonal') && init.params.gain !== undefined && init.params.gain !== 1) {
      return `\`${init.name}(${init.params.gain})\` multiplies the variance by ${round(init.params.gain ** 2)} at every layer: use a gain of 1, \`init=${init.name}(1)\``;
    }
    const activation = op.activation?.(layer.attrs);
    const auto = activation ? registry.activation(activation.name)?.autoInit : undefined;
    const current = registry.initializer(init.name)!;
    // Suggest the activation's scheme only where it would change the variance (xavier is lecun for square layers).
    const better = auto && auto !== init.name && current.variance(init, kernel) !== undefined
      && Math.abs(registry.initializer(auto)!.meanSquare({ name: auto, params: {} }, kernel) / current.meanSquare(init, kernel) - 1) > 1e-9;
    if (better) {
      return `use \`init=${auto}\`, the scheme that keeps the variance of ${activation!.name} layers (or leave \`init\` out: \`auto\` picks it)`;
    }
  }
  return 'normalize with `batch_norm` or `layer_norm`, or change the initializer\'s scale';
}

function round(x: number): string {
  return Number(x.toPrecision(3)).toString();
}

/** log10 of x as the message shows it; beyond float64's range, the bound that was crossed. */
function power(x: number, beyondFloat64 = false): string {
  if (x === 0) return beyondFloat64 ? '-308 or less (float64 runs out there)' : '-∞';
  if (x === Infinity) return beyondFloat64 ? '308 or more (float64 runs out there)' : '∞';
  const p = Math.log10(x);
  return Number(p.toFixed(1)).toString();
}
