/**
 * How late this thread's event loop runs a timer: the delay every handler queued behind busy work
 * waits — a venue frame, a command, a signature request. A timer is set every `intervalMs`; how
 * much later than asked it fires is one sample. Plain timers rather than Node's
 * monitorEventLoopDelay so the same code measures the engine's worker, the host and a page.
 */
export interface LoopDelayStats {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  samples: number;
  /** The span the samples cover, ms. */
  windowMs: number;
}

/** The timers every JavaScript host has (this folder is built without Node's or the DOM's types). */
interface TimerHost {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  performance: { now(): number };
}
const host = globalThis as unknown as TimerHost;

export class LoopDelayMonitor {
  private readonly samples: Float64Array;
  private count = 0;
  private next = 0;
  private timer: unknown = null;
  private readonly intervalMs: number;
  private readonly now: () => number;

  /** Keeps the last `keep` samples (at 20 ms, 3000 are the last minute). */
  constructor(intervalMs = 20, keep = 3000, now: () => number = () => host.performance.now()) {
    this.intervalMs = intervalMs;
    this.samples = new Float64Array(keep);
    this.now = now;
  }

  start(): void {
    if (this.timer) return;
    const arm = (): void => {
      const due = this.now() + this.intervalMs;
      this.timer = host.setTimeout(() => {
        this.record(Math.max(0, this.now() - due));
        arm();
      }, this.intervalMs);
      // Never what keeps a process alive.
      (this.timer as { unref?: () => void }).unref?.();
    };
    arm();
  }

  stop(): void {
    if (this.timer) host.clearTimeout(this.timer);
    this.timer = null;
  }

  record(lateMs: number): void {
    this.samples[this.next] = lateMs;
    this.next = (this.next + 1) % this.samples.length;
    this.count = Math.min(this.count + 1, this.samples.length);
  }

  /** Forgets what was measured (a bench starts its window here). */
  reset(): void {
    this.count = 0;
    this.next = 0;
  }

  stats(): LoopDelayStats {
    const sorted = this.samples.slice(0, this.count).sort();
    const at = (q: number): number => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0);
    return { p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted.length ? sorted[sorted.length - 1]! : 0, samples: this.count, windowMs: this.count * this.intervalMs };
  }
}
