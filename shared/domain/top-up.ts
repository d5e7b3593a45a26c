/*
 * Collateral top-ups (issue "Monitoring", item 5), in the words traders know from DeFi Saver and
 * Instadapp: a trigger and a target, the source of the collateral, a limit per top-up and a
 * minimum interval, dry-run. The daily collateral limit is the vault's budget, approved by the
 * trader and checked by main on every signature; this never raises it.
 */

export const TOP_UP_MODES = ['off', 'dry-run', 'live'] as const;
export type TopUpMode = (typeof TOP_UP_MODES)[number];

export interface TopUpRule {
  /** Hyperliquid: the isolated position's id (`hyperliquid:<account>:<COIN>-PERP`); Aave: `aave:<account>`. */
  position: string;
  mode: TopUpMode;
  /**
   * Top up when this is crossed: Hyperliquid, the distance to liquidation in % of the mark;
   * Aave, the health factor.
   */
  trigger: number;
  /** What a top-up restores (farther than the trigger): the same unit. */
  target: number;
  /** Aave: the reserve supplied from the wallet as collateral (WETH). */
  source?: string;
  /** Aave: the most paid per gas, gwei. */
  gasCapGwei?: number;
  /** Largest single top-up, USD. */
  maxUsd: number;
  /** Least time between two top-ups of this position, ms. */
  minIntervalMs: number;
}

export const DEFAULT_TOP_UP: Omit<TopUpRule, 'position'> = { mode: 'off', trigger: 8, target: 15, maxUsd: 5_000, minIntervalMs: 60_000 };

export interface TopUpAction {
  at: number;
  /** 'sent' landed at the venue; 'dry-run' decided and journaled, nothing sent; 'failed' with the reason. */
  what: 'sent' | 'dry-run' | 'failed' | 'verified' | 'short';
  amountUsd: number;
  detail: string;
}

export interface TopUpStatus {
  rule: TopUpRule;
  /** The rule's figure now (distance to liquidation %, or the health factor), null when unknown. */
  current: number | null;
  state: 'off' | 'watching' | 'waiting' | 'checking' | 'paused';
  reason: string | null;
  last: TopUpAction | null;
  /** Collateral this rule moved in the last 24 h, USD. */
  spent24hUsd: number;
}

export function isAaveRule(r: Pick<TopUpRule, 'position'>): boolean {
  return r.position.startsWith('aave:');
}

export function topUpRuleProblem(r: TopUpRule): string | null {
  if (isAaveRule(r)) {
    if (!(r.trigger > 1)) return 'the health factor trigger must be above 1.00 (Aave liquidates below 1)';
    if (!(r.target > r.trigger)) return 'the target health factor must be above the trigger';
  }
  if (!(r.trigger > 0)) return 'the trigger must be a distance above 0 %';
  if (!(r.target > r.trigger)) return 'the target must be farther from liquidation than the trigger';
  if (!(r.maxUsd > 0)) return 'the largest top-up must be above $0';
  return null;
}
