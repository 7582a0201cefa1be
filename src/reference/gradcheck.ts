import type { IRModel } from '../ir/ir.js';
import { ReferenceModel, type RunOptions } from './engine.js';
import { Random } from './random.js';
import { randomBatch, type Batch } from './random-batch.js';
import type { Tensor64 } from './tensor.js';

export type GradcheckMode = 'full' | 'sample' | 'fast';
export type Grade = 'excellent' | 'acceptable' | 'suspect' | 'bug';

export interface GradcheckOptions {
  mode?: GradcheckMode;
  /** Components checked per tensor in `sample` mode. */
  samples?: number;
  /** Random directions in `fast` mode. */
  directions?: number;
  epsilon?: number;
  batch?: number;
  seed?: number;
  /** A batch to check on instead of random data. */
  data?: Batch;
  /** Replaces the analytic gradient (tests use it to prove a wrong gradient is caught). */
  analytic?: (model: ReferenceModel, batch: Batch) => Map<string, Tensor64[]>;
}

export interface TensorCheck {
  /** `hidden/dense_1/kernel` */
  name: string;
  layer: string;
  weight: string;
  /** Source line of the layer. */
  line: number;
  shape: number[];
  checked: number;
  /** Components skipped because θ±ε crossed a kink (relu at 0, a max changing its argmax...). */
  kinks: number;
  /**
   * Components skipped because both gradients are below what a finite difference can resolve
   * (the loss's rounding error over 2ε): typically a vanishing gradient deep in the network.
   */
  unresolved: number;
  difference: number;
  grade: Grade;
}

export interface GradcheckReport {
  model: string;
  mode: GradcheckMode;
  epsilon: number;
  batch: number;
  seed: number;
  loss: number;
  parameters: number;
  difference: number;
  grade: Grade;
  tensors: TensorCheck[];
  /** Fast mode: each direction's difference. */
  directions?: number[];
  notes: string[];
}

/** ≤ 1e-7 excellent; ≤ 1e-5 acceptable (re-check); below 1e-3 suspect; from 1e-3 a bug in backprop. */
export function grade(difference: number): Grade {
  if (!(difference <= 1e-3)) return 'bug';
  if (difference <= 1e-7) return 'excellent';
  if (difference <= 1e-5) return 'acceptable';
  return 'suspect';
}

/** ‖a − b‖₂ / (‖a‖₂ + ‖b‖₂), 0 when both vanish. */
export function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i]! - b[i]!) ** 2;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  const denominator = Math.sqrt(na) + Math.sqrt(nb);
  return denominator === 0 ? 0 : Math.sqrt(diff) / denominator;
}

/** FNV-1a over the kink decisions of one evaluation. */
class BranchHash {
  value = 0x811c9dc5;
  count = 0;
  add = (decisions: ArrayLike<number>): void => {
    let h = this.value;
    for (let i = 0; i < decisions.length; i++) h = Math.imul(h ^ (decisions[i]! | 0), 0x01000193) >>> 0;
    this.value = h;
    this.count += decisions.length;
  };
}

/**
 * Compares the reference engine's analytic gradients with central differences of the loss,
 * J(θ + εe_i) − J(θ − εe_i) over the step actually realised in floating point.
 */
export function checkGradients(model: IRModel, options: GradcheckOptions = {}): GradcheckReport {
  const mode = options.mode ?? (countTrainable(model) > 5000 ? 'sample' : 'full');
  const epsilon = options.epsilon ?? 1e-6;
  const batchSize = options.batch ?? 4;
  const seed = options.seed ?? 0;
  const reference = new ReferenceModel(model, seed);
  const batch = options.data ?? randomBatch(model, batchSize, seed);
  const run: RunOptions = { training: true, dropout: false };
  const analytic = options.analytic?.(reference, batch) ?? reference.gradients(batch.inputs, batch.targets, run).weights;
  const evaluate = (): { loss: number; branches: string } => {
    const hash = new BranchHash();
    const forward = reference.forward(batch.inputs, { ...run, onBranches: hash.add });
    const loss = reference.loss(forward.outputs, batch.targets, run).total;
    return { loss, branches: `${hash.value}:${hash.count}` };
  };
  const base = evaluate();
  const random = new Random(seed + 1);
  const notes: string[] = [];
  if (model.layers.some((l) => l.op === 'dropout')) notes.push('dropout is disabled: a gradient check needs a deterministic loss');
  if (model.layers.some((l) => l.op === 'batch_norm')) notes.push('batch_norm runs in training mode (batch statistics), as during fit');

  const slots = trainableSlots(model, reference);
  const report = (tensors: TensorCheck[], difference: number, directions?: number[]): GradcheckReport => ({
    model: model.name,
    mode,
    epsilon,
    batch: batch.inputs.values().next().value?.shape[0] ?? batchSize,
    seed,
    loss: base.loss,
    parameters: slots.reduce((n, s) => n + s.value.data.length, 0),
    difference,
    grade: grade(difference),
    tensors,
    ...(directions ? { directions } : {}),
    notes,
  });

  if (mode === 'fast') {
    const differences: number[] = [];
    for (let k = 0; k < (options.directions ?? 4); k++) {
      const d = directionalCheck(slots, analytic, epsilon, random, evaluate, base.branches);
      if (d !== undefined) differences.push(d);
    }
    const worst = differences.length ? Math.max(...differences) : 0;
    if (grade(worst) === 'excellent' || grade(worst) === 'acceptable') return report([], worst, differences);
    notes.push('a direction disagreed: checking each tensor to find where');
    const tensors = slots.map((slot) => componentCheck(slot, analytic, epsilon, 'sample', options.samples ?? 20, random, evaluate, base.branches));
    return report(tensors, overall(slots), differences);
  }
  const tensors = slots.map((slot) => componentCheck(slot, analytic, epsilon, mode, options.samples ?? 20, random, evaluate, base.branches));
  return report(tensors, overall(slots));
}

interface Slot {
  layer: string;
  index: number;
  weight: string;
  line: number;
  value: Tensor64;
  /** Filled by componentCheck: numeric and analytic values of the checked components. */
  numeric?: number[];
  analytic?: number[];
}

function countTrainable(model: IRModel): number {
  return model.layers.reduce((n, l) => n + l.weights.filter((w) => w.trainable).reduce((m, w) => m + w.shape.reduce((a, b) => a * b, 1), 0), 0);
}

function trainableSlots(model: IRModel, reference: ReferenceModel): Slot[] {
  return model.layers.flatMap((layer) =>
    layer.weights.flatMap((w, index) =>
      w.trainable ? [{ layer: layer.id, index, weight: w.name, line: layer.span.start.line, value: reference.params.get(layer.id)![index]! }] : [],
    ),
  );
}

function componentCheck(
  slot: Slot,
  analytic: Map<string, Tensor64[]>,
  epsilon: number,
  mode: 'full' | 'sample',
  samples: number,
  random: Random,
  evaluate: () => { loss: number; branches: string },
  baseBranches: string,
): TensorCheck {
  const data = slot.value.data;
  const gradient = analytic.get(slot.layer)![slot.index]!.data;
  const order = mode === 'full' || data.length <= samples ? [...data.keys()] : shuffled(data.length, random);
  const wanted = mode === 'full' ? data.length : Math.min(samples, data.length);
  const numeric: number[] = [];
  const exact: number[] = [];
  let kinks = 0;
  let unresolved = 0;
  for (const i of order) {
    if (numeric.length >= wanted) break;
    const original = data[i]!;
    const plus = original + epsilon;
    const minus = original - epsilon;
    data[i] = plus;
    const up = evaluate();
    data[i] = minus;
    const down = evaluate();
    data[i] = original;
    if (up.branches !== baseBranches || down.branches !== baseBranches) {
      kinks++;
      continue;
    }
    const approx = (up.loss - down.loss) / (plus - minus);
    // Rounding in J(θ±ε) is about 2⁻⁵² |J| each: a difference below a few of those is noise.
    const floor = (8 * Number.EPSILON * Math.max(Math.abs(up.loss), Math.abs(down.loss), Number.MIN_VALUE)) / (plus - minus);
    if (gradient[i] !== 0 && Math.abs(approx) < floor && Math.abs(gradient[i]!) < floor) {
      unresolved++;
      continue;
    }
    numeric.push(approx);
    exact.push(gradient[i]!);
  }
  slot.numeric = numeric;
  slot.analytic = exact;
  const difference = relativeDifference(numeric, exact);
  return {
    name: `${slot.layer}/${slot.weight}`,
    layer: slot.layer,
    weight: slot.weight,
    line: slot.line,
    shape: [...slot.value.shape],
    checked: numeric.length,
    kinks,
    unresolved,
    difference,
    grade: grade(difference),
  };
}

/** The difference over every component checked, all tensors together. */
function overall(slots: Slot[]): number {
  return relativeDifference(slots.flatMap((s) => s.numeric ?? []), slots.flatMap((s) => s.analytic ?? []));
}

/** Compares vᵀ·dθ with (J(θ + εv) − J(θ − εv)) over the realised step, for one random unit v. */
function directionalCheck(
  slots: Slot[],
  analytic: Map<string, Tensor64[]>,
  epsilon: number,
  random: Random,
  evaluate: () => { loss: number; branches: string },
  baseBranches: string,
): number | undefined {
  const directions = slots.map((s) => Float64Array.from(s.value.data, () => random.normal()));
  const norm = Math.sqrt(directions.reduce((n, d) => n + d.reduce((m, x) => m + x * x, 0), 0));
  const originals = slots.map((s) => s.value.data.slice());
  const set = (sign: number): void =>
    slots.forEach((s, k) => {
      for (let i = 0; i < s.value.data.length; i++) s.value.data[i] = originals[k]![i]! + (sign * epsilon * directions[k]![i]!) / norm;
    });
  set(1);
  const plusValues = slots.map((s) => s.value.data.slice());
  const up = evaluate();
  set(-1);
  let predicted = 0;
  slots.forEach((s, k) => {
    const g = analytic.get(s.layer)![s.index]!.data;
    for (let i = 0; i < g.length; i++) predicted += g[i]! * (plusValues[k]![i]! - s.value.data[i]!);
  });
  const down = evaluate();
  slots.forEach((s, k) => s.value.data.set(originals[k]!));
  if (up.branches !== baseBranches || down.branches !== baseBranches) return undefined;
  return relativeDifference([up.loss - down.loss], [predicted]);
}

function shuffled(n: number, random: Random): number[] {
  const order = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
