import { randomUUID } from 'node:crypto';
import { tickAt, type Instrument } from '../../../shared/domain/instruments.ts';
import { DEFAULT_HEDGE_LIMITS, type HedgeDraft, type HedgeLimits, type HedgePlan, type HedgePreview, type HedgeRefusal, type HedgeTarget, type HedgeVenue } from '../../../shared/domain/hedge.ts';
import type { OrderRow } from '../../../shared/domain/orders.ts';
import { perpContext } from '../../../shared/domain/perp-context.ts';
import type { Level } from '../../../shared/domain/ticket.ts';
import { VENUE_FEES } from '../../../shared/domain/venues.ts';
import { unpackSide } from '../../../shared/stream/packed-book.ts';
import { isDeribitPerpCoin } from '../../../shared/domain/deribit-perp.ts';
import { perpInstrumentId } from '../../venues/hyperliquid/instruments.ts';
import type { EngineJournal } from '../journal/journal-db.ts';
import type { FramePart, MarketState } from '../market/market-state.ts';
import type { StreamFrame } from '../../../shared/stream/frame.ts';
import type { OrdersDesk } from '../orders/orders-desk.ts';
import type { PortfolioDesk } from '../portfolio/portfolio-desk.ts';
import { deribitPerpInstrument, planHedge, type HedgeInputs } from './planner.ts';

/*
 * Hedge to target from the keyboard (issue "Hedging", item 3). A preview is a plan kept here
 * under an id for a few seconds; confirming sends that id, never the order (approve by id). At
 * confirm the plan is made again against the live book and state: refused if the price moved
 * beyond tolerance or anything it needs went stale; otherwise it goes out as an immediate-or-
 * cancel order whose intent id is the preview's, so a second confirm is the same order.
 */

export interface HedgeDeskOptions {
  portfolio: PortfolioDesk;
  /** Index (else perp mid) of an underlying, USD. */
  spot: (underlying: string) => number | null;
  state: MarketState;
  orders: OrdersDesk;
  journal: EngineJournal | null;
  instruments: () => Instrument[];
  now: () => number;
  limits?: Partial<HedgeLimits>;
}

interface Kept {
  preview: HedgePreview;
  underlying: string;
  fraction: number;
}

const KEPT = 20;
/**
 * How often the streamed drafts are planned again, ms: a draft the hedge key opens is at most this
 * old (plus a frame), and the kept preview replaces it a round trip later. One plan costs ~0.1 ms.
 */
export const HEDGE_DRAFT_MS = 200;
const PRESETS = [1, 0.5] as const;

export class HedgeDesk implements FramePart {
  private readonly o: HedgeDeskOptions;
  readonly limits: HedgeLimits;
  private readonly previews = new Map<string, Kept>();
  private draftsAt = -Infinity;
  private draftsSent = 0;

  constructor(options: HedgeDeskOptions) {
    this.o = options;
    this.limits = { ...DEFAULT_HEDGE_LIMITS, ...options.limits };
  }

  /** The saved target, else delta 0 on Hyperliquid's perp. */
  target(underlying: string): HedgeTarget {
    const saved = this.o.portfolio.hedgeTargets()[underlying];
    return { underlying, delta: saved?.delta ?? 0, venue: saved?.venue ?? 'hyperliquid' };
  }

  setTarget(t: HedgeTarget): HedgeTarget {
    if (t.venue === 'deribit' && !isDeribitPerpCoin(t.underlying)) throw new Error(`Deribit has no ${t.underlying} perpetual to hedge with`);
    this.o.portfolio.setHedgeTarget(t.underlying, { delta: t.delta, venue: t.venue });
    // The next frame carries drafts for the new target, not ones planned for the old.
    this.draftsAt = -Infinity;
    return t;
  }

  /** A plan to bring `underlying` to its target (or `fraction` of the way), kept under a new id. */
  preview(underlying: string, fraction: number): HedgePreview {
    const now = this.o.now();
    const result = this.plan(underlying, fraction);
    const preview: HedgePreview = { id: `hedge-${randomUUID()}`, createdAt: now, expiresAt: now + this.limits.previewTtlMs, result, budgetLeftUsd: null };
    this.previews.set(preview.id, { preview, underlying, fraction });
    while (this.previews.size > KEPT) this.previews.delete(this.previews.keys().next().value!);
    this.journalDecision('preview', preview.id, result);
    return preview;
  }

  /**
   * Drafts are due every HEDGE_DRAFT_MS while something is held (the book and the positions move
   * all the time). With nothing held and nothing sent before, the next look is a period later.
   */
  get dirty(): boolean {
    const now = this.o.now();
    if (now - this.draftsAt < HEDGE_DRAFT_MS) return false;
    if (this.draftsSent > 0 || this.draftUnderlyings().length > 0) return true;
    this.draftsAt = now;
    return false;
  }

  private draftUnderlyings(): string[] {
    return [...new Set([...this.o.portfolio.underlyings(), ...Object.keys(this.o.portfolio.hedgeTargets())])];
  }

  /**
   * Every underlying held (or with a target set), at both presets, planned as a preview would be,
   * so the hedge key shows a plan the moment it is pressed. An empty list is sent once when the
   * book empties, then nothing.
   */
  contribute(frame: StreamFrame): void {
    const now = this.o.now();
    this.draftsAt = now;
    const underlyings = this.draftUnderlyings();
    if (!underlyings.length && this.draftsSent === 0) return;
    const drafts: HedgeDraft[] = [];
    for (const underlying of underlyings) {
      for (const fraction of PRESETS) {
        let result: HedgeDraft['result'];
        try {
          result = this.plan(underlying, fraction);
        } catch (err) {
          result = { ok: false, code: 'no-price', reason: (err as Error).message };
        }
        drafts.push({ underlying, fraction, at: now, result });
      }
    }
    this.draftsSent = drafts.length;
    frame.hedgeDrafts = drafts;
  }

  /** Sends a kept preview: planned again now, refused if it expired or the market moved. */
  async confirm(id: string): Promise<{ plan: HedgePlan; order: OrderRow }> {
    const kept = this.previews.get(id);
    if (!kept) throw new Error('that hedge preview is not known (it may be from before a restart): preview again');
    const first = kept.preview.result;
    if (!first.ok) throw new Error(`the preview was refused: ${first.reason}`);
    const now = this.o.now();
    if (now > kept.preview.expiresAt) {
      this.journalDecision('expired', id, { ok: false, code: 'expired', reason: 'the preview expired' });
      throw new Error(`the preview expired ${((now - kept.preview.expiresAt) / 1000).toFixed(1)} s ago: preview again`);
    }
    const again = this.plan(kept.underlying, kept.fraction);
    const moved = again.ok ? movedBeyond(first, again, this.limits.priceToleranceBps) : null;
    if (!again.ok || moved) {
      const refusal: HedgeRefusal = again.ok ? { ok: false, code: 'moved', reason: moved! } : again;
      this.journalDecision('refused at confirm', id, refusal);
      throw new Error(`not sent: ${refusal.reason}`);
    }
    this.journalDecision('confirmed', id, again);
    const order = await this.o.orders.submit(again.venue, {
      intentId: id,
      instrument: again.instrument,
      side: again.side,
      size: again.size,
      price: again.limitPrice,
      tif: 'Ioc',
      reduceOnly: false,
      purpose: 'hedge',
    });
    return { plan: again, order };
  }

  /** The planner's inputs from the live engine state, or the reason there are none. */
  private plan(underlying: string, fraction: number): HedgePlan | HedgeRefusal {
    const inputs = this.inputs(underlying, fraction);
    return typeof inputs === 'string' ? { ok: false, code: 'no-price', reason: inputs } : 'ok' in inputs ? inputs : planHedge(inputs);
  }

  /** The planner's inputs for `underlying` now (gamma beside them, for bands), or why there are none. */
  inputs(underlying: string, fraction: number): HedgeInputs | HedgeRefusal | string {
    const now = this.o.now();
    const target = this.target(underlying);
    const venue: HedgeVenue = target.venue;
    const gate = this.o.orders.gate(venue);
    if (!gate) return { ok: false, code: 'unreconciled', reason: `${venue} cannot trade here (no execution configured)` };
    const risk = this.o.portfolio.riskNow();
    const accounts = this.o.portfolio.accounts();
    const totals = risk.totals.find((t) => t.underlying === underlying);
    // Nothing held in this underlying is a delta of zero, not an unknown one.
    const spot = totals?.spot ?? this.o.spot(underlying);
    if (!(spot !== null && spot > 0)) return `no price for ${underlying} yet`;
    const bookId = venue === 'hyperliquid' ? perpInstrumentId(underlying) : `deribit:${underlying}-PERPETUAL`;
    const book = this.o.state.books.get(bookId);
    if (!book) return `no ${venue === 'hyperliquid' ? `${underlying}-PERP` : `${underlying}-PERPETUAL`} book yet`;
    const bids: Level[] = unpackSide(book.levels, 'bid');
    const asks: Level[] = unpackSide(book.levels, 'ask');
    if (!bids.length || !asks.length) return `the ${bookId} book is empty on one side`;
    const mark = (bids[0]!.price + asks[0]!.price) / 2;
    const unpriced = risk.positions.filter((p) => p.def.underlying === underlying && p.problem && p.def.source !== 'what-if');
    const deribitAge = accounts.filter((a) => a.source === 'deribit').reduce((worst, a) => Math.max(worst, a.error ? Infinity : now - a.updatedAt), 0);
    const holdsDeribit = risk.positions.some((p) => p.def.source === 'deribit' && p.def.underlying === underlying) || (totals?.collateral.length ?? 0) > 0 || venue === 'deribit';
    const base = {
      underlying,
      spot,
      bookDelta: unpriced.length ? null : (totals?.greeks.deltaCoin ?? 0),
      bookProblem: unpriced.length ? `${unpriced.length} ${underlying} position${unpriced.length === 1 ? '' : 's'} with no price (${unpriced[0]!.problem}): the book's delta is not known` : null,
      targetDelta: target.delta,
      fraction,
      bids,
      asks,
      mark,
      bookAgeMs: now - book.receivedAt,
      positionsAgeMs: holdsDeribit ? deribitAge : 0,
      maxAgeMs: this.limits.maxAgeMs,
      unreconciled: gate.ready ? null : gate.reason,
      maxSlippageBps: this.limits.maxSlippageBps,
    };
    if (venue === 'deribit') {
      if (!isDeribitPerpCoin(underlying)) return `Deribit has no ${underlying} perpetual`;
      const held = risk.positions.find((p) => p.def.source === 'deribit' && p.def.instrument === `${underlying}-PERPETUAL`);
      const heldUsd = held && held.def.type !== 'option' ? (held.def.inverseUsd ?? 0) : 0;
      return { ...base, hedge: deribitPerpInstrument(underlying, VENUE_FEES.deribitPerp), maxClip: this.limits.maxClipUsd, perp: null, deribitBalanceCoin: null, deribitPositionUsd: heldUsd };
    }
    const inst = this.o.instruments().find((i) => i.id === bookId);
    if (!inst) return `no ${underlying}-PERP instrument on Hyperliquid`;
    const ctx = perpContext({ positions: risk.positions, totals: risk.totals, accounts }, inst, this.o.orders.accountOf('hyperliquid'), mark);
    if (typeof ctx === 'string') return { ok: false, code: 'no-account', reason: ctx };
    return {
      ...base,
      hedge: { venue: 'hyperliquid', instrument: underlying, lot: 10 ** -inst.sizeDecimals, tick: tickAt(mark, inst), fees: VENUE_FEES.hyperliquid },
      maxClip: this.limits.maxClipUsd / mark,
      perp: ctx,
      deribitBalanceCoin: null,
      deribitPositionUsd: 0,
    };
  }

  /** The book's gamma in `underlying`, coins per USD, in the book's numeraire (0 when nothing is held). */
  gamma(underlying: string): number {
    return this.o.portfolio.riskNow().totals.find((t) => t.underlying === underlying)?.greeks.gammaCoin ?? 0;
  }

  /** When the positions on `venue` were last read from it (ms), for "has the venue seen our fill yet". */
  positionsReadAt(venue: HedgeVenue): number {
    const account = venue === 'hyperliquid' ? this.o.orders.accountOf('hyperliquid') : null;
    const rows = this.o.portfolio.accounts().filter((a) => a.source === venue && !a.error && (account === null || a.account.toLowerCase() === account));
    return rows.reduce((latest, a) => Math.max(latest, a.updatedAt), 0);
  }

  /** Every decision, sent or not, with what it was decided on. */
  private journalDecision(what: string, id: string, result: HedgePlan | HedgeRefusal): void {
    void this.o.journal?.append('hedge', { what, id, ...result }).catch(() => undefined);
  }
}

/** Why a plan made again at confirm is not the one previewed, or null when it still is. */
function movedBeyond(first: HedgePlan, again: HedgePlan, toleranceBps: number): string | null {
  if (again.side !== first.side || again.venue !== first.venue) return `the hedge now needs a ${again.side} on ${again.venue}, not the ${first.side} previewed`;
  const bps = (Math.abs(again.avgPrice - first.avgPrice) / first.avgPrice) * 10_000;
  if (bps > toleranceBps) return `the price moved ${bps.toFixed(1)} bps since the preview (tolerance ${toleranceBps} bps)`;
  return null;
}
