import { Random } from '../../reference/random.js';

/** The random streams of one run, all drawn from its seed: the same seed, the same run. */
export interface RunRandom {
  /** Orders the samples of each epoch. */
  order: Random;
  /** Seeds each step's dropout masks. */
  dropout: Random;
}

export function runRandom(seed: number): RunRandom {
  // Distinct constants keep the two streams independent of each other.
  return { order: new Random(seed ^ 0x2545f491), dropout: new Random(seed ^ 0x6c8e9cf5) };
}

/** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
export function permutation(n: number, random: Random): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}
