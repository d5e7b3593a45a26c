/*
 * Alerts (DESIGN.md §4b, issue "Monitoring"): rules the engine evaluates over its own state, with
 * thresholds the trader edits, hysteresis so a figure hovering at a threshold does not flap, and
 * three levels that escalate. The engine owns them (a hidden window is throttled); the screen,
 * main's desktop notifications and the journal all see the same records.
 */

export const ALERT_LEVELS = ['info', 'warning', 'critical'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

export const ALERT_RULES = ['liq-distance-pct', 'liq-distance-sigma', 'margin-ratio', 'health-factor', 'stale-feed', 'automation', 'delta-band', 'drawdown', 'mark-deviation', 'book-spread', 'book-depth', 'stablecoin-depeg', 'oracle-frozen'] as const;

/**
 * "The protocol broke" (issue "Kill switch", item 3): the rules whose critical level, for a venue
 * armed for it, starts that venue's divestment. The venue is the first part of the alert's subject.
 */
export const PROTOCOL_RULES: ReadonlySet<AlertRuleId> = new Set(['stale-feed', 'mark-deviation', 'book-spread', 'book-depth', 'stablecoin-depeg', 'oracle-frozen']);
export type AlertRuleId = (typeof ALERT_RULES)[number];

/** 'below': the figure is worse the lower it is (distance to liquidation); 'above': the higher. */
export type AlertDirection = 'below' | 'above';

export interface AlertRuleSettings {
  enabled: boolean;
  /** Thresholds per level in the rule's unit; null leaves that level out. */
  info: number | null;
  warning: number | null;
  critical: number | null;
  /**
   * How far past a threshold, in the rule's unit, the figure must come back before the alert
   * eases to a lower level or clears (e.g. a 10 % liquidation warning clears above 12 %).
   */
  hysteresis: number;
}

export interface AlertRuleInfo {
  id: AlertRuleId;
  label: string;
  unit: string;
  direction: AlertDirection;
  /** What the figure is, for the settings screen. */
  help: string;
}

export const RULE_INFO: Record<AlertRuleId, AlertRuleInfo> = {
  'liq-distance-pct': { id: 'liq-distance-pct', label: 'Liquidation distance', unit: '%', direction: 'below', help: 'Move of the mark to the liquidation price, per position' },
  'liq-distance-sigma': { id: 'liq-distance-sigma', label: 'Liquidation distance in σ', unit: 'σ', direction: 'below', help: 'The same move in daily standard deviations of the underlying' },
  'margin-ratio': { id: 'margin-ratio', label: 'Margin ratio', unit: '%', direction: 'above', help: 'Maintenance margin ÷ equity per account; the venue liquidates at 100 %' },
  'health-factor': { id: 'health-factor', label: 'Aave health factor', unit: 'HF', direction: 'below', help: 'Collateral × liquidation threshold ÷ debt per Aave account; liquidation below 1.00' },
  'stale-feed': { id: 'stale-feed', label: 'Stale feed', unit: 's', direction: 'above', help: 'Seconds since the venue last sent anything, or since it dropped' },
  automation: { id: 'automation', label: 'Automation', unit: 'level', direction: 'above', help: 'An auto-hedger paused (1 = warning), stopped until re-armed, or late for its check (2 = critical)' },
  'delta-band': { id: 'delta-band', label: 'Delta outside its band', unit: '× band', direction: 'above', help: 'Distance of delta from target in half-widths of the auto-hedger band' },
  drawdown: { id: 'drawdown', label: 'PnL drawdown', unit: 'USD', direction: 'above', help: 'Fall of the book’s total PnL from its highest since the engine started' },
  'mark-deviation': { id: 'mark-deviation', label: 'Mark off the index', unit: 'bps', direction: 'above', help: 'A perp’s mid against the index (Deribit’s own; Hyperliquid’s against Deribit’s), per venue and coin' },
  'book-spread': { id: 'book-spread', label: 'Spread blown out', unit: 'bps', direction: 'above', help: 'Best ask less best bid of a perp book, in basis points of the mid' },
  'book-depth': { id: 'book-depth', label: 'Depth collapsed', unit: 'USD', direction: 'below', help: 'What a perp book offers within 1 % of the mid, the thinner side, USD' },
  'stablecoin-depeg': { id: 'stablecoin-depeg', label: 'Stablecoin depeg', unit: 'bps', direction: 'above', help: 'A stablecoin reserve’s Aave oracle price away from $1' },
  'oracle-frozen': { id: 'oracle-frozen', label: 'Aave oracle frozen', unit: 's', direction: 'above', help: 'Seconds the oracle’s price of a reserve has not moved while its market moved 1 % or more' },
};

export const DEFAULT_ALERT_RULES: Record<AlertRuleId, AlertRuleSettings> = {
  'liq-distance-pct': { enabled: true, info: 20, warning: 10, critical: 5, hysteresis: 2 },
  'liq-distance-sigma': { enabled: true, info: null, warning: 3, critical: 1.5, hysteresis: 0.3 },
  'margin-ratio': { enabled: true, info: 50, warning: 70, critical: 85, hysteresis: 5 },
  'health-factor': { enabled: true, info: 1.5, warning: 1.25, critical: 1.1, hysteresis: 0.05 },
  'stale-feed': { enabled: true, info: null, warning: 5, critical: 30, hysteresis: 1 },
  automation: { enabled: true, info: null, warning: 1, critical: 2, hysteresis: 0 },
  'delta-band': { enabled: true, info: null, warning: 1.5, critical: 3, hysteresis: 0.25 },
  drawdown: { enabled: true, info: null, warning: 10_000, critical: 25_000, hysteresis: 1_000 },
  'mark-deviation': { enabled: true, info: null, warning: 100, critical: 300, hysteresis: 20 },
  'book-spread': { enabled: true, info: null, warning: 50, critical: 200, hysteresis: 10 },
  'book-depth': { enabled: true, info: null, warning: 50_000, critical: 10_000, hysteresis: 5_000 },
  'stablecoin-depeg': { enabled: true, info: null, warning: 50, critical: 200, hysteresis: 10 },
  'oracle-frozen': { enabled: true, info: null, warning: 120, critical: 600, hysteresis: 10 },
};

/** Where the cause lives on screen: the workspace to open and the figure to highlight. */
export interface AlertTarget {
  workspace: 'market' | 'options' | 'portfolio' | 'vault' | 'journal';
  /** `position:<id>`, `account:<source>:<account>`, `venue:<id>`, `hedge:<underlying>`, `totals`. */
  figure: string;
}

export interface Alert {
  /** Stable per rule and subject: `<rule>|<subject>`. */
  key: string;
  rule: AlertRuleId;
  /** What the rule measured: a position, an account, a venue, an underlying or the book. */
  subject: string;
  level: AlertLevel;
  /** Highest level reached since it was raised. */
  peak: AlertLevel;
  /** Words a trader reads first: what, how far, what threshold. */
  message: string;
  value: number;
  threshold: number;
  unit: string;
  raisedAt: number;
  updatedAt: number;
  /** When it cleared, or null while active. */
  clearedAt: number | null;
  acknowledged: boolean;
  target: AlertTarget;
  /** Restored from the journal after a restart and not measured again yet. */
  restored: boolean;
}

export interface AlertsSnapshot {
  /** Active alerts, worst first. */
  active: Alert[];
  /** The most recent alerts that cleared, newest first. */
  recent: Alert[];
  rules: Record<AlertRuleId, AlertRuleSettings>;
  /** When the rules were last evaluated, ms since epoch (null before the first). */
  evaluatedAt: number | null;
}

export function levelRank(level: AlertLevel | null): number {
  return level === null ? 0 : ALERT_LEVELS.indexOf(level) + 1;
}

/** Checks one rule's thresholds are ordered the way the rule worsens, so escalation is monotone. */
export function ruleSettingsProblem(rule: AlertRuleId, s: AlertRuleSettings): string | null {
  const dir = RULE_INFO[rule].direction;
  const set = ALERT_LEVELS.map((l) => [l, s[l]] as const).filter((e): e is readonly [AlertLevel, number] => e[1] !== null);
  if (s.enabled && set.length === 0) return `${RULE_INFO[rule].label}: set at least one threshold or switch the rule off`;
  for (let i = 1; i < set.length; i++) {
    const [prevLevel, prev] = set[i - 1]!;
    const [level, v] = set[i]!;
    if (dir === 'below' ? v >= prev : v <= prev) return `${RULE_INFO[rule].label}: the ${level} threshold must be ${dir === 'below' ? 'below' : 'above'} the ${prevLevel} one`;
  }
  if (s.hysteresis < 0) return `${RULE_INFO[rule].label}: hysteresis cannot be negative`;
  return null;
}
