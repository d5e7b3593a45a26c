/*
 * Collateral top-ups (issue "Monitoring", item 5), in the words traders know from DeFi Saver and
 * Instadapp: a trigger and a target, the source of the collateral, a limit per top-up and a
 * minimum interval, dry-run. The daily collateral limit is the vault's budget, approved by the
 * trader and checked by main on every signature; this never raises it.
 */

export const TOP_UP_MODES = ['off', 'dry-run', 'live'] as const;
export type TopUpMode = (typeof TOP_UP_MODES)[number];

export interface TopUpRule {
  /** Hyperliquid: the isolated position's id (`hyperliquid:<account>:<COIN>-PERP`). */
  position: string;
  mode: TopUpMode;
  /** Top up when the mark is this close to liquidation, % of the mark. */
  triggerPct: number;
  /** Add margin until liquidation is this far, % of the mark (more than the trigger). */
  targetPct: number;
  /** Largest single top-up, USD. */
  maxUsd: number;
  /** Least time between two top-ups of this position, ms. */
  minIntervalMs: number;
}

export const DEFAULT_TOP_UP: Omit<TopUpRule, 'position'> = { mode: 'off', triggerPct: 8, targetPct: 15, maxUsd: 5_000, minIntervalMs: 60_000 };

export interface TopUpAction {
  at: number;
  /** 'sent' landed at the venue; 'dry-run' decided and journaled, nothing sent; 'failed' with the reason. */
  what: 'sent' | 'dry-run' | 'failed' | 'verified' | 'short';
  amountUsd: number;
  detail: string;
}

export interface TopUpStatus {
  rule: TopUpRule;
  /** Where the position is now: distance to liquidation, %, or null when unknown. */
  distancePct: number | null;
  state: 'off' | 'watching' | 'waiting' | 'checking' | 'paused';
  reason: string | null;
  last: TopUpAction | null;
  /** Collateral this rule moved in the last 24 h, USD. */
  spent24hUsd: number;
}

export function topUpRuleProblem(r: TopUpRule): string | null {
  if (!(r.triggerPct > 0)) return 'the trigger must be a distance above 0 %';
  if (!(r.targetPct > r.triggerPct)) return 'the target must be farther from liquidation than the trigger';
  if (!(r.maxUsd > 0)) return 'the largest top-up must be above $0';
  return null;
}
