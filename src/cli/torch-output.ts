/** train.py's first event: how the run is laid out. */
export interface StartEvent {
  params: number;
  train: number;
  validation: number | null;
  epochs: number;
  batch: number;
  perDevice: number;
  world: number;
  batchChoice: 'global' | '--per-device-batch';
  device: string;
  backend: string | null;
  torch: string;
  seed: number;
  resumedFrom: number | null;
  amp: boolean;
  syncBn: boolean;
}

/**
 * What train.py and torchrun print on stderr, sorted as it arrives: train.py's own messages and
 * any Python traceback of a worker pass through; torchrun's logging and the report it prints when a
 * worker fails are held back, and read for the one-line account nnc gives instead.
 */
export class TorchFailure {
  private state: 'normal' | 'traceback' | 'report' = 'normal';
  private traceback: string[] = [];
  private readonly held: string[] = [];

  constructor(private readonly nproc: number) {}

  line(text: string, pass: (text: string) => void): void {
    if (this.state === 'report') {
      this.held.push(text);
      return;
    }
    if (this.state === 'traceback') {
      this.traceback.push(text);
      if (/^\S/.test(text) && !/^(Traceback|During handling|The above exception)/.test(text)) this.endTraceback(pass);
      return;
    }
    if (/^Traceback \(most recent call last\):/.test(text)) {
      this.state = 'traceback';
      this.traceback = [text];
    } else if (/^(WARNING|ERROR|INFO|DEBUG):torch\.distributed/.test(text) || /^\[\d{4}-\d\d-\d\d .*torch\.distributed/.test(text) || /^error: process \d+ of \d+ lost its connection/.test(text)) {
      // The survivors of a failed process say they lost it; the report names the one that failed.
      this.held.push(text);
    } else {
      pass(text);
    }
  }

  /** A traceback of torchrun itself (it ends in ChildFailedError) is the start of its failure report. */
  private endTraceback(pass: (text: string) => void): void {
    const block = this.traceback.join('\n');
    this.traceback = [];
    if (/torch\.distributed\.elastic|ChildFailedError|torch\/distributed\/run\.py/.test(block)) {
      this.held.push(block);
      this.state = 'report';
      return;
    }
    this.state = 'normal';
    pass(block);
  }

  /** Prints a traceback still open when the process ended. */
  flush(pass: (text: string) => void): void {
    if (this.state === 'traceback') this.endTraceback(pass);
  }

  /** The error for a run that ended without writing its history, with what torchrun said when it says no more. */
  report(exit: { code: number | null; signal: NodeJS.Signals | null }, epoch: number, out: string, checkpoint: string | undefined): string {
    const held = this.held.join('\n');
    const rank = /^\s*rank\s*:\s*(\d+)/m.exec(held)?.[1];
    const code = /^\s*exitcode\s*:\s*(-?\d+)/m.exec(held)?.[1];
    const cause = /^\s*traceback\s*:\s*(.+)$/m.exec(held)?.[1]?.trim();
    const lines: string[] = [];
    const where = epoch > 0 ? ` after epoch ${epoch}` : '';
    if (rank !== undefined) {
      const how = code !== undefined && Number(code) < 0 ? `was killed (signal ${-Number(code)}${cause && /Signal \d+ \((\w+)\)/.test(cause) ? `, ${/Signal \d+ \((\w+)\)/.exec(cause)![1]}` : ''})` : `failed (exit status ${code ?? '?'})`;
      lines.push(`error: training stopped${where}: process ${rank} of ${this.nproc} ${how}, and torchrun ended the others`);
    } else if (exit.signal) {
      lines.push(`error: training stopped${where}: train.py was killed (${exit.signal})`);
    } else if (exit.code === 2) {
      return '';
    } else {
      lines.push(`error: training stopped${where}: train.py ended with exit status ${exit.code ?? '?'} before writing the run`);
      if (held) lines.push(held);
    }
    lines.push(`  = note: \`${out}\` is as it was: a run replaces it only once complete`);
    if (checkpoint) lines.push(`  = help: the same command with --resume continues from the last checkpoint (in \`${checkpoint}\`)`);
    return `${lines.join('\n')}\n`;
  }
}
