import type { EpochRecord } from '../train/loop/history.js';
import type { BatchProgress, FitHooks } from '../train/loop/fit.js';

/** `tty`: a line per epoch updated in place; `plain`: a line per finished epoch (logs, pipes); `quiet`: nothing. */
export type ProgressMode = 'tty' | 'plain' | 'quiet';

export interface ProgressOptions {
  mode: ProgressMode;
  write(text: string): void;
  /** Terminal width: an in-place line longer than this would wrap and break the carriage return. */
  columns?: number;
  now?(): number;
  /** Milliseconds between in-place updates. */
  interval?: number;
}

/** A value in a log line: 4 decimals in the usual range, else 4 significant digits. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e5) ? value.toExponential(3) : value.toFixed(4);
}

const rate = (samplesPerSecond: number): string => `${Math.round(samplesPerSecond).toLocaleString('en-US')} samples/s`;

/** `loss 0.4213  accuracy 0.8750  val_loss 0.4011` */
export function formatLogs(logs: Record<string, number>, names: readonly string[]): string {
  return names.filter((n) => logs[n] !== undefined).map((n) => `${n} ${formatValue(logs[n]!)}`).join('  ');
}

function bar(done: number, total: number, width = 20): string {
  const filled = Math.round((done / total) * width);
  return `[${'='.repeat(filled)}${' '.repeat(width - filled)}]`;
}

/**
 * Progress as FitHooks. On a terminal one line per epoch shows batch k/n, the running loss and the
 * speed, rewritten in place (at most every `interval` ms), then becomes the epoch's summary with
 * its validation values. `finish` ends a line left open (training stopped mid-epoch).
 */
export function progressHooks(options: ProgressOptions, logs: readonly string[]): FitHooks & { finish(): void } {
  const { mode, write } = options;
  const now = options.now ?? (() => performance.now());
  const interval = options.interval ?? 100;
  const width = Math.max(40, (options.columns ?? 100) - 1);
  let open = false;
  let last = -Infinity;
  const epochLabel = (epoch: number, epochs: number) => `epoch ${String(epoch).padStart(String(epochs).length)}/${epochs}`;
  const names = [...logs, ...logs.map((n) => `val_${n}`)];
  return {
    onBatchEnd(p: BatchProgress) {
      if (mode !== 'tty') return;
      const t = now();
      if (p.batch !== p.batches && t - last < interval) return;
      last = t;
      const line = `${epochLabel(p.epoch, p.epochs)} ${bar(p.batch, p.batches)} ${p.batch}/${p.batches}  loss ${formatValue(p.meanLoss)}  ${rate(p.samplesPerSecond)}`;
      write(`\r\x1b[2K${line.slice(0, width)}`);
      open = true;
    },
    onEpochEnd(record: EpochRecord, info: { epochs: number; best: boolean }) {
      if (mode === 'quiet') return;
      const line = `${epochLabel(record.epoch, info.epochs)}  ${formatLogs(record.logs, names)}  (${record.seconds.toFixed(1)} s, ${rate(record.samplesPerSecond)})${info.best ? '  *' : ''}`;
      write(`${mode === 'tty' ? '\r\x1b[2K' : ''}${line}\n`);
      open = false;
    },
    finish() {
      if (open) write('\n');
      open = false;
    },
  };
}
