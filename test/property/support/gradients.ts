import type { IRModel } from '../../../src/ir/ir.js';
import { checkGradients, type GradcheckOptions } from '../../../src/reference/gradcheck.js';
import { randomBatch } from '../../../src/reference/random-batch.js';
import { fourthOrderCheck } from './fourth-order.js';

/** The bound every tensor's relative difference must meet: float64 backprop is exact up to rounding. */
export const GRADIENT_BOUND = 1e-7;

/**
 * An odd batch: a mean absolute error's gradient is a mean of signs, exactly zero for an even
 * batch split half and half, and a zero gradient has no relative difference to speak of.
 */
export const BATCH = 5;

/** Above this many trainable parameters the check samples components instead of taking them all. */
const FULL_UP_TO = 800;

/**
 * Compares analytic and numeric gradients of every trainable tensor; returns a line per tensor
 * that fails, empty when all agree. A central difference trades truncation (large steps) against
 * rounding (small steps), so a tensor passes at the first of ε = 1e-5, 1e-6, 1e-4 where it
 * agrees, and else by the fourth-order stencil (fourth-order.ts), to 1e-7 or, for a gradient
 * too small against the loss for that, to what rounding allows. Components whose steps cross a
 * kink are skipped, and a tensor with none left is not judged.
 */
export function gradientFailures(model: IRModel, seed: number): string[] {
  const trainable = model.layers.flatMap((l) => l.weights.filter((w) => w.trainable)).reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  const options: GradcheckOptions = { mode: trainable <= FULL_UP_TO ? 'full' : 'sample', samples: 40, batch: BATCH, seed };
  const history = new Map<string, string[]>();
  let failing: string[] | undefined;
  for (const epsilon of [1e-5, 1e-6, 1e-4]) {
    const report = checkGradients(model, { ...options, epsilon });
    const judged = report.tensors.filter((t) => (failing ? failing.includes(t.name) : true) && t.checked > 0);
    for (const t of judged) history.set(t.name, [...(history.get(t.name) ?? []), `ε=${epsilon}: ${t.difference.toExponential(2)} (${t.checked} checked, ${t.kinks} at kinks)`]);
    failing = judged.filter((t) => t.difference > GRADIENT_BOUND).map((t) => t.name);
    if (failing.length === 0) return [];
  }
  const batch = randomBatch(model, BATCH, seed);
  for (const h of [1e-3, 1e-4]) {
    const checks = fourthOrderCheck(model, failing!, batch, seed, h);
    for (const c of checks) {
      history.get(c.name)!.push(`fourth order h=${h}: ${c.difference.toExponential(2)}, rounding explains ${c.resolution.toExponential(2)} (${c.checked} checked, ${c.kinks} at kinks)`);
    }
    failing = checks.filter((c) => c.checked > 0 && c.difference > Math.max(GRADIENT_BOUND, c.resolution)).map((c) => c.name);
    if (failing.length === 0) return [];
  }
  return failing!.map((name) => `${name}: ${history.get(name)!.join('; ')}`);
}
