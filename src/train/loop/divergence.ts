import type { IRModel } from '../../ir/ir.js';
import { registry } from '../../registry/registry.js';

/** Where and how training blew up. */
export interface Divergence {
  epoch: number;
  batch: number;
  batches: number;
  /** The batch's loss, as read (NaN or ±Infinity when it is the loss that broke). */
  loss: number;
  /** Weight tensors whose gradient held a NaN or an infinity, in model order. */
  gradients: Array<{ weight: string; kind: 'NaN' | 'Inf' }>;
  totalWeights: number;
}

const kind = (x: number): string => (Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity');

/**
 * The report in words: what happened where, why it happens, and what to change in this model.
 * Returns the headline and the lines that follow it.
 */
export function explainDivergence(d: Divergence, model: IRModel): { headline: string; notes: string[]; help: string[] } {
  const where = `epoch ${d.epoch}, batch ${d.batch} of ${d.batches}`;
  const lossBroke = !Number.isFinite(d.loss);
  const gradText = d.gradients.length === 0 ? '' : `the gradients of ${d.gradients.length} of ${d.totalWeights} weight tensors are not finite (${listWeights(d.gradients)})`;
  const headline = `training diverged at ${where}: ${lossBroke ? `the loss became ${kind(d.loss)}` : gradText}`;
  const notes: string[] = [];
  if (lossBroke && gradText) notes.push(gradText);
  notes.push(
    'the gradients exploded: each step made the weights larger until the numbers overflowed float32; ' +
      'training stopped before applying this step, and no model was saved',
  );
  return { headline, notes, help: advice(model) };
}

function listWeights(gradients: Divergence['gradients']): string {
  const shown = gradients.slice(0, 3).map((g) => `\`${g.weight}\` ${g.kind}`);
  return gradients.length > 3 ? `${shown.join(', ')}, ...` : shown.join(', ');
}

/** What to try, from what this model actually uses. */
function advice(model: IRModel): string[] {
  const help: string[] = [];
  const optimizer = model.train!.optimizer;
  const rate = optimizer.params.learning_rate;
  const clipnorm = optimizer.params.clipnorm ?? 0;
  const scaled = new Map<string, number>();
  for (const layer of model.layers) {
    for (const weight of layer.weights) {
      const gain = weight.init.params.gain;
      if (weight.init.name === 'identity' && gain !== undefined && Math.abs(gain) > 1) {
        const key = `identity(${gain})`;
        scaled.set(key, (scaled.get(key) ?? 0) + 1);
      }
    }
  }
  for (const [init, count] of scaled) {
    const gain = Number(/\((.*)\)/.exec(init)![1]);
    help.push(
      `the initializer: \`init=${init}\` multiplies the signal by ${gain} in each of ${count} layers (${gain}^${count} ≈ ${(gain ** count).toExponential(0)}); ` +
        'use one that keeps its scale, such as `init=auto` (the default)',
    );
  }
  if (scaled.size === 0) help.push('the initializers: `init=auto` (the default) keeps the signal\'s scale from layer to layer; check any explicit `init=`');
  if (rate !== undefined) help.push(`a smaller learning rate: \`${optimizer.name}(learning_rate=${rate / 10})\` instead of ${rate}`);
  // The suggestion repeats the parameters the user set, and leaves defaults out.
  const defaults = registry.optimizer(optimizer.name)?.params ?? [];
  const args = Object.entries(optimizer.params)
    .filter(([k, v]) => k === 'learning_rate' || (k !== 'clipnorm' && v !== defaults.find((p) => p.name === k)?.default))
    .map(([k, v]) => `${k}=${v}`);
  const clip = clipnorm > 0 ? `a tighter gradient clip than clipnorm=${clipnorm}` : 'gradient clipping';
  help.push(`${clip}: \`optimizer = ${optimizer.name}(${[...args, `clipnorm=${clipnorm > 0 ? clipnorm / 10 : 1}`].join(', ')})\` rescales each gradient tensor to that norm at most`);
  return help;
}
