import type { IRModel } from '../../../src/ir/ir.js';
import { ReferenceModel, type RunOptions } from '../../../src/reference/engine.js';
import { relativeDifference } from '../../../src/reference/gradcheck.js';
import type { Batch } from '../../../src/reference/random-batch.js';

/**
 * A second opinion for the few tensors whose gradient a central difference cannot resolve to
 * 1e-7 at any step: gradients far smaller than the loss (rounding dominates) in functions curved
 * on a small scale (truncation dominates), such as a sigmoid unit read through a max pool, or
 * layer_norm over features of nearly equal value. The fourth-order stencil
 * (J(θ−2h) − 8J(θ−h) + 8J(θ+h) − J(θ+2h)) / 12h with h = 1e-3 shrinks both errors at once.
 * A wrong backward pass differs from it whatever the step, as from the central differences.
 * Where even this stencil cannot resolve 1e-7 (a gradient a hundred million times smaller than
 * the loss), `resolution` says how finely it can judge.
 */

export interface FourthOrderCheck {
  name: string;
  checked: number;
  kinks: number;
  difference: number;
  /**
   * The relative difference that rounding alone can explain: each loss value is off by up to
   * ROUNDING_ULPS units in the last place, and the stencil's weights (18 / 12h in all) add the
   * errors up. A gradient this small relative to the loss cannot be checked more finely.
   */
  resolution: number;
}

/** Rounding of one loss evaluation, in units of |J|·2⁻⁵²: generous, since a loss sums many terms. */
const ROUNDING_ULPS = 16;

/** Branch records of one evaluation, joined: equal strings mean no kink was crossed. */
function evaluate(reference: ReferenceModel, batch: Batch, run: RunOptions): { loss: number; branches: string } {
  const records: string[] = [];
  const forward = reference.forward(batch.inputs, { ...run, onBranches: (d) => records.push(Array.from(d).join()) });
  return { loss: reference.loss(forward.outputs, batch.targets, run).total, branches: records.join('|') };
}

/** Checks the named weights (`layer/weight`) of a model on the batch, with the reference engine's weights for `seed`. */
export function fourthOrderCheck(model: IRModel, names: readonly string[], batch: Batch, seed: number, h = 1e-3): FourthOrderCheck[] {
  const reference = new ReferenceModel(model, seed);
  const run: RunOptions = { training: true, dropout: false };
  const analytic = reference.gradients(batch.inputs, batch.targets, run).weights;
  const base = evaluate(reference, batch, run).branches;
  return names.map((name) => {
    const cut = name.lastIndexOf('/');
    const layer = model.layers.find((l) => l.id === name.slice(0, cut))!;
    const index = layer.weights.findIndex((w) => w.name === name.slice(cut + 1));
    const data = reference.params.get(layer.id)![index]!.data;
    const exact = analytic.get(layer.id)![index]!.data;
    const numeric: number[] = [];
    const expected: number[] = [];
    let noise = 0;
    let kinks = 0;
    for (let i = 0; i < data.length; i++) {
      const original = data[i]!;
      const at = (step: number): { loss: number; branches: string } => {
        data[i] = original + step;
        return evaluate(reference, batch, run);
      };
      const points = [at(-2 * h), at(-h), at(h), at(2 * h)];
      data[i] = original;
      if (points.some((p) => p.branches !== base)) {
        kinks++;
        continue;
      }
      const [m2, m1, p1, p2] = points.map((p) => p.loss) as [number, number, number, number];
      numeric.push((m2 - 8 * m1 + 8 * p1 - p2) / (12 * h));
      expected.push(exact[i]!);
      noise += ((ROUNDING_ULPS * Number.EPSILON * Math.max(...points.map((p) => Math.abs(p.loss))) * 18) / (12 * h)) ** 2;
    }
    const scale = Math.hypot(...numeric) + Math.hypot(...expected);
    const resolution = scale === 0 ? 0 : Math.sqrt(noise) / scale;
    return { name, checked: numeric.length, kinks, difference: relativeDifference(numeric, expected), resolution };
  });
}
