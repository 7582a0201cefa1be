/**
 * Ctrl-C during `nnc train`: the first asks training to stop after the current batch and write
 * what it has; the second quits at once. Quitting at once must not leave half-written files, so
 * whatever is being written registers how to undo it, synchronously, as a signal handler needs.
 */
export interface Interrupts {
  /** Calls `first` on the first SIGINT and `again` on every later one, until the returned function stops listening. */
  listen(first: () => void, again: () => void): () => void;
}

export const processInterrupts: Interrupts = {
  listen(first, again) {
    let count = 0;
    const handler = () => (++count === 1 ? first() : again());
    process.on('SIGINT', handler);
    return () => void process.off('SIGINT', handler);
  },
};

/** Undo actions of writes in progress; `add` returns the function that drops its action once the write is over. */
export class PendingUndo {
  private readonly actions = new Set<() => void>();

  add(undo: () => void): () => void {
    this.actions.add(undo);
    return () => void this.actions.delete(undo);
  }

  /** Runs every action (each at most once), swallowing their errors: the process is quitting. */
  undoAll(): void {
    for (const undo of [...this.actions]) {
      this.actions.delete(undo);
      try {
        undo();
      } catch {
        // Nothing better to do while quitting; the temporary folder's name says what it was.
      }
    }
  }
}
