/**
 * The y scale of one chart of the curves: it holds every point drawn (single batches too, which
 * run below and above the epoch means), padded by 5%; values spanning more than a factor of 20,
 * all positive, get a log scale. Accuracies stay within [0, 1].
 */
export interface YScale {
  type: 'linear' | 'log';
  domain: [number, number];
}

export function yScale(values: readonly number[], metric: string): YScale {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { type: 'linear', domain: [0, 1] };
  // A loop, not Math.min(...values): a long run has more batches than a call has room for arguments.
  let low = Infinity;
  let high = -Infinity;
  for (const v of finite) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  if (low > 0 && high / low > 20) return { type: 'log', domain: [low / 1.15, high * 1.15] };
  const pad = (high - low) * 0.05 || Math.abs(high) * 0.05 || 1;
  const bounded = /accuracy$/.test(metric) && low >= 0 && high <= 1;
  return { type: 'linear', domain: [bounded ? Math.max(0, low - pad) : low - pad, bounded ? Math.min(1, high + pad) : high + pad] };
}

/**
 * Tick values of a log axis: 1, 2 and 5 times the powers of ten inside the domain, or only the
 * powers when those are too many. Vega labels a log axis only at powers of ten by default, which a
 * domain of less than a decade or two does not reach, leaving it without a label.
 */
export function logTicks([low, high]: readonly [number, number]): number[] {
  const ticks = (steps: readonly number[]) => {
    const found: number[] = [];
    for (let k = Math.floor(Math.log10(low)); k <= Math.ceil(Math.log10(high)); k++) {
      for (const step of steps) {
        // toPrecision keeps 0.3 from becoming 0.30000000000000004 in the label.
        const value = Number((step * 10 ** k).toPrecision(6));
        if (value >= low && value <= high) found.push(value);
      }
    }
    return found;
  };
  const fine = ticks([1, 2, 5]);
  return fine.length <= 12 ? fine : ticks([1]);
}
