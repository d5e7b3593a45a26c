/*
 * Protective stops (issue "Kill switch", item 4): a reduce-only stop-loss per Hyperliquid position
 * of the trading account, kept resting at the venue by the engine — re-placed whenever it is found
 * missing (a reconnect, the dead-man switch, a cancel-all) or the position's size changed.
 */
export interface StopRule {
  /** Hyperliquid coin, e.g. "BTC". */
  coin: string;
  /** USD: a long's stop sits below the mark, a short's above. */
  triggerPx: number;
}

export interface StopStatus {
  rule: StopRule;
  state: 'resting' | 'placing' | 'no position' | 'waiting' | 'invalid' | 'refused';
  detail: string | null;
  /** The position it protects, coins (signed), and the stop's size. */
  position: number;
  /** How many times it was found missing and put back. */
  replaced: number;
  /** When it was last placed, ms. */
  placedAt: number | null;
}
