import type { LadderMargin, LadderMarker, PositionSource } from '../../../shared/domain/portfolio.ts';
import { maintenanceRate } from '../../../shared/domain/liquidation.ts';
import { formatFixed } from '../../../shared/format/numbers.ts';
import { coinMarksNow, marginsAt, type DeribitLeg } from './deribit-margin.ts';
import type { RiskInput } from '../../../shared/domain/portfolio.ts';
import { positionRisk } from './portfolio.ts';
import { deriveRequirement } from '../../venues/derive/standard-margin.ts';

/*
 * Each venue's margin use at each Greeks-ladder price (issue "Monitoring", item 2): the account
 * revalued with the underlying there, its maintenance margin ÷ its equity in % (Aave: debt ÷
 * collateral × liquidation threshold, i.e. 1 ÷ the health factor), so the trader reads "at 84,000
 * Deribit BTC is at 71 %, Hyperliquid at 40 %" on the row. 100 % is where the venue liquidates; a
 * margin call starts where the trader's own margin alert turns to a warning (no venue here sends
 * a margin call of its own: Deribit's e-mails are reminders, Hyperliquid has none). Pure: the
 * portfolio desk builds the models from what the venues last reported.
 */

export interface MarginModel {
  source: PositionSource;
  account: string;
  /** Short name for the column: "Deribit BTC", "HL 0x12…cdef", "HL 0x12…cdef iso". */
  label: string;
  basis: LadderMargin['basis'];
  /** Margin use with the underlying at `price`, % (Infinity: no equity left; NaN: cannot say). */
  useAt: (price: number) => number;
}

/** Maintenance ÷ equity in %, with no equity left read as Infinity (the venue is liquidating). */
const ratio = (maintenance: number, equity: number): number => (equity > 0 ? (maintenance / equity) * 100 : maintenance > 0 ? Infinity : 0);

/** A Deribit currency account: standard margin of its book (deribit-margin.ts), coin over coin. */
export function deribitMarginModel(account: string, currency: string, legs: readonly DeribitLeg[], equityCoin: number, spot: number, now: number): MarginModel {
  const marksNow = coinMarksNow(legs, spot, now);
  return {
    source: 'deribit',
    account,
    label: `Deribit ${currency}`,
    basis: 'maintenance ÷ equity',
    useAt: (price) => {
      const m = marginsAt(legs, equityCoin, spot, now, price / spot - 1, marksNow);
      return ratio(m.maintenanceCoin, m.equityCoin);
    },
  };
}

/** One Hyperliquid perp as its margin sees it: size, live mark and the venue's last figures. */
export interface HyperliquidMarginLeg {
  quantity: number;
  /** Live mark, USD. */
  mark: number;
  maxLeverage: number;
  /** Cross: the account value; isolated: the position's margin with its PnL; USD at markAtUpdate. */
  equity: number;
  markAtUpdate: number;
  /** Cross: maintenance of the account's positions in other coins, USD (held fixed: they do not move). */
  otherMaintenance: number;
}

/**
 * A Hyperliquid cross account's positions in one underlying, or one isolated position: the mark
 * moves with the underlying, equity by the position's PnL, and maintenance is the notional at the
 * new mark × 1/(2·max leverage) plus the other coins' maintenance (liquidation.ts).
 */
export function hyperliquidMarginModel(account: string, label: string, legs: readonly HyperliquidMarginLeg[], spot: number): MarginModel {
  const first = legs[0];
  return {
    source: 'hyperliquid',
    account,
    label,
    basis: 'maintenance ÷ equity',
    useAt: (price) => {
      if (!first) return NaN;
      const move = price / spot;
      let equity = first.equity;
      let maintenance = first.otherMaintenance;
      for (const l of legs) {
        const mark = l.mark * move;
        equity += l.quantity * (mark - l.markAtUpdate);
        maintenance += Math.abs(l.quantity) * mark * maintenanceRate(l.maxLeverage);
      }
      return ratio(maintenance, equity);
    },
  };
}

/** A Derive subaccount's options in one underlying, as its standard margin revalues them. */
export interface DeriveMarginLeg {
  input: Extract<RiskInput, { type: 'option' }> & { underlying: string };
  /** Its expiry's forward now, USD. */
  forward: number;
}

/**
 * A Derive subaccount: every option in the underlying revalued with it (linear: USD value), and
 * Derive's standard-margin requirement recomputed there; what it holds in other underlyings asks
 * what it asks now (the venue's requirement less this underlying's share of it).
 */
export function deriveMarginModel(account: string, label: string, legs: readonly DeriveMarginLeg[], valueNowUsd: number, requirementNowUsd: number, spot: number, now: number): MarginModel {
  const value = (l: DeriveMarginLeg, move: number): number => positionRisk({ ...l.input, quantity: 1 }, { spot, forward: l.forward }, now, { spot: move, volPoints: 0, days: 0 }).valueUsd;
  const marksNow = legs.map((l) => value(l, 0));
  const at = (move: number, marks: readonly number[]) =>
    deriveRequirement(legs.map((l, i) => ({ market: l.input.underlying, kind: l.input.kind, strike: l.input.strike, expiry: l.input.expiry, amount: l.input.quantity, mark: marks[i]!, spot: spot * (1 + move), forward: l.forward * (1 + move) }))).maintenanceUsd;
  const others = requirementNowUsd - at(0, marksNow);
  return {
    source: 'derive',
    account,
    label,
    basis: 'maintenance ÷ equity',
    useAt: (price) => {
      const move = price / spot - 1;
      const marks = move === 0 ? marksNow : legs.map((l) => value(l, move));
      let equity = valueNowUsd;
      for (const [i, l] of legs.entries()) equity += l.input.quantity * (marks[i]! - marksNow[i]!);
      return ratio(others + at(move, marks), equity);
    },
  };
}

/** An Aave account's reserves as the ladder needs them: USD now, and whether each moves with the underlying. */
export interface AaveMarginInput {
  account: string;
  /** The account's weighted liquidation threshold, a fraction (exact while the collateral is one asset). */
  liquidationThreshold: number;
  reserves: { suppliedUsd: number; borrowedUsd: number; collateral: boolean; movesWithUnderlying: boolean }[];
}

/** Aave: debt ÷ (collateral × liquidation threshold), in %: 100 % is a health factor of 1. */
export function aaveMarginModel(input: AaveMarginInput, label: string, spot: number): MarginModel {
  return {
    source: 'aave',
    account: input.account,
    label,
    basis: '1 ÷ health factor',
    useAt: (price) => {
      const move = price / spot;
      let collateral = 0;
      let debt = 0;
      for (const r of input.reserves) {
        const k = r.movesWithUnderlying ? move : 1;
        if (r.collateral) collateral += r.suppliedUsd * k;
        debt += r.borrowedUsd * k;
      }
      return ratio(debt, collateral * input.liquidationThreshold);
    },
  };
}

/** What the trader's alert rules call a margin call: margin use in %, per kind of figure. */
export interface MarginCallLevels {
  /** The margin-ratio rule's warning level, % (null: the rule is off). */
  ratioPct: number | null;
  /** The health-factor rule's warning level (null: off). */
  healthFactor: number | null;
}

export function callLevel(basis: LadderMargin['basis'], levels: MarginCallLevels): number | null {
  if (basis === 'maintenance ÷ equity') return levels.ratioPct;
  return levels.healthFactor !== null && levels.healthFactor > 0 ? 100 / levels.healthFactor : null;
}

/**
 * Every model at every ladder row, and the prices nearest spot, either side, where margin use
 * crosses the margin-call level and (for Aave, whose liquidation no position marks) 100 %:
 * found between the rows and refined by bisection, so the marker sits on the row that holds it.
 */
export function ladderMargins(models: readonly MarginModel[], prices: Float64Array, spot: number, levels: MarginCallLevels): { margins: LadderMargin[]; markers: LadderMarker[] } {
  const margins: LadderMargin[] = [];
  const markers: LadderMarker[] = [];
  for (const m of models) {
    const use = new Float64Array(prices.length).fill(NaN);
    for (let i = 0; i < prices.length; i++) if (prices[i]! > 0) use[i] = m.useAt(prices[i]!);
    const callAt = callLevel(m.basis, levels);
    margins.push({ source: m.source, account: m.account, label: m.label, basis: m.basis, use, callAt });
    const now = m.useAt(spot);
    if (!Number.isFinite(now)) continue;
    const crossings: { level: number; label: string; kind: LadderMarker['kind'] }[] = [];
    if (callAt !== null) crossings.push({ level: callAt, label: `Margin call ${m.label} (${formatFixed(callAt, 0)} %)`, kind: 'margin-call' });
    if (m.source === 'aave') crossings.push({ level: 100, label: `Liq ${m.label} (HF 1)`, kind: 'liquidation' });
    for (const c of crossings) {
      if (now >= c.level) continue;
      for (const dir of [1, -1] as const) {
        const at = firstCrossing(m, prices, spot, dir, c.level);
        if (at !== null) markers.push({ price: at, label: c.label, kind: c.kind });
      }
    }
  }
  return { margins, markers };
}

/** Walking from spot in one direction (1: up the price), where use first reaches `level`. */
function firstCrossing(m: MarginModel, prices: Float64Array, spot: number, dir: 1 | -1, level: number): number | null {
  // Rows are highest first; walk the ones on this side of spot, nearest first.
  const side = [...prices].filter((p) => p > 0 && (dir > 0 ? p > spot : p < spot)).sort((a, b) => (a - b) * dir);
  let safe = spot;
  for (const p of side) {
    if (m.useAt(p) >= level) {
      let bad = p;
      for (let i = 0; i < 30 && Math.abs(bad - safe) > spot * 1e-5; i++) {
        const mid = (safe + bad) / 2;
        if (m.useAt(mid) >= level) bad = mid;
        else safe = mid;
      }
      return bad;
    }
    safe = p;
  }
  return null;
}
