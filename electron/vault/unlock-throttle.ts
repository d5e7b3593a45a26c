/*
 * Wrong passphrases slow down: three tries are free, then each failure doubles the wait, up to
 * five minutes. This defends the unlocked app against someone at the keyboard; the stolen-file
 * attack is what scrypt's cost is for.
 */
export const FREE_ATTEMPTS = 3;
export const MAX_WAIT_MS = 5 * 60_000;

export class UnlockThrottle {
  private failures = 0;
  private retryAt = 0;

  /** Milliseconds until the next attempt is allowed (0: now). */
  waitMs(now: number): number {
    return Math.max(0, this.retryAt - now);
  }

  failed(now: number): void {
    this.failures += 1;
    const over = this.failures - FREE_ATTEMPTS;
    this.retryAt = over > 0 ? now + Math.min(MAX_WAIT_MS, 1000 * 2 ** (over - 1)) : 0;
  }

  succeeded(): void {
    this.failures = 0;
    this.retryAt = 0;
  }

  get failureCount(): number {
    return this.failures;
  }
}
