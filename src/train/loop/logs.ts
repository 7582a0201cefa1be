import type { IRModel } from '../../ir/ir.js';
import { logNames } from '../log-names.js';
import type { CompiledParts } from './compiled.js';

/**
 * Sums of a step's scalars over an epoch, weighted by batch size, and their means under the
 * log names (see log-names.ts). The scalars come as [loss, gradient check, per-output losses
 * (several outputs), metrics in compiled order].
 */
export class LogSums {
  readonly names: string[];
  private readonly sums: Float64Array;
  samples = 0;

  constructor(
    private readonly ir: IRModel,
    private readonly parts: CompiledParts,
  ) {
    this.names = logNames(ir.outputs.map((o) => o.name), ir.train!);
    const outputs = ir.outputs.length;
    this.sums = new Float64Array(2 + (outputs > 1 ? outputs : 0) + parts.metrics.length);
  }

  add(values: ArrayLike<number>, batch: number): void {
    for (let i = 0; i < this.sums.length; i++) this.sums[i]! += values[i]! * batch;
    this.samples += batch;
  }

  /** The mean of slot i so far. */
  mean(i: number): number {
    return this.sums[i]! / this.samples;
  }

  logs(): Record<string, number> {
    const logs: Record<string, number> = { loss: this.mean(0) };
    const outputs = this.ir.outputs;
    const single = outputs.length === 1;
    let slot = 2;
    if (!single) {
      outputs.forEach((o, i) => {
        const weight = this.parts.weights[i]!;
        // compileModel scales each output's loss by its weight; the log shows it unweighted.
        if (weight > 0) logs[`${o.name}_loss`] = this.mean(slot + i) / weight;
      });
      slot += outputs.length;
    }
    this.parts.metrics.forEach((m, i) => {
      logs[m.name] = this.mean(slot + i);
    });
    // In the order of `names`, so that tables and files list them alike.
    return Object.fromEntries(this.names.filter((n) => n in logs).map((n) => [n, logs[n]!]));
  }
}
