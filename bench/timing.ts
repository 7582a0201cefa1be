/** Timing helpers of the benchmarks: medians of repeated runs, wall and CPU time. */

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** CPU time of this process in ms (all its threads: the garbage collector's too). */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The median wall time of `runs` calls, in ms. */
export async function time(fn: () => unknown, runs: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

/** Numbers for a table cell. */
export const ms = (value: number, width = 8): string => `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`.padStart(width);
