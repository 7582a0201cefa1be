import type { IRModel } from '../ir/ir.js';
import { ReferenceModel, type RunOptions } from './engine.js';
import { BranchHash, centralDifferences, componentOrder, type Evaluation } from './finite-difference.js';
import { gradeAt, relativeDifference, resolutionOf, worst, type Grade } from './grades.js';
import { layerwiseRows, type Slot } from './layerwise-rows.js';
import { tensorRow, type TensorCheck } from './tensor-check.js';
import { Random } from './random.js';
import { randomBatch, type Batch } from './random-batch.js';
import type { Tensor64 } from './tensor.js';

export { grade, relativeDifference, type Grade } from './grades.js';

export type { CheckMethod, TensorCheck } from './tensor-check.js';

export type GradcheckMode = 'full' | 'sample' | 'fast';

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
  /** Changes the engine before the check (tests swap in an op with a wrong backward). */
  prepare?: (model: ReferenceModel) => void;
}

export interface GradcheckReport {
  model: string;
  mode: GradcheckMode;
  epsilon: number;
  batch: number;
  seed: number;
  loss: number;
  parameters: number;
  /** Over every component the loss resolved, all tensors together; the worst layer-by-layer difference if larger. */
  difference: number;
  /** The worst grade of any tensor (of the directions, in a fast check that needed no tensors). */
  grade: Grade;
  tensors: TensorCheck[];
  /** Fast mode: each direction's difference. */
  directions?: number[];
  notes: string[];
}

/**
 * Compares the reference engine's analytic gradients with central differences of the loss,
 * J(θ + εe_i) − J(θ − εe_i) over the step actually realised in floating point. A tensor the
 * loss cannot resolve (every component below the rounding of J, or a disagreement rounding
 * explains) is checked layer by layer instead (layerwise.ts).
 */
export function checkGradients(model: IRModel, options: GradcheckOptions = {}): GradcheckReport {
  const mode = options.mode ?? (countTrainable(model) > 5000 ? 'sample' : 'full');
  const epsilon = options.epsilon ?? 1e-6;
  const batchSize = options.batch ?? 4;
  const seed = options.seed ?? 0;
  const samples = options.samples ?? 20;
  const reference = new ReferenceModel(model, seed);
  options.prepare?.(reference);
  const batch = options.data ?? randomBatch(model, batchSize, seed);
  const run: RunOptions = { training: true, dropout: false };
  const analytic = options.analytic?.(reference, batch) ?? reference.gradients(batch.inputs, batch.targets, run).weights;
  const evaluate = (): Evaluation => {
    const hash = new BranchHash();
    const forward = reference.forward(batch.inputs, { ...run, onBranches: hash.add });
    const loss = reference.loss(forward.outputs, batch.targets, { ...run, onBranches: hash.add });
    let scale = 0;
    for (const [name, value] of loss.perOutput) scale += Math.abs(model.train!.losses[name]!.weight * value);
    return { value: loss.total, scale, branches: hash.key };
  };
  const base = evaluate();
  const random = new Random(seed + 1);
  const notes: string[] = [];
  if (model.layers.some((l) => l.op === 'dropout')) notes.push('dropout is disabled: a gradient check needs a deterministic loss');
  if (model.layers.some((l) => l.op === 'batch_norm')) notes.push('batch_norm runs in training mode (batch statistics), as during fit');

  const slots = trainableSlots(model, reference);
  const report = (tensors: TensorCheck[], difference: number, overallGrade: Grade, directions?: number[]): GradcheckReport => ({
    model: model.name,
    mode,
    epsilon,
    batch: batch.inputs.values().next().value?.shape[0] ?? batchSize,
    seed,
    loss: base.value,
    parameters: slots.reduce((n, s) => n + s.value.data.length, 0),
    difference,
    grade: overallGrade,
    tensors,
    ...(directions ? { directions } : {}),
    notes,
  });

  let directions: number[] | undefined;
  let toCheck = slots;
  let all = mode === 'full';
  let directionVerdict: { difference: number; grade: Grade } | undefined;
  if (mode === 'fast') {
    directions = [];
    const grades: Grade[] = [];
    for (let k = 0; k < (options.directions ?? 4); k++) {
      const d = directionalCheck(slots, analytic, epsilon, random, evaluate, base.branches);
      if (!d) continue;
      directions.push(d.difference);
      grades.push(gradeAt(d.difference, d.resolution, 1));
    }
    const verdict = worst(grades);
    if (grades.length > 0 && (verdict === 'excellent' || verdict === 'acceptable')) {
      directionVerdict = { difference: directions.reduce((a, b) => Math.max(a, b), 0), grade: verdict };
      toCheck = uncovered(slots, analytic);
      if (toCheck.length === 0) return report([], directionVerdict.difference, verdict, directions);
      notes.push(
        `${toCheck.length} of ${slots.length} tensors carry too small a share of the gradient (below 1e-4 of its norm) for random directions to show an error in them: checking them one by one`,
      );
    } else {
      notes.push(grades.length === 0 || verdict === 'unchecked' ? 'no direction could be resolved (kinks or rounding): checking each tensor' : 'a direction disagreed: checking each tensor to find where');
    }
    all = false;
  }
  const checked = toCheck.map((slot) => {
    const gradient = analytic.get(slot.layer)![slot.index]!.data;
    const { order, wanted } = componentOrder(slot.value.data.length, all, samples, random);
    const components = centralDifferences(slot.value.data, gradient, order, wanted, () => epsilon, evaluate, base.branches);
    return { slot, components, row: tensorRow(slot, components, 'loss') };
  });
  const tensors = layerwiseRows(
    model,
    checked.map(({ slot, row }) => ({ slot, row })),
    { model, reference, batch, run, epsilon, all, samples, seed },
    analytic,
    notes,
  );
  const byLoss = checked.filter(({ row }) => tensors.includes(row));
  const lossDifference = relativeDifference(byLoss.flatMap((c) => c.components.numeric), byLoss.flatMap((c) => c.components.analytic));
  const layerDifference = tensors.reduce((d, t) => (t.method === 'layer' && t.checked > 0 ? Math.max(d, t.difference) : d), 0);
  noteSkipped(tensors, notes);
  if (slots.length === 0) notes.push('the model has no trainable weights: there is no gradient to check');
  const grades = tensors.map((t) => t.grade);
  const difference = Math.max(lossDifference, layerDifference, directionVerdict?.difference ?? 0);
  return report(tensors, difference, grades.length > 0 ? worst([...grades, ...(directionVerdict ? [directionVerdict.grade] : [])]) : 'unchecked', directions);
}

/**
 * The tensors random directions cannot vouch for: in a direction v, a tensor's part of vᵀ·dθ is
 * about its share ‖dθ_t‖/‖dθ‖ of the whole, so an error of 10% in a tensor with a share below
 * 1e-4 moves the directional derivative by less than 1e-5, still `acceptable`. Deep layers of a
 * vanishing stack are such tensors.
 */
function uncovered(slots: Slot[], analytic: Map<string, Tensor64[]>): Slot[] {
  const norm = (values: ArrayLike<number>) => {
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[i]! ** 2;
    return Math.sqrt(sum);
  };
  const norms = slots.map((s) => norm(analytic.get(s.layer)![s.index]!.data));
  const total = norm(norms);
  return slots.filter((_, i) => !(norms[i]! >= 1e-4 * total));
}

function noteSkipped(tensors: readonly TensorCheck[], notes: string[]): void {
  const unresolved = tensors.reduce((n, t) => n + t.unresolved, 0);
  const kinks = tensors.reduce((n, t) => n + t.kinks, 0);
  const unchecked = tensors.filter((t) => t.grade === 'unchecked');
  const s = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (unresolved > 0) notes.push(`${s(unresolved, 'component')} had gradients too small for a finite difference to resolve and ${unresolved === 1 ? 'was' : 'were'} skipped`);
  if (kinks > 0) notes.push(`${s(kinks, 'component')} crossed a kink (relu at 0, a max changing its argmax) and ${kinks === 1 ? 'was' : 'were'} skipped: not a backprop bug`);
  if (unchecked.length > 0) {
    notes.push(`${s(unchecked.length, 'tensor')} could not be checked (no component could be compared, or the disagreement is within rounding): ${unchecked.map((t) => `\`${t.name}\``).join(', ')}`);
  }
}

function countTrainable(model: IRModel): number {
  return model.layers.reduce((n, l) => n + l.weights.filter((w) => w.trainable).reduce((m, w) => m + w.shape.reduce((a, b) => a * b, 1), 0), 0);
}

function trainableSlots(model: IRModel, reference: ReferenceModel): Slot[] {
  return model.layers.flatMap((layer) =>
    layer.weights.flatMap((w, index) =>
      w.trainable
        ? [{ name: `${layer.id}/${w.name}`, kind: 'weight' as const, layer: layer.id, index, weight: w.name, line: layer.span.start.line, shape: [...w.shape], value: reference.params.get(layer.id)![index]! }]
        : [],
    ),
  );
}

/**
 * Compares vᵀ·dθ with (J(θ + εv) − J(θ − εv)) over the realised step, for one random unit v;
 * undefined when the steps crossed a kink or both values are below the rounding of J.
 */
function directionalCheck(
  slots: Slot[],
  analytic: Map<string, Tensor64[]>,
  epsilon: number,
  random: Random,
  evaluate: () => Evaluation,
  baseBranches: string,
): { difference: number; resolution: number } | undefined {
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
  const measured = up.value - down.value;
  const noise = 8 * Number.EPSILON * Math.max(up.scale, down.scale, Number.MIN_VALUE);
  if (Math.abs(measured) < noise && Math.abs(predicted) < noise) return undefined;
  return { difference: relativeDifference([measured], [predicted]), resolution: resolutionOf([noise], [measured], [predicted]) };
}
