import { DIVEST_PHASES, DIVEST_PHASE_TITLES, type DivestLeg, type DivestPhase, type DivestPlan, type DivestScope, type DivestStep, type DivestVenue } from '../../../shared/domain/divest.ts';
import { formatDollars } from '../../../shared/format/numbers.ts';
import { deribitOptionFeeCoin, VENUE_FEES } from '../../../shared/domain/venues.ts';
import type { Level } from '../../../shared/domain/ticket.ts';
import { absorbable, floorToLot, type SliceMarket } from './slice.ts';

/*
 * The kill switch's dry run (issue "Kill switch", item 1), pure: from what is held where, the live
 * books and the debts, the steps in their safe order, each leg with what the book takes now within
 * the slippage limit and what it costs. Nothing here reads a clock or sends anything.
 */

export interface HeldPosition {
  venue: Exclude<DivestVenue, 'aave'>;
  account: string;
  /** Venue's instrument: Hyperliquid the coin, Deribit the name. */
  instrument: string;
  underlying: string;
  kind: 'option' | 'perp';
  /** Signed, venue's order unit (coins; Deribit perpetuals USD). */
  position: number;
  /** Coin delta of the whole position, in the book's numeraire. */
  deltaCoin: number;
  /** Venue's price unit: USD per coin; per option contract, coin on Deribit, USD on Derive. */
  mark: number;
  /** Index, USD per coin (turns coin premiums and fees into USD). */
  index: number;
  lot: number;
  tick: number;
  /** The tick at a price where it changes with the price (Deribit options above their step). */
  tickAt?: (price: number) => number;
  bids: readonly Level[];
  asks: readonly Level[];
  /** Null when it can be traded here; else why not (no key for the account, no book…). */
  untradable: string | null;
  /** Derive's taker fee of one contract at a USD premium (its listing's schedule). */
  optionFeeUsd?: (premiumUsd: number) => number;
}

export interface HeldDebt {
  account: string;
  symbol: string;
  /** Owed, tokens. */
  debt: number;
  /** In the wallet, tokens. */
  wallet: number;
  priceUsd: number;
  /** Collateral supplied, USD (stays supplied: never withdrawn by the kill switch). */
  collateralUsd: number;
}

/** Collateral supplied to Aave (what the withdraw step takes back). */
export interface HeldCollateral {
  account: string;
  symbol: string;
  /** Supplied, tokens. */
  supplied: number;
  priceUsd: number;
}

export interface DivestLimits {
  perpSlippageBps: number;
  /** Options: worst price a share of the mark away (0.25 = 25 %), and at least this many ticks. */
  optionSlippagePct: number;
  optionMinTicks: number;
  /** Options: and at least this far from the mark, USD per contract. */
  optionMinUsd: number;
  /** Repay this much over the debt, for the interest that accrues while the transaction lands (Aave takes only what is owed). */
  repayHeadroom: number;
}

export const DEFAULT_DIVEST_LIMITS: DivestLimits = { perpSlippageBps: 50, optionSlippagePct: 0.25, optionMinTicks: 3, optionMinUsd: 5, repayHeadroom: 0.001 };

export interface DivestInputs {
  scope: DivestScope;
  positions: readonly HeldPosition[];
  debts: readonly HeldDebt[];
  /** Aave collateral, and whether to withdraw it once the debt is repaid. */
  collateral?: readonly HeldCollateral[];
  withdraw?: boolean;
  /** Live orders the engine knows of, per venue. */
  openOrders: Partial<Record<DivestVenue, number>>;
  /** Venues in scope that cannot trade now, with why (reconnecting, reconciling…). */
  gates: Partial<Record<DivestVenue, string>>;
  limits: DivestLimits;
}

export type DivestDraft = Omit<DivestPlan, 'id' | 'createdAt' | 'expiresAt' | 'confirmWord'>;

const inScope = (scope: DivestScope, venue: DivestVenue): boolean => scope === 'all' || scope === venue;

/** The market of a position for slicing: its book and its slippage limit. */
export function sliceMarket(p: HeldPosition, limits: DivestLimits, position = p.position): SliceMarket {
  return {
    position,
    mark: p.mark,
    bids: p.bids,
    asks: p.asks,
    lot: p.lot,
    tick: p.tick,
    ...(p.tickAt ? { tickAt: p.tickAt } : {}),
    limit: p.kind === 'option' ? { kind: 'premium', pct: limits.optionSlippagePct, minTicks: limits.optionMinTicks, minRoom: p.venue === 'deribit' && p.index > 0 ? limits.optionMinUsd / p.index : limits.optionMinUsd } : { kind: 'bps', bps: limits.perpSlippageBps },
    maxClip: null,
  };
}

/** Slippage against the mark and the taker fee of trading `size` at `avg`, USD; and the notional. */
export function tradeCostUsd(p: Pick<HeldPosition, 'venue' | 'kind' | 'mark' | 'index' | 'optionFeeUsd'>, size: number, avg: number): { costUsd: number; notionalUsd: number } {
  const slip = Math.abs(avg - p.mark);
  // A peer venue's option (Derive): premiums in USD, its fee per contract from the listing.
  if (p.kind === 'option' && p.optionFeeUsd) return { costUsd: size * slip + size * p.optionFeeUsd(avg), notionalUsd: size * avg };
  if (p.kind === 'option') {
    // Coin premium per contract: slippage and fee in coin, at the index.
    const fee = deribitOptionFeeCoin(size, avg);
    return { costUsd: (size * slip + fee) * p.index, notionalUsd: size * avg * p.index };
  }
  if (p.venue === 'deribit') return { costUsd: size * (slip / avg) + size * VENUE_FEES.deribitPerp.taker, notionalUsd: size };
  return { costUsd: size * slip + size * avg * VENUE_FEES.hyperliquid.taker, notionalUsd: size * avg };
}

/**
 * How much of each perp hedge to keep against options delta that stays (in the whole-book
 * divestment): the perps of an underlying are brought toward −(options delta left), never past
 * flat and never grown. Returns the size to close per position id (`venue:instrument`).
 */
export function hedgeToClose(perps: readonly HeldPosition[], optionsDeltaLeft: number, perpDeltaPerUnit: (p: HeldPosition) => number): Map<HeldPosition, number> {
  const out = new Map<HeldPosition, number>();
  // Coins of hedge still wanted, with the sign the hedge must have.
  let keep = -optionsDeltaLeft;
  for (const p of perps) {
    const per = perpDeltaPerUnit(p);
    const coins = p.position * per;
    let kept = 0;
    if (keep !== 0 && Math.sign(coins) === Math.sign(keep)) {
      kept = Math.sign(keep) * Math.min(Math.abs(keep), Math.abs(coins));
      keep -= kept;
    }
    const close = floorToLot(Math.abs(p.position) - Math.abs(kept / per), p.lot);
    out.set(p, Math.max(0, close));
  }
  return out;
}

/** Coins of delta per unit of a perp position (Hyperliquid coin = 1; Deribit USD contract = 1 ÷ mark). */
export const perpDeltaPerUnit = (p: Pick<HeldPosition, 'venue' | 'mark'>): number => (p.venue === 'deribit' ? 1 / p.mark : 1);

export function planDivest(x: DivestInputs): DivestDraft {
  const left: DivestPlan['left'] = [];
  const legs: DivestLeg[] = [];
  const held = x.positions.filter((p) => p.position !== 0 && inScope(x.scope, p.venue));
  for (const p of x.positions) {
    if (p.position === 0) continue;
    if (!inScope(x.scope, p.venue)) continue;
    if (p.untradable) left.push({ venue: p.venue, account: p.account, instrument: p.instrument, reason: p.untradable });
  }
  const tradable = held.filter((p) => !p.untradable);
  /** How much of each position the legs close, for the delta left after. */
  const closing = new Map<HeldPosition, number>();
  const leg = (phase: DivestPhase, p: HeldPosition, size: number, note: string | null): DivestLeg => {
    closing.set(p, size);
    const m = sliceMarket(p, x.limits);
    const side = p.position > 0 ? 'sell' : 'buy';
    const now = absorbable(m, size);
    const takenNow = floorToLot(now.filled, p.lot);
    const rest = size - takenNow;
    // What the book takes now at its prices; the rest at the limit price (the most it can cost).
    const atBook = takenNow > 0 && now.avgPrice !== null ? tradeCostUsd(p, takenNow, now.avgPrice) : { costUsd: 0, notionalUsd: 0 };
    const atCap = rest > 0 ? tradeCostUsd(p, rest, now.cap) : { costUsd: 0, notionalUsd: 0 };
    const thin = rest > 1e-9 ? `the book takes ${fmt(takenNow)} of ${fmt(size)} within the limit now: sliced, the rest as the book refills (cost of the rest counted at the limit price)` : null;
    return {
      id: `${phase}:${p.venue}:${p.instrument}`,
      phase,
      venue: p.venue,
      account: p.account,
      instrument: p.instrument,
      underlying: p.underlying,
      side,
      size,
      unit: p.venue === 'deribit' && p.kind === 'perp' ? 'USD' : 'coin',
      positionBefore: p.position,
      mark: p.mark,
      absorbableNow: takenNow,
      estAvgPrice: now.avgPrice,
      estCostUsd: atBook.costUsd + atCap.costUsd,
      notionalUsd: atBook.notionalUsd + atCap.notionalUsd,
      slices: takenNow > 0 ? Math.max(1, Math.ceil(size / takenNow - 1e-9)) : 1,
      note: [note, thin].filter(Boolean).join('; ') || null,
    };
  };
  for (const p of tradable.filter((q) => q.kind === 'option' && q.position < 0)) legs.push(leg('buy-back-shorts', p, Math.abs(p.position), null));
  for (const p of tradable.filter((q) => q.kind === 'option' && q.position > 0)) legs.push(leg('sell-longs', p, Math.abs(p.position), null));
  // The hedges: in the whole-book divestment a perp is kept against option delta that stays
  // (options nobody can trade here); a single venue's divestment closes that venue's perps whole.
  const underlyings = [...new Set(tradable.filter((p) => p.kind === 'perp').map((p) => p.underlying))];
  for (const u of underlyings) {
    const perps = tradable.filter((p) => p.kind === 'perp' && p.underlying === u);
    const optionsLeft = x.scope === 'all' ? x.positions.filter((p) => p.kind === 'option' && p.underlying === u && p.untradable).reduce((s, p) => s + p.deltaCoin, 0) : 0;
    const close = hedgeToClose(perps, optionsLeft, perpDeltaPerUnit);
    for (const p of perps) {
      const size = close.get(p) ?? 0;
      const kept = Math.abs(p.position) - size;
      const note = kept > p.lot / 2 ? `${fmt(kept)} ${p.venue === 'deribit' ? 'USD' : u} kept against the delta of options that stay` : null;
      if (size > 0) legs.push(leg('hedges', p, size, note));
      else left.push({ venue: p.venue, account: p.account, instrument: p.instrument, reason: 'kept whole as the hedge of options that stay' });
    }
  }
  if (inScope(x.scope, 'aave')) {
    for (const d of x.debts) {
      // Interest dust left after a repay (under a cent) is not a debt to act on.
      if (!(d.debt * d.priceUsd >= 0.01)) continue;
      const want = d.debt * (1 + x.limits.repayHeadroom);
      const pay = Math.min(want, d.wallet);
      const short = d.wallet < d.debt * (1 - 1e-6);
      if (!(pay > 0)) {
        left.push({ venue: 'aave', account: d.account, instrument: d.symbol, reason: `the wallet holds no ${d.symbol} to repay ${fmt(d.debt)} ${d.symbol}` });
        continue;
      }
      const notes = [short ? `the wallet holds ${fmt(d.wallet)} of the ${fmt(d.debt)} ${d.symbol} owed: ${fmt(d.debt - d.wallet)} stays owed` : null, x.withdraw ? null : `collateral (${usd(d.collateralUsd)}) stays supplied (ask the plan to withdraw it)`].filter(Boolean);
      legs.push({
        id: `repay:aave:${d.account}:${d.symbol}`,
        phase: 'repay',
        venue: 'aave',
        account: d.account,
        instrument: d.symbol,
        underlying: d.symbol,
        side: 'repay',
        size: pay,
        unit: 'token',
        positionBefore: d.debt,
        mark: null,
        absorbableNow: d.wallet,
        estAvgPrice: null,
        estCostUsd: 0,
        notionalUsd: Math.min(pay, d.debt) * d.priceUsd,
        slices: 1,
        note: notes.join('; '),
      });
    }
  }
  if (inScope(x.scope, 'aave') && x.withdraw) {
    for (const c of x.collateral ?? []) {
      if (!(c.supplied * c.priceUsd >= 0.01)) continue;
      const owes = x.debts.some((d) => d.account === c.account && d.debt * d.priceUsd >= 0.01);
      legs.push({
        id: `withdraw:aave:${c.account}:${c.symbol}`,
        phase: 'withdraw',
        venue: 'aave',
        account: c.account,
        instrument: c.symbol,
        underlying: c.symbol,
        side: 'withdraw',
        size: c.supplied,
        unit: 'token',
        positionBefore: c.supplied,
        mark: null,
        absorbableNow: c.supplied,
        estAvgPrice: null,
        estCostUsd: 0,
        notionalUsd: c.supplied * c.priceUsd,
        slices: 1,
        note: owes ? 'only once the debt is repaid: main signs a withdraw for an account with no debt, to its own wallet' : 'to the account’s own wallet',
      });
    }
  }
  const steps: DivestStep[] = [];
  const orders = (Object.entries(x.openOrders) as [DivestVenue, number][]).filter(([v]) => inScope(x.scope, v)).map(([venue, count]) => ({ venue, count }));
  steps.push({ phase: 'cancel', title: DIVEST_PHASE_TITLES.cancel, legs: [], orders });
  for (const phase of DIVEST_PHASES.slice(1)) {
    const these = legs.filter((l) => l.phase === phase);
    if (these.length) steps.push({ phase, title: DIVEST_PHASE_TITLES[phase], legs: these });
  }
  const gates = (Object.entries(x.gates) as [DivestVenue, string][]).filter(([v]) => inScope(x.scope, v) && legs.some((l) => l.venue === v));
  const deltaAfter = new Map<string, number>();
  for (const p of x.positions) {
    if (p.position === 0) continue;
    const share = 1 - (closing.get(p) ?? 0) / Math.abs(p.position);
    deltaAfter.set(p.underlying, (deltaAfter.get(p.underlying) ?? 0) + p.deltaCoin * share);
  }
  return {
    scope: x.scope,
    withdraw: x.withdraw ?? false,
    steps,
    left,
    totalCostUsd: legs.reduce((s, l) => s + l.estCostUsd, 0),
    perpSlippageBps: x.limits.perpSlippageBps,
    optionSlippagePct: x.limits.optionSlippagePct,
    waitsFor: gates.length ? gates.map(([v, why]) => `${v}: ${why}`).join('; ') : null,
    deltaAfter: [...deltaAfter].map(([underlying, coins]) => ({ underlying, coins: Math.abs(coins) < 1e-9 ? 0 : coins })),
  };
}

/** An amount as the venue's words give it: plain digits, no grouping, six decimals at most. */
export const plainAmount = (v: number): string => String(Number(v.toFixed(6)));
const fmt = plainAmount;
const usd = formatDollars;
