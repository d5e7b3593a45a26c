/** The request never left: the socket was down. Safe to report as not sent. */
export class NotSentError extends Error {
  override name = 'NotSentError';
}

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * JSON-RPC calls waiting for their answer, by id, for the venues that speak JSON-RPC over one
 * socket: each has a timeout, one that could not be sent fails as NotSentError (nothing left),
 * and a dropped link fails them all at once rather than leaving them to time out.
 */
export class PendingCalls {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    this.timeoutMs = timeoutMs;
  }

  /** A fresh id, for a frame whose answer nobody waits for. */
  id(): number {
    return this.nextId++;
  }

  /** Sends through `send(id)` (false: not connected) and resolves with the raw answer settled by `take`. */
  call(method: string, send: (id: number) => boolean): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { method, resolve, reject, timer });
      if (!send(id)) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new NotSentError(`${method}: not connected`));
      }
    });
  }

  /** The call an answer with `id` settles, now no longer pending; null for a probe or a call that timed out. */
  take(id: number): Omit<Pending, 'timer'> | null {
    const p = this.pending.get(id);
    if (!p) return null;
    this.pending.delete(id);
    clearTimeout(p.timer);
    return p;
  }

  rejectAll(err: Error | ((method: string) => Error)): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(typeof err === 'function' ? err(p.method) : err);
      this.pending.delete(id);
    }
  }
}
