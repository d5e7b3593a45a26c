import { randomUUID } from 'node:crypto';
import { DEFAULT_AUTO_HEDGE, type AutoHedgeConfig, type AutoHedgeDecision, type AutoHedgeStatus, type HedgePlan, type HedgeRefusal } from '../../../shared/domain/hedge.ts';
import type { EngineJournal } from '../journal/journal-db.ts';
import type { OrdersDesk } from '../orders/orders-desk.ts';
import type { HedgeDesk } from './hedge-desk.ts';
import { planHedge } from './planner.ts';
import { whalleyWilmottHalfWidth } from './theory.ts';

/*
 * The auto-hedger (issue "Hedging", item 4), one per underlying: off, shadow (decides and
 * journals, sends nothing) or live. Each check: is the data fresh and the venue reconciled, is
 * the delta outside the band (fixed, or Whalley–Wilmott from gamma, the fee and the trader's
 * risk aversion), has the interval passed (or has delta drifted past it), is there budget — then
 * one plan, one order. Safety over eagerness:
 * - one order in flight per underlying, and after a fill no new decision until the venue's own
 *   account shows it (an older account push must not make the hedge look undone: double hedge);
 * - it pauses, with the reason, on stale data, an unreconciled venue, three rejects in a row, a
 *   spent daily cap, or a locked vault; data problems clear themselves, the others need re-arming;
 * - a live hedger is never resumed by a restart (it comes back off, and says so);
 * - every decision that changes something is journaled with its inputs, and a "still inside the
 *   band" at most once a minute.
 */

const DAY_MS = 86_400_000;
const SETTLE_TIMEOUT_MS = 10_000;
const REJECTS_TO_PAUSE = 3;
const SKIP_JOURNAL_MS = 60_000;

export interface AutoHedgerOptions {
  hedge: HedgeDesk;
  orders: OrdersDesk;
  journal: EngineJournal | null;
  now: () => number;
  /** How often each armed underlying is checked, ms. */
  checkMs?: number;
  /** Saves the configuration (the portfolio settings file). */
  save?: (configs: AutoHedgeConfig[]) => void;
}

/** How often armed auto-hedgers look at the book, ms. */
export const AUTO_HEDGE_CHECK_MS = 1_000;

interface Sent {
  at: number;
  venue: HedgePlan['venue'];
  signed: number;
  avgPrice: number;
  notionalUsd: number;
  costUsd: number;
  feeUsd: number;
}

interface Unit {
  config: AutoHedgeConfig;
  state: AutoHedgeStatus['state'];
  reason: string | null;
  /** Pauses that only a new configuration (re-arming) lifts. */
  latched: boolean;
  /** When it last looked at the book (armed counts as a look): a live one long past it is late. */
  checkedAt: number;
  delta: number | null;
  target: number;
  band: number | null;
  last: AutoHedgeDecision | null;
  lastJournaled: { detail: string; at: number } | null;
  lastHedgeAt: number;
  settlingSince: number | null;
  inFlight: boolean;
  rejects: number;
  sent: Sent[];
}

export class AutoHedger {
  private readonly o: AutoHedgerOptions;
  private readonly units = new Map<string, Unit>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private checking = false;

  constructor(options: AutoHedgerOptions) {
    this.o = options;
  }

  /** Saved configurations from the last session: a live one comes back off, and says why. */
  restore(configs: AutoHedgeConfig[]): void {
    for (const c of configs) {
      const unit = this.unit(c.underlying);
      unit.config = { ...c, mode: c.mode === 'live' ? 'off' : c.mode };
      if (c.mode === 'live') unit.reason = 'was live before the restart; a restart never re-arms live hedging: arm it again';
      unit.state = unit.config.mode === 'off' ? 'off' : 'watching';
    }
    // The hedges of the last 24 h, from the journal: the daily cap and the interval hold across a restart.
    for (const row of this.o.journal?.read({ kind: 'hedge', since: this.o.now() - DAY_MS }) ?? []) {
      const b = row.body as { what?: unknown; underlying?: unknown; sent?: Partial<Sent> };
      const s = b.sent;
      if (b.what !== 'auto: hedge' || typeof b.underlying !== 'string' || !s || (s.venue !== 'hyperliquid' && s.venue !== 'deribit')) continue;
      if (![s.at, s.signed, s.avgPrice, s.notionalUsd, s.costUsd, s.feeUsd].every((x) => typeof x === 'number' && Number.isFinite(x))) continue;
      const u = this.unit(b.underlying);
      u.sent.push(s as Sent);
      u.lastHedgeAt = Math.max(u.lastHedgeAt, s.at!);
    }
  }

  start(): void {
    this.timer ??= setInterval(() => void this.checkAll(), this.o.checkMs ?? AUTO_HEDGE_CHECK_MS);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A new configuration re-arms: latched pauses (rejects, cap, vault) are lifted. */
  configure(config: AutoHedgeConfig): AutoHedgeStatus {
    const unit = this.unit(config.underlying);
    unit.config = config;
    unit.latched = false;
    unit.checkedAt = this.o.now();
    unit.rejects = 0;
    unit.reason = null;
    unit.state = config.mode === 'off' ? 'off' : 'watching';
    this.journal(unit, 'configured', { config });
    this.o.save?.([...this.units.values()].map((u) => u.config));
    return this.status(config.underlying);
  }

  statuses(): AutoHedgeStatus[] {
    return [...this.units.keys()].sort().map((u) => this.status(u));
  }

  status(underlying: string): AutoHedgeStatus {
    const u = this.unit(underlying);
    const now = this.o.now();
    const day = u.sent.filter((s) => now - s.at < DAY_MS);
    return {
      config: u.config,
      state: u.state,
      reason: u.reason,
      latched: u.latched,
      checkedAt: u.checkedAt,
      delta: u.delta,
      target: u.target,
      bandHalfWidth: u.band,
      last: u.last,
      nextCheckAt: u.config.mode === 'off' ? null : Math.max(now, u.lastHedgeAt + u.config.minIntervalMs),
      hedges24h: day.length,
      notional24hUsd: day.reduce((a, s) => a + s.notionalUsd, 0),
      cost24hUsd: day.reduce((a, s) => a + s.costUsd, 0),
      hedgesPnlUsd: this.hedgesPnl(u),
    };
  }

  /** Every armed underlying, one after another (never two checks at once). */
  async checkAll(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      for (const u of this.units.values()) if (u.config.mode !== 'off') await this.check(u);
    } finally {
      this.checking = false;
    }
  }

  private unit(underlying: string): Unit {
    let u = this.units.get(underlying);
    if (!u) {
      u = { config: { ...DEFAULT_AUTO_HEDGE, underlying }, state: 'off', reason: null, latched: false, checkedAt: this.o.now(), delta: null, target: 0, band: null, last: null, lastJournaled: null, lastHedgeAt: 0, settlingSince: null, inFlight: false, rejects: 0, sent: [] };
      this.units.set(underlying, u);
    }
    return u;
  }

  private async check(u: Unit): Promise<void> {
    if (u.inFlight || u.latched) return;
    const c = u.config;
    const now = this.o.now();
    u.checkedAt = now;
    const target = this.o.hedge.target(c.underlying);
    u.target = target.delta;
    // Settle: the venue's account must show the last hedge before anything is decided on it.
    if (u.settlingSince !== null) {
      if (this.o.hedge.positionsReadAt(target.venue) > u.settlingSince) u.settlingSince = null;
      else if (now - u.settlingSince > SETTLE_TIMEOUT_MS) return this.pause(u, `${target.venue} has not shown the last hedge in its account for ${SETTLE_TIMEOUT_MS / 1000} s`, false);
      else return this.set(u, 'settling', 'waiting for the venue to show the last hedge');
    }
    const inputs = this.o.hedge.inputs(c.underlying, 1);
    if (typeof inputs === 'string') return this.pause(u, inputs, false);
    if ('ok' in inputs) return this.pause(u, inputs.reason, false);
    if (inputs.unreconciled) return this.pause(u, `${target.venue} is not reconciled: ${inputs.unreconciled}`, false);
    if (inputs.bookDelta === null) return this.pause(u, inputs.bookProblem ?? 'the book has a position with no price', false);
    if (inputs.bookAgeMs > inputs.maxAgeMs) return this.pause(u, `the ${inputs.hedge.instrument} book is ${(inputs.bookAgeMs / 1000).toFixed(1)} s old`, false);
    if (inputs.positionsAgeMs > inputs.maxAgeMs) return this.pause(u, `positions were read ${(inputs.positionsAgeMs / 1000).toFixed(1)} s ago`, false);
    const lot = inputs.hedge.venue === 'hyperliquid' ? inputs.hedge.lot : inputs.hedge.lot / inputs.mark;
    const band = Math.max(lot, this.halfWidth(c, inputs.spot, this.o.hedge.gamma(c.underlying), inputs.hedge.fees.taker));
    u.delta = inputs.bookDelta;
    u.band = band;
    const gap = inputs.bookDelta - target.delta;
    if (Math.abs(gap) <= band) return this.skip(u, `inside the band: delta ${fmt(inputs.bookDelta)}, target ${fmt(target.delta)} ± ${band.toFixed(3)}`);
    if (now - u.lastHedgeAt < c.minIntervalMs && Math.abs(gap) < band + c.driftBypassCoins) return this.skip(u, `outside the band, waiting for the interval (${Math.ceil((u.lastHedgeAt + c.minIntervalMs - now) / 1000)} s)`);
    // Whalley–Wilmott trades to the band's edge; a fixed band hedges back to the target.
    const to = c.band.kind === 'whalley-wilmott' ? target.delta + Math.sign(gap) * band : target.delta;
    const day = u.sent.filter((s) => now - s.at < DAY_MS).reduce((a, s) => a + s.notionalUsd, 0);
    const left = c.dailyCapUsd - day;
    if (left <= 0) return this.pause(u, `the daily hedge cap is spent ($${Math.round(day)} of $${c.dailyCapUsd} in 24 h)`, true);
    const clipUsd = Math.min(c.maxClipUsd, left);
    const plan = planHedge({ ...inputs, targetDelta: to, fraction: 1, maxSlippageBps: c.maxSlippageBps, maxClip: inputs.hedge.venue === 'hyperliquid' ? clipUsd / inputs.mark : clipUsd });
    if (!plan.ok) return this.refused(u, plan);
    if (c.mode === 'shadow') {
      u.lastHedgeAt = now;
      return this.decide(u, 'shadow', `would ${plan.side} ${plan.size} ${plan.instrument} at ≤ ${plan.limitPrice} (avg ${plan.avgPrice.toFixed(2)}): delta ${fmt(plan.deltaBefore)} → ${fmt(plan.deltaAfter)}`, { plan, band, gap });
    }
    await this.send(u, plan, band, gap);
  }

  private async send(u: Unit, plan: HedgePlan, band: number, gap: number): Promise<void> {
    const at = this.o.now();
    const intentId = `auto-${u.config.underlying}-${randomUUID()}`;
    u.inFlight = true;
    this.set(u, 'hedging', null);
    this.journal(u, 'auto hedge', { intentId, plan, band, gap });
    try {
      const row = await this.o.orders.submit(plan.venue, { intentId, instrument: plan.instrument, side: plan.side, size: plan.size, price: plan.limitPrice, tif: 'Ioc', reduceOnly: false, purpose: 'hedge' });
      u.lastHedgeAt = at;
      if (row.state === 'rejected') return this.rejected(u, row.reason ?? 'rejected by the venue');
      u.rejects = 0;
      let sent: Sent | null = null;
      if (row.filled > 0) {
        const notional = plan.venue === 'hyperliquid' ? row.filled * row.avgPrice : row.filled;
        const fee = notional * (plan.feeUsd / plan.notionalUsd);
        const slip = plan.venue === 'hyperliquid' ? Math.abs(row.avgPrice - plan.mark) * row.filled : notional * (Math.abs(row.avgPrice - plan.mark) / plan.mark);
        sent = { at, venue: plan.venue, signed: plan.side === 'buy' ? row.filled : -row.filled, avgPrice: row.avgPrice, notionalUsd: notional, costUsd: fee + slip, feeUsd: fee };
        u.sent.push(sent);
        u.sent = u.sent.filter((s) => at - s.at < DAY_MS);
        u.settlingSince = at;
      }
      this.decide(u, 'hedge', `${row.state}: ${plan.side} ${row.filled} of ${plan.size} ${plan.instrument} at ${row.avgPrice || plan.limitPrice}`, { intentId, state: row.state, filled: row.filled, ...(sent ? { sent } : {}) });
    } catch (err) {
      u.lastHedgeAt = at;
      // Whether it reached the venue is not known: the account must be read again before the
      // next decision, or a hedge that did fill would be sent a second time.
      u.settlingSince = at;
      this.rejected(u, (err as Error).message);
    } finally {
      u.inFlight = false;
      if (u.state === 'hedging') this.set(u, u.settlingSince !== null ? 'settling' : 'watching', u.settlingSince !== null ? 'waiting for the venue to show the last hedge' : null);
    }
  }

  private halfWidth(c: AutoHedgeConfig, spot: number, gammaCoinPerUsd: number, takerFee: number): number {
    if (c.band.kind === 'fixed') return c.band.halfWidthCoins;
    // Proportional cost: the taker fee plus the slippage allowed, as a fraction of what is traded.
    return whalleyWilmottHalfWidth({ spot, gamma: Math.abs(gammaCoinPerUsd), costFraction: takerFee + c.maxSlippageBps / 20_000, riskAversion: c.band.riskAversionPerUsd });
  }

  private hedgesPnl(u: Unit): number {
    const mark = u.sent.length ? this.markOf(u) : null;
    if (mark === null) return 0;
    let pnl = 0;
    for (const s of u.sent) {
      pnl -= s.feeUsd;
      pnl += s.venue === 'hyperliquid' ? s.signed * (mark - s.avgPrice) : s.signed * (mark / s.avgPrice - 1);
    }
    return pnl;
  }

  private markOf(u: Unit): number | null {
    const inputs = this.o.hedge.inputs(u.config.underlying, 1);
    return typeof inputs === 'string' || 'ok' in inputs ? null : inputs.mark;
  }

  private rejected(u: Unit, reason: string): void {
    u.rejects++;
    this.decide(u, 'rejected', reason, { rejects: u.rejects });
    if (/lock/i.test(reason)) return this.pause(u, `the vault is locked: ${reason}`, true);
    if (u.rejects >= REJECTS_TO_PAUSE) this.pause(u, `${u.rejects} rejects in a row (last: ${reason})`, true);
  }

  private refused(u: Unit, r: HedgeRefusal): void {
    // Thin depth or nothing to gain is a skip; anything else is a pause until it clears.
    if (r.code === 'thin' || r.code === 'within-lot' || r.code === 'not-closer') return this.skip(u, `no hedge: ${r.reason}`);
    this.pause(u, r.reason, false);
  }

  private pause(u: Unit, reason: string, latched: boolean): void {
    u.latched = latched;
    if (u.state !== 'paused' || u.reason !== reason) this.decide(u, 'refused', `paused: ${reason}`, {});
    this.set(u, 'paused', reason);
  }

  private skip(u: Unit, detail: string): void {
    this.set(u, 'watching', null);
    const now = this.o.now();
    u.last = { at: now, what: 'skip', detail };
    const prev = u.lastJournaled;
    if (!prev || prev.detail.slice(0, 16) !== detail.slice(0, 16) || now - prev.at > SKIP_JOURNAL_MS) this.journal(u, 'skip', { detail, delta: u.delta, band: u.band, target: u.target });
  }

  private decide(u: Unit, what: AutoHedgeDecision['what'], detail: string, inputs: Record<string, unknown>): void {
    u.last = { at: this.o.now(), what, detail };
    this.journal(u, what, { detail, delta: u.delta, band: u.band, target: u.target, ...inputs });
  }

  private set(u: Unit, state: AutoHedgeStatus['state'], reason: string | null): void {
    u.state = state;
    u.reason = reason;
  }

  private journal(u: Unit, what: string, body: Record<string, unknown>): void {
    u.lastJournaled = { detail: typeof body.detail === 'string' ? body.detail : what, at: this.o.now() };
    void this.o.journal?.append('hedge', { what: `auto: ${what}`, underlying: u.config.underlying, mode: u.config.mode, ...body }).catch(() => undefined);
  }
}

const fmt = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;
