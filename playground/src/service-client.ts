import type { RequestKind, Requests, ResponseMessage } from './protocol.js';

/**
 * The page's side of the worker: typed requests answered by promises. Updates are coalesced:
 * while one text is being analyzed, only the newest of the texts typed meanwhile is sent next,
 * so a slow check of a large file never builds a queue of stale ones.
 */
export class ServiceClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private updating = false;
  private queued: { text: string; version: number } | undefined;
  private latest = { text: '', version: 0 };
  private sentVersion = 0;

  constructor(private readonly onUpdate: (answer: Requests['update']['answer']) => void, private readonly onError: (message: string) => void) {
    this.worker = new Worker(new URL('./service-worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (event: MessageEvent<ResponseMessage>) => {
      const entry = this.waiting.get(event.data.id);
      if (!entry) return;
      this.waiting.delete(event.data.id);
      if ('error' in event.data) entry.reject(new Error(event.data.error));
      else entry.resolve(event.data.answer);
    };
    this.worker.onerror = (event) => this.onError(`the language service stopped: ${event.message}`);
  }

  request<K extends RequestKind>(kind: K, ask: Requests[K]['ask']): Promise<Requests[K]['answer']> {
    const id = this.nextId++;
    const sync = this.sentVersion !== this.latest.version ? this.latest : undefined;
    this.sentVersion = this.latest.version;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage(sync ? { id, kind, ask, sync } : { id, kind, ask });
    });
  }

  /** Sends a new text now, or after the one being analyzed. */
  update(text: string, version: number): void {
    this.latest = { text, version };
    this.queued = { text, version };
    if (!this.updating) void this.flush();
  }

  private async flush(): Promise<void> {
    this.updating = true;
    while (this.queued) {
      const next = this.queued;
      this.queued = undefined;
      try {
        const answer = await this.request('update', next);
        if (!this.queued) this.onUpdate(answer);
      } catch (error) {
        this.onError(`the language service failed: ${(error as Error).message}`);
      }
    }
    this.updating = false;
  }
}
