import { optionInitial } from '../risk/deribit-margin.ts';
import { deriveRequirement, type DeriveSrmOption } from '../../venues/derive/standard-margin.ts';
import { randomUUID } from 'node:crypto';
import type { ArbLegPlan, ArbLegRun, ArbPlan, ArbPreview, ArbResidual, ArbRun, ArbState } from '../../../shared/contract/arb-schemas.ts';
import { mispricingKey, optionTickAt, TRADEABLE_KINDS, type MispricingKind, type MispricingLeg, type OptionContract, type OptionUnderlying } from '../../../shared/domain/options.ts';
import { VENUE_LABELS, type VenueId } from '../../../shared/domain/venues.ts';
import type { OrdersDesk } from '../orders/orders-desk.ts';
import { DEFAULT_RULES, findMispricings, type MispricingRules } from './mispricing.ts';
import type { OptionsDesk } from './options-desk.ts';

/*
 * A mispricing from the list, traded as one combination (issue "Derive", item 4). Preview by id:
 * the legs at the touches now, sized to what every leg's quote carries on the coarsest step, with
 * fees, the trade's delta and the cash each venue pays or receives. Send by id: the list is
 * scanned again and the trade refused if its edge is gone or halved; then the leg most likely to
 * be refused (the peer venue's: signed actions, session keys, max fees) goes first as an IOC, and
 * each other leg follows for its share of what the first filled (a butterfly's wings λ and 1 − λ of
 * its body). Each may fill up to a third of the edge per contract worse than its touch (quotes move
 * between the ticker and the match), so the combination keeps at least a third of what was shown.
 * A leg that fills short stops the rest: whatever filled beyond the combination the fills complete
 * is a residual, said at once, with an unwind that closes each on its own venue.
 */

const PREVIEW_MS = 8_000;
/** The unwind pays up to this share of the premium over the touch to get out. */
const UNWIND_SLIPPAGE = 0.05;

/** The run's legal moves; anything else is a bug, and raises. */
const MOVES: Record<ArbState, readonly ArbState[]> = {
  sending: ['done', 'failed', 'legged'],
  legged: ['unwinding'],
  unwinding: ['unwound', 'legged'],
  done: [],
  failed: [],
  unwound: [],
};

export interface ArbDeskOptions {
  options: OptionsDesk;
  orders: OrdersDesk;
  now: () => number;
  rules?: MispricingRules;
}

export class ArbDesk {
  private readonly previews = new Map<string, ArbPreview>();
  private readonly runs = new Map<string, ArbRun>();
  private readonly o: ArbDeskOptions;

  constructor(options: ArbDeskOptions) {
    this.o = options;
  }

  private get rules(): MispricingRules {
    return this.o.rules ?? DEFAULT_RULES;
  }

  preview(key: string, size: number | null, maxNotionalUsd: number | null = null): ArbPreview {
    const now = this.o.now();
    const id = `arb-${randomUUID().slice(0, 18)}`;
    const result = this.plan(key, size, now, maxNotionalUsd);
    const p: ArbPreview = { id, createdAt: now, expiresAt: now + PREVIEW_MS, key, result };
    this.previews.set(id, p);
    for (const [k, v] of this.previews) if (v.expiresAt < now - 60_000) this.previews.delete(k);
    return p;
  }

  run(id: string): ArbRun {
    const r = this.runs.get(id);
    if (!r) throw new Error(`no trade ${id}`);
    return r;
  }

  /** Sends a previewed trade by its id, planned again on the live quotes; one run per preview, ever. */
  async send(id: string): Promise<ArbRun> {
    const existing = this.runs.get(id);
    if (existing) return existing;
    const p = this.previews.get(id);
    if (!p) throw new Error('no such preview: plan the trade again');
    const now = this.o.now();
    if (now > p.expiresAt) throw new Error('the preview expired: plan the trade again');
    if (!p.result.ok) throw new Error(p.result.reason);
    const previewed = p.result;
    const live = this.plan(p.key, previewed.size, now);
    if (!live.ok) throw new Error(`not sent: ${live.reason}`);
    // Every venue open to orders before the first leg goes: a closed second venue would leave the first alone.
    for (const v of new Set(live.legs.map((l) => l.venue))) {
      const gate = this.o.orders.gate(v);
      if (!gate?.ready) throw new Error(`not sent: ${VENUE_LABELS[v]} is not taking orders (${gate?.reason ?? 'it cannot trade in this configuration'})`);
    }
    if (live.edgeUsd < previewed.edgeUsd / 2) throw new Error(`not sent: the edge fell from $${previewed.edgeUsd.toFixed(2)} to $${live.edgeUsd.toFixed(2)} since the preview`);
    const run: ArbRun = { id, state: 'sending', legs: live.legs.map((plan, i) => ({ plan, intentId: `${id}-${i + 1}`, state: 'created', filled: 0, avgPrice: 0, reason: null })), residuals: [], message: 'sending the first leg', updatedAt: now };
    this.runs.set(id, run);
    await this.execute(run, live);
    return run;
  }

  /** Closes what the failed legs left open, each on its own venue, as an IOC up to 5 % of the premium through the touch. */
  async unwind(id: string): Promise<ArbRun> {
    const run = this.run(id);
    if (run.state !== 'legged' || !run.residuals.length) throw new Error(`nothing to unwind: the trade is ${run.state}`);
    this.move(run, 'unwinding', `closing ${run.residuals.map((r) => `${r.size} ${r.instrument} on ${VENUE_LABELS[r.venue]}`).join(' and ')}`);
    const left: ArbResidual[] = [];
    const said: string[] = [];
    for (const r of run.residuals) {
      const closed = await this.close(run, r);
      said.push(closed.said);
      if (closed.left > 1e-9) left.push({ ...r, size: closed.left });
    }
    run.residuals = left;
    if (!left.length) this.move(run, 'unwound', `${said.join('; ')}; nothing is open`);
    else this.move(run, 'legged', `${said.join('; ')}: ${left.map((r) => `${r.size} ${r.instrument} on ${VENUE_LABELS[r.venue]}`).join(' and ')} still open`);
    return run;
  }

  /** One residual closed on its venue: what is left of it and what happened, in words. */
  private async close(run: ArbRun, r: ArbResidual): Promise<{ left: number; said: string }> {
    const c = this.contractOf(r.venue, r.instrument);
    if (!c) return { left: r.size, said: `${r.instrument} is no longer listed: close it on ${VENUE_LABELS[r.venue]} by hand` };
    const touch = this.touch(c, r.venue, r.side === 'buy' ? 'ask' : 'bid');
    if (!(touch > 0)) return { left: r.size, said: `no ${r.side === 'buy' ? 'offer' : 'bid'} on ${VENUE_LABELS[r.venue]} for ${r.instrument} to close against` };
    const limit = this.onTick(c, r.venue, r.side === 'buy' ? touch * (1 + UNWIND_SLIPPAGE) : touch * (1 - UNWIND_SLIPPAGE), r.side);
    const intentId = `${run.id}-u${run.legs.length + 1}`;
    const row = await this.o.orders.submit(r.venue, { intentId, instrument: r.instrument, side: r.side, size: r.size, price: limit, tif: 'Ioc', reduceOnly: false, purpose: 'flatten' }).catch((err: Error) => ({ state: 'rejected', filled: 0, avgPrice: 0, reason: err.message }));
    const plan: ArbLegPlan = { venue: r.venue, instrument: r.instrument, contract: c.name, side: r.side, size: r.size, limit, limitUsd: this.usd(c, r.venue, limit), quotedUsd: this.usd(c, r.venue, touch), feeUsd: 0, deltaCoin: 0, notionalUsd: r.size * this.o.options.board.get(c.row, 'index') };
    run.legs.push({ plan, intentId, state: row.state, filled: row.filled, avgPrice: row.avgPrice, reason: row.reason });
    const left = round(r.size - row.filled);
    const did = `${row.filled} ${r.instrument} ${r.side === 'buy' ? 'bought back' : 'sold'} on ${VENUE_LABELS[r.venue]}${row.filled > 0 ? ` at ${row.avgPrice}` : ''}`;
    return { left, said: left > 1e-9 ? `the unwind filled ${row.filled} of ${r.size} ${r.instrument}${row.reason ? ` (${row.reason})` : ''}` : did };
  }

  private async execute(run: ArbRun, plan: ArbPlan): Promise<void> {
    const [first, ...rest] = run.legs;
    if (!first) return;
    const a = await this.sendLeg(first, first.plan.size, this.tolerated(first.plan, plan.toleranceUsd));
    if (!(a.filled > 0)) {
      this.move(run, 'failed', `the first leg (${first.plan.side} ${first.plan.instrument} on ${VENUE_LABELS[first.plan.venue]}) did not fill${a.reason ? `: ${a.reason}` : ''}; nothing was traded`);
      return;
    }
    // What the first leg filled sizes the combination; each other leg is its share of it, on its
    // own venue's step, and may give up a third of the edge. One that fills short stops the rest.
    const share = a.filled / first.plan.size;
    let short: { leg: ArbLegRun; index: number; target: number; reason: string | null } | null = null;
    for (const [i, leg] of rest.entries()) {
      run.message = `sending leg ${i + 2} of ${run.legs.length}`;
      const step = this.stepOf(leg.plan);
      const target = round(Math.floor((leg.plan.size * share) / step + 1e-9) * step);
      const b = target > 0 ? await this.sendLeg(leg, target, this.tolerated(leg.plan, plan.toleranceUsd)) : { filled: 0, reason: `its share of the first leg's ${a.filled} is under ${VENUE_LABELS[leg.plan.venue]}'s step of ${step}` };
      if (b.filled < target - 1e-9 || target === 0) {
        short = { leg, index: i + 1, target, reason: b.reason };
        break;
      }
    }
    run.residuals = this.residuals(run.legs);
    if (!run.residuals.length) {
      this.move(run, 'done', `${run.legs.length === 2 ? 'both' : `all ${run.legs.length}`} legs filled: ${run.legs.map((l) => `${l.filled} at ${l.avgPrice} on ${VENUE_LABELS[l.plan.venue]}`).join(', ')}`);
      return;
    }
    const why = short ? `the ${ORDINALS[short.index] ?? `#${short.index + 1}`} leg (${short.leg.plan.side} ${short.leg.plan.instrument} on ${VENUE_LABELS[short.leg.plan.venue]}) filled ${short.leg.filled} of ${short.target}${short.reason ? `: ${short.reason}` : ''}. ` : '';
    const open = run.residuals.map((r) => `${r.side === 'sell' ? 'long' : 'short'} ${r.size} ${r.instrument} on ${VENUE_LABELS[r.venue]}`).join(' and ');
    this.move(run, 'legged', `${why}You are ${open} without ${run.residuals.length === 1 ? 'its hedge' : 'their hedges'}`);
  }

  /**
   * Per leg, what filled beyond the combination every leg's fill completes (the smallest share of
   * its planned size any leg filled), on the leg's step, with the side that closes it.
   */
  private residuals(legs: readonly ArbLegRun[]): ArbResidual[] {
    const complete = Math.min(...legs.map((l) => l.filled / l.plan.size));
    const out: ArbResidual[] = [];
    for (const l of legs) {
      const step = this.stepOf(l.plan);
      const excess = round(Math.floor((l.filled - complete * l.plan.size) / step + 1e-6) * step);
      if (excess > 1e-9) out.push({ venue: l.plan.venue, instrument: l.plan.instrument, side: l.plan.side === 'buy' ? 'sell' : 'buy', size: excess });
    }
    return out;
  }

  /** The leg's limit given up to `toleranceUsd` per contract past its touch, in the venue's unit and on its grid. */
  private tolerated(leg: ArbLegPlan, toleranceUsd: number): number {
    const c = this.contractOf(leg.venue, leg.instrument)!;
    const worse = leg.side === 'buy' ? leg.quotedUsd + toleranceUsd : Math.max(0, leg.quotedUsd - toleranceUsd);
    return this.onTick(c, leg.venue, this.fromUsd(c, leg.venue, worse), leg.side);
  }

  private async sendLeg(leg: ArbLegRun, size: number, limit: number): Promise<{ filled: number; reason: string | null }> {
    leg.state = 'submitted';
    try {
      const row = await this.o.orders.submit(leg.plan.venue, { intentId: leg.intentId, instrument: leg.plan.instrument, side: leg.plan.side, size, price: limit, tif: 'Ioc', reduceOnly: false, purpose: 'manual' });
      Object.assign(leg, { state: row.state, filled: row.filled, avgPrice: row.avgPrice, reason: row.reason });
    } catch (err) {
      Object.assign(leg, { state: 'rejected', reason: (err as Error).message });
    }
    return { filled: leg.filled, reason: leg.reason };
  }

  private move(run: ArbRun, to: ArbState, message: string): void {
    if (!MOVES[run.state].includes(to)) throw new Error(`trade ${run.id}: ${run.state} → ${to} is not a legal move`);
    run.state = to;
    run.message = message;
    run.updatedAt = this.o.now();
  }

  /** The combination as it would trade now, or why not. */
  private plan(key: string, size: number | null, now: number, maxNotionalUsd: number | null = null): ArbPlan | { ok: false; reason: string } {
    const kind = key.split('|')[0]!;
    if (!TRADEABLE_KINDS.has(kind as MispricingKind)) return { ok: false, reason: `${kind} findings are not traded from the list (cross-venue, vertical, butterfly and calendar are)` };
    const underlying = this.underlyingOf(key);
    if (!underlying) return { ok: false, reason: 'the option in this finding is no longer on the chain' };
    const board = this.o.options.board;
    const found = findMispricings(board, underlying, board.contracts.filter((c) => c.underlying === underlying), now, this.rules).find((m) => mispricingKey(m) === key);
    if (!found) return { ok: false, reason: 'the edge is gone: the quotes no longer cross' };
    const step = this.unitStep(found.legs);
    if (step === null) return { ok: false, reason: `the legs' ratios (${found.legs.map((l) => l.ratio.toFixed(2)).join(' : ')}) cannot be met on the venues' contract steps` };
    const index = board.get(board.contract(found.legs[0]!.contract)!.row, 'index');
    const budgetUnits = maxNotionalUsd !== null && index > 0 ? maxNotionalUsd / index / Math.max(...found.legs.map((l) => l.ratio)) : Infinity;
    const want = Math.min(size ?? found.size, found.size, budgetUnits);
    const sizedBy: ArbPlan['sizedBy'] = want === budgetUnits ? 'budget' : size !== null && want === size ? 'request' : 'quotes';
    const units = Math.floor(want / step + 1e-9) * step;
    if (!(units > 0)) return { ok: false, reason: sizedBy === 'budget' ? `the budget's order limit allows less than one step of ${step} contracts` : `the quotes carry ${found.size} contracts, under one step of ${step}` };
    const legs = found.legs.map((l) => this.legPlan(l, round(units * l.ratio)));
    // The peer venue's leg first: the one more likely to be refused, so a refusal leaves nothing open.
    legs.sort((x, y) => Number(x.venue === this.rules.ownVenue) - Number(y.venue === this.rules.ownVenue));
    const cashUsd: Record<string, number> = {};
    for (const l of legs) cashUsd[l.venue] = (cashUsd[l.venue] ?? 0) + (l.side === 'sell' ? 1 : -1) * l.quotedUsd * l.size - l.feeUsd;
    const feesUsd = legs.reduce((s, l) => s + l.feeUsd, 0);
    return { ok: true, kind, underlying, size: round(units), sizedBy, legs, edgeUsd: found.edge * units, feesUsd, deltaCoin: legs.reduce((s, l) => s + l.deltaCoin, 0), cashUsd, marginUsd: this.marginOf(legs), toleranceUsd: found.edge / 3 };
  }

  /** Each venue's initial margin for its legs alone, USD, by the venue's standard rule. */
  private marginOf(legs: readonly ArbLegPlan[]): Record<string, number> {
    const board = this.o.options.board;
    const out: Record<string, number> = {};
    const peer: DeriveSrmOption[] = [];
    for (const l of legs) {
      const c = this.contractOf(l.venue, l.instrument)!;
      const index = board.get(c.row, 'index');
      out[l.venue] ??= 0;
      if (l.venue === this.rules.ownVenue) {
        // Deribit margins each short on its own; a long is paid for in full.
        if (l.side === 'sell') out[l.venue]! += optionInitial(c.kind, c.strike, index, board.get(c.row, 'mark')) * index * l.size;
      } else {
        peer.push({ market: c.underlying, kind: c.kind, strike: c.strike, expiry: c.expiry, amount: l.side === 'sell' ? -l.size : l.size, mark: board.get(c.row, 'peerMark'), spot: index, forward: board.get(c.row, 'forward') });
      }
    }
    if (peer.length) out[legs.find((l) => l.venue !== this.rules.ownVenue)!.venue] = deriveRequirement(peer).initialUsd;
    return out;
  }

  private legPlan(l: MispricingLeg, size: number): ArbLegPlan {
    const c = this.o.options.board.contract(l.contract)!;
    const board = this.o.options.board;
    const delta = board.get(c.row, 'delta');
    const touch = this.touch(c, l.venue, l.side === 'buy' ? 'ask' : 'bid');
    return {
      venue: l.venue,
      instrument: l.name,
      contract: l.contract,
      side: l.side,
      size,
      limit: touch,
      limitUsd: l.priceUsd,
      quotedUsd: l.priceUsd,
      feeUsd: l.feeUsd * size,
      deltaCoin: (Number.isFinite(delta) ? delta : 0) * (l.side === 'buy' ? size : -size),
      notionalUsd: size * board.get(c.row, 'index'),
    };
  }

  /** The underlying of the first leg named in a finding's key (`kind|side:venue:name,…`). */
  private underlyingOf(key: string): OptionUnderlying | null {
    const [, venue, name] = (key.split('|')[1] ?? '').split(',')[0]!.split(':');
    if (!venue || !name) return null;
    return this.contractOf(venue as VenueId, name)?.underlying ?? null;
  }

  private contractOf(venue: VenueId, instrument: string): OptionContract | undefined {
    const board = this.o.options.board;
    return venue === this.rules.ownVenue ? board.contract(instrument) : board.peerContract(venue, instrument);
  }

  /** The touch in the venue's unit: the chain's own venue in coin per contract, the peer in USD. */
  private touch(c: OptionContract, venue: VenueId, side: 'bid' | 'ask'): number {
    const board = this.o.options.board;
    return venue === this.rules.ownVenue ? board.get(c.row, side) : board.get(c.row, side === 'bid' ? 'peerBid' : 'peerAsk');
  }

  private usd(c: OptionContract, venue: VenueId, price: number): number {
    return venue === this.rules.ownVenue && c.settlement === 'inverse' ? price * this.o.options.board.get(c.row, 'index') : price;
  }

  private fromUsd(c: OptionContract, venue: VenueId, usd: number): number {
    return venue === this.rules.ownVenue && c.settlement === 'inverse' ? usd / this.o.options.board.get(c.row, 'index') : usd;
  }

  /** A limit on the venue's grid, never worse than asked: a buy rounds down, a sell up (Derive's client rounds its own). */
  private onTick(c: OptionContract, venue: VenueId, price: number, side: 'buy' | 'sell'): number {
    if (venue !== this.rules.ownVenue) return price;
    const tick = optionTickAt(c, price);
    const n = side === 'buy' ? Math.floor(price / tick + 1e-9) : Math.ceil(price / tick - 1e-9);
    return Number((n * tick).toFixed(8));
  }

  /**
   * The smallest combination size every leg meets on its venue's contract step at its ratio (a
   * butterfly's 0.5 wings on Deribit's 0.1 step: 0.2 units), or null if none up to 100 steps does.
   */
  private unitStep(legs: readonly MispricingLeg[]): number | null {
    const base = Math.max(...legs.map((l) => this.stepOf(l) / l.ratio));
    for (let k = 1; k <= 100; k++) {
      const u = round(base * k);
      if (legs.every((l) => Math.abs((u * l.ratio) / this.stepOf(l) - Math.round((u * l.ratio) / this.stepOf(l))) < 1e-6)) return u;
    }
    return null;
  }

  private stepOf(l: { venue: VenueId; contract: string }): number {
    const c = this.o.options.board.contract(l.contract);
    if (!c) return 1;
    return l.venue === this.rules.ownVenue ? c.minTradeAmount : (c.peer?.amountStep ?? c.minTradeAmount);
  }
}

const round = (x: number): number => Number(x.toFixed(8));
const ORDINALS = ['first', 'second', 'third', 'fourth'];
