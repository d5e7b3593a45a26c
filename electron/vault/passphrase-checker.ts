import { Worker } from 'node:worker_threads';
import { checkPassphrase, type PassphraseStrength } from './passphrase-strength.ts';
import { VaultError } from './vault-error.ts';

export interface StrengthRequest {
  seq: number;
  passphrase: string;
}
export type StrengthReply = { seq: number; ok: true; value: PassphraseStrength } | { seq: number; ok: false; message: string };

export type CheckStrength = (passphrase: string) => Promise<PassphraseStrength>;

const TIMEOUT_MS = 5_000;
const SLOW_MS = 250;

/**
 * Runs the strength estimate in a worker thread, answers matched by sequence number. The worker
 * starts on first use and never keeps the process alive (unref); a check that takes longer than
 * five seconds ends the worker and answers "unavailable" instead of holding the vault.
 */
export class PassphraseChecker {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (s: PassphraseStrength) => void; reject: (e: Error) => void; timer: NodeJS.Timeout; started: number }>();
  private readonly entry: URL;
  private readonly log: (line: string) => void;

  constructor(entry: URL, log: (line: string) => void = (l) => console.warn(l)) {
    this.entry = entry;
    this.log = log;
  }

  readonly check: CheckStrength = (passphrase) =>
    new Promise((resolve, reject) => {
      const worker = this.ensureWorker();
      const seq = ++this.seq;
      const timer = setTimeout(() => this.failAll(new VaultError('unavailable', 'the passphrase check took too long; try again')), TIMEOUT_MS);
      this.waiting.set(seq, { resolve, reject, timer, started: performance.now() });
      worker.postMessage({ seq, passphrase } satisfies StrengthRequest);
    });

  /**
   * Starts the worker before the first check: loading the estimator's dictionaries is most of a
   * first answer's time, and a new user is typing a passphrase on the screen that needs it.
   */
  warm(): void {
    this.ensureWorker();
  }

  stop(): void {
    this.failAll(new VaultError('unavailable', 'the app is closing'));
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.entry);
    worker.unref();
    worker.on('message', (reply: StrengthReply) => {
      const w = this.waiting.get(reply.seq);
      if (!w) return;
      this.waiting.delete(reply.seq);
      clearTimeout(w.timer);
      const took = performance.now() - w.started;
      if (took > SLOW_MS) this.log(`passphrase check #${reply.seq} took ${Math.round(took)} ms`);
      if (reply.ok) w.resolve(reply.value);
      else w.reject(new VaultError('unavailable', `the passphrase check failed: ${reply.message}`));
    });
    worker.on('error', (err: Error) => this.failAll(new VaultError('unavailable', `the passphrase check failed: ${err.message}`)));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
    });
    this.worker = worker;
    return worker;
  }

  private failAll(err: Error): void {
    for (const [seq, w] of this.waiting) {
      clearTimeout(w.timer);
      w.reject(err);
      this.waiting.delete(seq);
    }
    void this.worker?.terminate();
    this.worker = null;
  }
}

/** In-thread, for unit tests of the vault that do not exercise the worker. */
export const checkInThread: CheckStrength = (passphrase) => Promise.resolve(checkPassphrase(passphrase));
