import type { AlertRuleId, AlertTarget } from '../../../shared/domain/alerts.ts';
import type { AutoHedgeStatus } from '../../../shared/domain/hedge.ts';
import type { AccountSummary, PositionRow } from '../../../shared/domain/portfolio.ts';
import { POSITION_SOURCE_LABELS } from '../../../shared/domain/portfolio.ts';
import { VENUE_LABELS, type VenueStatus } from '../../../shared/domain/venues.ts';
import { formatFixed, formatUsd } from '../../../shared/format/numbers.ts';
import { shortAddress } from '../../../shared/format/address.ts';

/*
 * What each rule measures, from the engine's own state (pure: the monitor desk gathers the
 * inputs, alert-level.ts judges the figures). One measurement per rule and subject; a subject
 * that is no longer measured (a closed position) lets its alert clear.
 */

export interface MonitorInputs {
  now: number;
  positions: readonly PositionRow[];
  accounts: readonly AccountSummary[];
  venues: readonly VenueStatus[];
  hedgers: readonly AutoHedgeStatus[];
  /** How often the auto-hedgers check, ms: a live one far past its next check is late. */
  hedgerCheckMs: number;
  /** The book's total PnL now and its highest since the engine started, USD (null: not priced). */
  pnlUsd: number | null;
  peakPnlUsd: number | null;
  /** Armed top-ups that cannot see what they protect (venue down, account not read), and since when. */
  blindTopUps?: readonly BlindTopUp[];
}

export interface BlindTopUp {
  position: string;
  live: boolean;
  since: number;
  reason: string;
  target: AlertTarget;
}

/** An Aave account read that failed, or none newer than this, counts as a stale feed (the poll is a second). */
const AAVE_READ_STALE_MS = 10_000;
/** A top-up blind for this long is an alert of its own: it cannot protect what it watches. */
const TOP_UP_BLIND_MS = 10_000;

export interface Measurement {
  rule: AlertRuleId;
  subject: string;
  value: number;
  target: AlertTarget;
  /** The sentence for the alert, given the threshold crossed. */
  describe: (threshold: number) => string;
}

/** An address shortened; an account name (Deribit's "paper") as it is. */
function shortAccount(a: string): string {
  return /^0x[0-9a-f]{40}$/i.test(a) ? shortAddress(a) : a;
}

function positionName(p: PositionRow): string {
  return `${p.def.instrument} (${POSITION_SOURCE_LABELS[p.def.source]} ${shortAccount(p.def.account)})`;
}

function liquidation(p: PositionRow, out: Measurement[], seen: Set<string>): void {
  const l = p.liquidation;
  if (!l || p.def.source === 'what-if' || p.def.quantity === 0) return;
  const price = l.venuePrice ?? l.modelPrice;
  // Deribit liquidates an account whole: its price stands on every position in it, and is one alert, for the account.
  const account = p.def.source === 'deribit' ? `${p.def.account} ${p.def.underlying}` : null;
  const subject = account ? `deribit:${account}` : p.def.id;
  if (seen.has(subject)) return;
  seen.add(subject);
  const name = account ? `Deribit ${account} account` : positionName(p);
  // Words are written only when an alert is read (formatting is most of a measurement's cost).
  const at = (): string => (price === null ? '' : ` at $${formatFixed(price, price < 100 ? 4 : 0)}`);
  const target: AlertTarget = { workspace: 'portfolio', figure: account ? `account:deribit:${account}` : `position:${p.def.id}` };
  if (l.distancePct !== null) {
    // How far, whichever way: a long's liquidation sits below the mark, a short's above.
    const pct = Math.abs(l.distancePct) * 100;
    out.push({ rule: 'liq-distance-pct', subject, value: pct, target, describe: (t) => `${name}: ${formatFixed(pct, 1)} % from liquidation${at()} (alert below ${formatFixed(t, 1)} %)` });
  }
  if (l.distanceSigmas !== null) {
    const s = l.distanceSigmas;
    out.push({ rule: 'liq-distance-sigma', subject, value: s, target, describe: (t) => `${name}: ${formatFixed(s, 2)} daily σ from liquidation${at()} (alert below ${formatFixed(t, 2)} σ)` });
  }
}

function healthFactor(a: AccountSummary, out: Measurement[]): void {
  if (a.error || a.healthFactor === null || a.healthFactor === undefined) return;
  const hf = a.healthFactor;
  out.push({
    rule: 'health-factor',
    subject: `${a.source}:${a.account}`,
    value: hf,
    target: { workspace: 'portfolio', figure: `account:${a.source}:${a.account}` },
    describe: (t) => `Aave ${shortAccount(a.account)}: health factor ${formatFixed(hf, 3)} (alert below ${formatFixed(t, 2)}; liquidation below 1.00), debt ${formatUsd(a.marginUsedUsd ?? 0)}`,
  });
}

function marginRatio(a: AccountSummary, out: Measurement[]): void {
  // Aave's measure is its health factor, not a margin ratio.
  if (a.source === 'aave') return healthFactor(a, out);
  if (a.error || a.equityUsd === null || a.maintenanceUsd === null || a.maintenanceUsd <= 0) return;
  // Hyperliquid's cross ratio leaves isolated margin out of the equity as it leaves it out of the
  // maintenance (venues-trading H1.2): counting it would read a cross account safer than it is.
  const equity = a.marginEquityUsd ?? a.equityUsd;
  // No equity left with margin still required: as bad as it gets (the venue is liquidating).
  const ratio = equity > 0 ? (a.maintenanceUsd / equity) * 100 : 1_000;
  const name = `${POSITION_SOURCE_LABELS[a.source]} ${shortAccount(a.account)}`;
  out.push({
    rule: 'margin-ratio',
    subject: `${a.source}:${a.account}`,
    value: ratio,
    target: { workspace: 'portfolio', figure: `account:${a.source}:${a.account}` },
    describe: (t) => `${name}: maintenance margin ${formatUsd(a.maintenanceUsd!)} is ${formatFixed(ratio, 1)} % of ${a.marginEquityUsd === undefined ? 'equity' : 'cross equity'} ${formatUsd(equity)} (alert above ${formatFixed(t, 0)} %; liquidation at 100 %)`,
  });
}

function staleFeed(v: VenueStatus, now: number, out: Measurement[]): void {
  const up = v.state === 'connected';
  // A live link is judged by its last message; a dropped one from its last message too when that
  // is older than the drop: a link that redials keeps restarting its state's clock, while the
  // prices on screen keep ageing from the last thing received.
  const since = up ? (v.lastMessageAt ?? v.since) : Math.min(v.lastMessageAt ?? v.since, v.since);
  const seconds = Math.max(0, (now - since) / 1000);
  const name = VENUE_LABELS[v.venue];
  out.push({
    rule: 'stale-feed',
    subject: v.venue,
    value: seconds,
    target: { workspace: v.venue === 'deribit' ? 'options' : 'market', figure: `venue:${v.venue}` },
    describe: (t) =>
      up
        ? `${name}: nothing received for ${formatFixed(seconds, 0)} s (alert after ${formatFixed(t, 0)} s); prices and positions on screen are that old`
        : `${name} ${v.state}, nothing received for ${formatFixed(seconds, 0)} s${v.detail ? ` (${v.detail})` : ''}; automation on it is paused`,
  });
}

/**
 * Aave has no socket to go quiet: its feed is the account poll. A read that fails (the RPC is down
 * or refuses) or none for 10 s is a stale feed, aged from the last good read, so the health factor
 * on screen is never taken for a live one — and, armed, "Aave unreachable" starts its divestment.
 */
function aaveFeed(accounts: readonly AccountSummary[], now: number, out: Measurement[]): void {
  const aave = accounts.filter((a) => a.source === 'aave');
  if (!aave.length) return;
  const oldest = aave.reduce((o, a) => (a.updatedAt < o.updatedAt ? a : o));
  const age = Math.max(0, now - oldest.updatedAt);
  if (oldest.error === null && age <= AAVE_READ_STALE_MS) return;
  const seconds = age / 1000;
  out.push({
    rule: 'stale-feed',
    subject: 'aave',
    value: seconds,
    target: { workspace: 'portfolio', figure: `account:aave:${oldest.account}` },
    describe: (t) => `Aave: account ${shortAccount(oldest.account)} last read ${formatFixed(seconds, 0)} s ago (alert after ${formatFixed(t, 0)} s)${oldest.error ? `; ${oldest.error}` : ''}; its health factor on screen is that old and top-ups on it wait`,
  });
}

/** A live top-up blind past 10 s is critical (it protects nothing until it sees again); a dry-run one a warning. */
function blindTopUp(b: BlindTopUp, now: number, out: Measurement[]): void {
  if (now - b.since < TOP_UP_BLIND_MS) return;
  out.push({
    rule: 'automation',
    subject: `top-up:${b.position}`,
    value: b.live ? 2 : 1,
    target: b.target,
    describe: () => `Top-up on ${b.position.startsWith('aave:') ? `Aave ${shortAccount(b.position.slice(5))}` : b.position.split(':').pop()} (${b.live ? 'live' : 'dry-run'}) cannot act for ${formatFixed((now - b.since) / 1000, 0)} s: ${b.reason}`,
  });
}

function automation(h: AutoHedgeStatus, inputs: MonitorInputs, out: Measurement[]): void {
  if (h.config.mode === 'off') return;
  const u = h.config.underlying;
  const target: AlertTarget = { workspace: 'portfolio', figure: `hedge:${u}` };
  const late = !h.latched && inputs.now - h.checkedAt > Math.max(5_000, 3 * inputs.hedgerCheckMs);
  const stopped = h.state === 'paused' && h.latched;
  const level = late || stopped ? 2 : h.state === 'paused' ? 1 : 0;
  out.push({
    rule: 'automation',
    subject: `auto-hedge:${u}`,
    value: level,
    target,
    describe: () =>
      late
        ? `${u} auto-hedger (${h.config.mode}) has not checked the book for ${formatFixed((inputs.now - h.checkedAt) / 1000, 0)} s (it checks every ${formatFixed(inputs.hedgerCheckMs / 1000, 1)} s)`
        : `${u} auto-hedger (${h.config.mode}) ${stopped ? 'stopped until you re-arm it' : 'paused'}: ${h.reason ?? 'no reason given'}`,
  });
  if (h.delta !== null && h.bandHalfWidth !== null && h.bandHalfWidth > 0) {
    const gap = Math.abs(h.delta - h.target) / h.bandHalfWidth;
    out.push({
      rule: 'delta-band',
      subject: u,
      value: gap,
      target,
      describe: (t) => `${u} delta ${formatFixed(h.delta!, 3)} is ${formatFixed(gap, 1)} band half-widths (±${formatFixed(h.bandHalfWidth!, 3)}) from its target ${formatFixed(h.target, 3)} (alert beyond ${formatFixed(t, 1)}×)`,
    });
  }
}

export function measure(inputs: MonitorInputs): Measurement[] {
  const out: Measurement[] = [];
  const seen = new Set<string>();
  for (const p of inputs.positions) liquidation(p, out, seen);
  for (const a of inputs.accounts) marginRatio(a, out);
  for (const v of inputs.venues) staleFeed(v, inputs.now, out);
  aaveFeed(inputs.accounts, inputs.now, out);
  for (const b of inputs.blindTopUps ?? []) blindTopUp(b, inputs.now, out);
  for (const h of inputs.hedgers) automation(h, inputs, out);
  if (inputs.pnlUsd !== null && inputs.peakPnlUsd !== null) {
    const dd = Math.max(0, inputs.peakPnlUsd - inputs.pnlUsd);
    out.push({
      rule: 'drawdown',
      subject: 'book',
      value: dd,
      target: { workspace: 'portfolio', figure: 'totals' },
      describe: (t) => `Book PnL ${formatUsd(inputs.pnlUsd!)} is ${formatUsd(dd)} below its high of ${formatUsd(inputs.peakPnlUsd!)} this session (alert beyond ${formatUsd(t)})`,
    });
  }
  return out;
}
