/**
 * A token bucket mirroring a venue's credit limit, so we wait before the venue would refuse (on
 * Deribit a refusal also ends the session). `take` resolves when a request may be sent.
 */
export class CreditBucket {
  private level: number;
  private last: number;
  private readonly capacity: number;
  private readonly refillPerSecond: number;
  private readonly cost: number;
  private readonly now: () => number;

  constructor(o: { capacity: number; refillPerSecond: number; cost: number; now: () => number }) {
    this.capacity = o.capacity;
    this.refillPerSecond = o.refillPerSecond;
    this.cost = o.cost;
    this.now = o.now;
    this.level = o.capacity;
    this.last = o.now();
  }

  /** Whether `n` requests may be sent now, without booking them. */
  available(n: number): boolean {
    const t = this.now();
    return Math.min(this.capacity, this.level + ((t - this.last) / 1000) * this.refillPerSecond) >= n * this.cost;
  }

  /** Milliseconds until a request may be sent (0: now), and books it. */
  reserve(): number {
    const t = this.now();
    this.level = Math.min(this.capacity, this.level + ((t - this.last) / 1000) * this.refillPerSecond);
    this.last = t;
    this.level -= this.cost;
    return this.level >= 0 ? 0 : Math.ceil((-this.level / this.refillPerSecond) * 1000);
  }

  async take(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}
