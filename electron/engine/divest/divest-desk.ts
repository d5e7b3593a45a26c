import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { DIVEST_CONFIRM_WORD, DIVEST_PHASES, DIVEST_VENUES, type DivestLeg, type DivestLegProgress, type DivestPlan, type DivestRun, type DivestScope, type DivestSnapshot, type DivestVenue } from '../../../shared/domain/divest.ts';
import type { OrderRow } from '../../../shared/domain/orders.ts';
import type { StreamFrame } from '../../../shared/stream/frame.ts';
import { shortAddress } from '../../../shared/format/address.ts';
import { SettingsFile } from '../../storage/settings-file.ts';
import type { EngineJournal } from '../journal/journal-db.ts';
import type { FramePart } from '../market/market-state.ts';
import type { OrderIntent } from '../orders/executor.ts';
import { DEFAULT_DIVEST_LIMITS, hedgeToClose, perpDeltaPerUnit, plainAmount, planDivest, sliceMarket, type DivestLimits, type HeldCollateral, type HeldDebt, type HeldPosition } from './divest-plan.ts';
import { nextSlice } from './slice.ts';

/*
 * The kill switch (issue "Kill switch"): plan, then act. A plan is kept under an id for a minute;
 * executing sends that id and the typed word, never the orders. The run cancels every order in
 * scope, turns the automation off, then unwinds leg by leg in the plan's order, each leg sliced
 * against the live book (reduce-only, immediate-or-cancel, at the slippage limit) until the venue
 * shows it flat, or it reports what is left and why. One run at a time; everything journaled.
 */

/** What the desk needs of the engine, as functions: the live book, the venues, the automation. */
export interface DivestWorld {
  positions(): HeldPosition[];
  debts(): Promise<HeldDebt[]>;
  collateral(): HeldCollateral[];
  openOrders(): Partial<Record<DivestVenue, number>>;
  /** Venues that cannot take orders this moment, with why. */
  gates(): Partial<Record<DivestVenue, string>>;
  /** Every order on the venue: ours through the executor, then the venue's own cancel-all for the rest. */
  cancelAll(venue: DivestVenue): Promise<{ count: number; failed: string | null }>;
  submit(venue: 'hyperliquid' | 'deribit' | 'derive', intent: OrderIntent): Promise<OrderRow>;
  repay(account: string, symbol: string, tokens: number): Promise<void>;
  /** Withdraws `tokens` of a reserve to the account's own wallet, or all of it (null). */
  withdraw(account: string, symbol: string, tokens: number | null): Promise<void>;
  /** Turns off what would trade against the unwind (auto-hedgers in scope); says what it turned off. */
  disarmAutomation(scope: DivestScope): string[];
  /** Reads a venue's positions again now (Deribit's come by poll). */
  refresh(venue: DivestVenue): Promise<void>;
}

export interface DivestTuning {
  /** How long a plan may wait for its execution, ms. */
  planTtlMs: number;
  /** Longest a leg works before it reports its residual, ms. */
  legTimeoutMs: number;
  /** Between slices while the book refills, ms. */
  refillMs: number;
  /** How long after a fill the venue's position is awaited before the next slice, ms. */
  settleMs: number;
  /** Refusals in a row on one leg before it reports its residual. */
  maxRejects: number;
}

export const DEFAULT_DIVEST_TUNING: DivestTuning = { planTtlMs: 60_000, legTimeoutMs: 90_000, refillMs: 500, settleMs: 3_000, maxRejects: 5 };

export interface DivestDeskOptions {
  world: DivestWorld;
  journal: EngineJournal | null;
  now: () => number;
  changed: () => void;
  dataDir: string | null;
  limits?: Partial<DivestLimits>;
  tuning?: Partial<DivestTuning>;
  /** The dead-man switch's state, shown beside the kill switch. */
  deadMan?: () => DivestSnapshot['deadMan'];
  /** The protective stops' state, shown beside the kill switch. */
  stops?: () => DivestSnapshot['stops'];
}

const KEPT_PLANS = 10;
const armedSchema = z.object({ version: z.literal(1), armed: z.array(z.enum(DIVEST_VENUES)).max(DIVEST_VENUES.length) });
type ArmedFile = z.infer<typeof armedSchema>;

export class DivestDesk implements FramePart {
  private readonly o: DivestDeskOptions;
  readonly limits: DivestLimits;
  private readonly tuning: DivestTuning;
  private readonly plans = new Map<string, DivestPlan>();
  private run: DivestRun | null = null;
  private running: Promise<void> | null = null;
  private stopAsked = false;
  private armed = new Set<DivestVenue>();
  private readonly file: SettingsFile<ArmedFile>;
  private isDirty = true;
  /** Why the armed-venues file was not used, or null. */
  notice: string | null = null;

  constructor(options: DivestDeskOptions) {
    this.o = options;
    this.limits = { ...DEFAULT_DIVEST_LIMITS, ...options.limits };
    this.tuning = { ...DEFAULT_DIVEST_TUNING, ...options.tuning };
    this.file = new SettingsFile(options.dataDir, 'divest.json', armedSchema, 'Kill-switch settings file');
  }

  /** Reads which venues are armed for auto-divestment (off unless the trader armed them). */
  async start(): Promise<void> {
    const { settings, notice } = await this.file.load({ version: 1, armed: [] });
    this.armed = new Set(settings.armed);
    this.notice = notice;
    this.touch();
  }

  /** The dry run: every step with its estimated cost, kept under an id; nothing is sent. */
  async plan(scope: DivestScope, withdraw = false): Promise<DivestPlan> {
    const w = this.o.world;
    const aave = scope === 'all' || scope === 'aave';
    const draft = planDivest({ scope, positions: w.positions(), debts: aave ? await w.debts() : [], collateral: aave ? w.collateral() : [], withdraw, openOrders: w.openOrders(), gates: w.gates(), limits: this.limits });
    const now = this.o.now();
    const plan: DivestPlan = { ...draft, id: `divest-${randomUUID()}`, createdAt: now, expiresAt: now + this.tuning.planTtlMs, confirmWord: DIVEST_CONFIRM_WORD };
    this.plans.set(plan.id, plan);
    while (this.plans.size > KEPT_PLANS) this.plans.delete(this.plans.keys().next().value!);
    this.journal('plan', scope, { planId: plan.id, steps: plan.steps.map((s) => ({ phase: s.phase, legs: s.legs.map((l) => `${l.side} ${l.size} ${l.instrument}`) })), left: plan.left, costUsd: plan.totalCostUsd });
    return plan;
  }

  /**
   * Executes a kept plan: the word typed must be the plan's, the plan not expired, no other run
   * going. Returns at once with the run; progress comes in the frames.
   */
  execute(planId: string, typed: string, startedBy: DivestRun['startedBy'] = 'trader', trigger: string | null = null): DivestRun {
    const plan = this.plans.get(planId);
    if (!plan) throw new Error('that kill-switch plan is not known (it may be from before a restart): open the plan again');
    if (typed.trim() !== plan.confirmWord) throw new Error(`type ${plan.confirmWord} to execute the plan`);
    const now = this.o.now();
    if (now > plan.expiresAt) throw new Error(`the plan expired ${Math.round((now - plan.expiresAt) / 1000)} s ago: open it again (the book has moved)`);
    if (this.run?.state === 'running') throw new Error('a divestment is already running: stop it or wait for its report');
    this.plans.delete(planId);
    const legs = plan.steps.flatMap((s) => s.legs);
    const run: DivestRun = {
      id: `run-${randomUUID()}`,
      planId,
      scope: plan.scope,
      startedBy,
      trigger,
      state: 'running',
      startedAt: now,
      finishedAt: null,
      cancelled: [],
      legs: legs.map((l) => ({ legId: l.id, state: 'waiting', done: 0, remaining: l.size, orders: 0, rejects: 0, detail: 'waiting for its turn' })),
      plan,
      report: null,
    };
    this.run = run;
    this.stopAsked = false;
    this.journal('start', plan.scope, { runId: run.id, planId, startedBy, trigger });
    this.running = this.go(run).catch((err: unknown) => {
      this.journal('failed', run.scope, { runId: run.id, detail: (err as Error).message });
      this.finish(run, `the run failed: ${(err as Error).message}`);
    });
    this.touch();
    return run;
  }

  /** Stops after the slices under way; what is left is reported. */
  stop(): DivestRun | null {
    if (this.run?.state !== 'running') return this.run;
    this.stopAsked = true;
    this.journal('stop asked', this.run.scope, { runId: this.run.id });
    return this.run;
  }

  /** Settles when the run under way (if any) has its report. */
  async settled(): Promise<void> {
    await this.running;
  }

  async arm(venue: DivestVenue, on: boolean): Promise<DivestVenue[]> {
    if (on) this.armed.add(venue);
    else this.armed.delete(venue);
    await this.file.save({ version: 1, armed: [...this.armed] });
    this.journal(on ? 'armed' : 'disarmed', venue, {});
    this.touch();
    return [...this.armed];
  }

  /**
   * A "protocol broke" alert for a venue: where the trader armed auto-divestment for it, its
   * divestment starts (unless a run is already going). Returns whether it started.
   */
  async protocolBroke(venue: DivestVenue, why: string): Promise<boolean> {
    if (!this.armed.has(venue) || this.run?.state === 'running') return false;
    const plan = await this.plan(venue);
    this.execute(plan.id, plan.confirmWord, 'auto', why);
    return true;
  }

  snapshot(): DivestSnapshot {
    return { run: this.run, armed: [...this.armed], deadMan: this.o.deadMan?.() ?? { armedUntil: null, error: null }, stops: this.o.stops?.() ?? [] };
  }

  get dirty(): boolean {
    return this.isDirty;
  }

  contribute(frame: StreamFrame): void {
    if (!this.isDirty) return;
    this.isDirty = false;
    frame.divest = this.snapshot();
  }

  republish(): void {
    this.isDirty = true;
  }

  private async go(run: DivestRun): Promise<void> {
    const w = this.o.world;
    const off = w.disarmAutomation(run.scope);
    if (off.length) this.journal('automation off', run.scope, { runId: run.id, detail: off.join('; ') });
    // 1. Every order in scope, ours and any other on the account: nothing new may fill.
    // Venues that trade in this configuration (the ones with an order gate); the others hold no orders of ours.
    const trading = w.openOrders();
    const venues = DIVEST_VENUES.filter((v) => v !== 'aave' && v in trading && (run.scope === 'all' || run.scope === v));
    // Every venue at once: a kill is as fast as its slowest venue, not their sum.
    await Promise.all(venues.map(async (venue) => {
      // A venue that does not answer is asked again while it comes back (a broken venue is why we are here).
      let r: { count: number; failed: string | null } = { count: 0, failed: null };
      const end = this.o.now() + this.tuning.legTimeoutMs;
      for (let attempt = 1; ; attempt++) {
        const got = await w.cancelAll(venue).catch((err: unknown) => ({ count: 0, failed: (err as Error).message }));
        r = { count: r.count + got.count, failed: got.failed };
        if (!got.failed || this.stopAsked || this.o.now() > end) break;
        await sleep(this.tuning.refillMs * Math.min(8, attempt));
      }
      run.cancelled.push({ venue, ...r });
      this.journal('cancelled', run.scope, { runId: run.id, leg: venue, detail: `${r.count} order${r.count === 1 ? '' : 's'}${r.failed ? `; failed: ${r.failed}` : ''}` });
      this.touch();
    }));
    // 2. The legs, phase by phase in the safe order; the legs of one phase at once.
    for (const phase of DIVEST_PHASES.slice(1)) {
      const legs = run.plan.steps.find((s) => s.phase === phase)?.legs ?? [];
      if (!legs.length) continue;
      if (phase === 'hedges' && run.scope === 'all') {
        // What the option legs left is read from the venues, not assumed.
        await w.refresh('deribit').catch(() => undefined);
        this.resizeHedges(run, legs);
      }
      await Promise.all(legs.map((leg) => (leg.side === 'withdraw' ? this.withdrawLeg(run, leg) : leg.venue === 'aave' ? this.repayLeg(run, leg) : this.tradeLeg(run, leg))));
    }
    this.finish(run, null);
  }

  /**
   * The perp hedges are kept against the options delta still held after the option legs (what
   * could not be bought back or sold): each perp leg is cut to what leaves that delta hedged.
   */
  private resizeHedges(run: DivestRun, legs: DivestLeg[]): void {
    const live = this.o.world.positions();
    for (const u of new Set(legs.map((l) => l.underlying))) {
      const optionsLeft = live.filter((p) => p.kind === 'option' && p.underlying === u).reduce((s, p) => s + p.deltaCoin, 0);
      const perps = live.filter((p) => p.kind === 'perp' && p.underlying === u && legs.some((l) => l.venue === p.venue && l.instrument === p.instrument && l.account === p.account));
      const close = hedgeToClose(perps, optionsLeft, perpDeltaPerUnit);
      for (const p of perps) {
        const leg = legs.find((l) => l.venue === p.venue && l.instrument === p.instrument)!;
        const size = Math.min(leg.size, close.get(p) ?? 0);
        const progress = this.progress(run, leg.id);
        if (size < leg.size - p.lot / 2) {
          progress.detail = `${fmt(Math.abs(p.position) - size)} kept against the delta of options still held`;
          (leg as { size: number }).size = size;
          progress.remaining = size;
        }
      }
    }
  }

  /** One position unwound in slices until the venue shows it at the leg's target, or its residual with why. */
  private async tradeLeg(run: DivestRun, leg: DivestLeg): Promise<void> {
    const w = this.o.world;
    const t = this.tuning;
    const progress = this.progress(run, leg.id);
    const venue = leg.venue as 'hyperliquid' | 'deribit' | 'derive';
    // The position the leg ends at: flat, or the part of a hedge that is kept.
    const kept = Math.abs(leg.positionBefore) - leg.size;
    // Float dust (0.3 − 0.3 as computed) is nothing kept.
    const keep = kept > 1e-9 * Math.max(1, Math.abs(leg.positionBefore)) ? kept : 0;
    const deadline = this.o.now() + t.legTimeoutMs;
    let slices = 0;
    let rejectsInRow = 0;
    const find = (): HeldPosition | null => w.positions().find((p) => p.venue === venue && p.instrument === leg.instrument && p.account === leg.account) ?? null;
    const left = (p: HeldPosition | null): number => (p && Math.sign(p.position) === Math.sign(leg.positionBefore) ? Math.max(0, Math.abs(p.position) - keep) : 0);
    progress.state = 'working';
    progress.detail = 'unwinding';
    this.touch();
    for (;;) {
      const p = find();
      const remaining = left(p);
      progress.remaining = remaining;
      progress.done = Math.max(0, leg.size - remaining);
      if (!p || remaining < p.lot - 1e-9) return this.legEnd(run, leg, progress, 'flat', keep > 0 ? `done: ${fmt(keep)} kept as the hedge of options still held` : 'flat at the venue');
      if (this.stopAsked) return this.legEnd(run, leg, progress, 'stopped', `stopped by the trader with ${fmt(remaining)} ${leg.unit} still held`);
      if (this.o.now() > deadline) return this.legEnd(run, leg, progress, 'residual', `${fmt(remaining)} ${leg.unit} still held after ${Math.round(t.legTimeoutMs / 1000)} s: ${progress.detail}`);
      const gate = w.gates()[venue] ?? p.untradable;
      if (gate) {
        progress.detail = `waits for ${venue}: ${gate}`;
        this.touch();
        await sleep(t.refillMs);
        continue;
      }
      const slice = nextSlice(sliceMarket(p, this.limits), remaining);
      if (!slice) {
        progress.detail = `the book offers less than one lot within the limit (${p.kind === 'option' ? `${Math.round(this.limits.optionSlippagePct * 100)} % of the mark` : `${this.limits.perpSlippageBps} bps`}); waiting for it to refill`;
        this.touch();
        await sleep(t.refillMs);
        continue;
      }
      const intent: OrderIntent = { intentId: `${run.id}:${leg.id}:${slices++}`, instrument: leg.instrument, side: slice.side, size: slice.size, price: slice.limitPrice, tif: 'Ioc', reduceOnly: true, purpose: 'flatten' };
      progress.orders++;
      let row: OrderRow | null = null;
      let refused: string | null = null;
      try {
        row = await w.submit(venue, intent);
        if (row.state === 'rejected') refused = row.reason ?? 'rejected';
      } catch (err) {
        refused = (err as Error).message;
      }
      if (refused !== null) {
        progress.rejects++;
        rejectsInRow++;
        progress.detail = `refused: ${refused}`;
        this.journal('slice refused', run.scope, { runId: run.id, leg: leg.id, detail: refused });
        this.touch();
        if (rejectsInRow >= t.maxRejects) return this.legEnd(run, leg, progress, 'residual', `${fmt(remaining)} ${leg.unit} still held: ${rejectsInRow} refusals in a row, the last: ${refused}`);
        await sleep(t.refillMs * Math.min(8, 2 ** (rejectsInRow - 1)));
        continue;
      }
      rejectsInRow = 0;
      const filled = row?.filled ?? 0;
      progress.detail = `${slice.side} ${fmt(slice.size)} at ≤ ${slice.limitPrice}: ${row?.state ?? 'sent'}${filled > 0 ? `, ${fmt(filled)} filled` : ''}`;
      this.touch();
      if (filled > 0 || row?.state === 'submitted') await this.settle(venue, () => left(find()), remaining);
      else await sleep(t.refillMs);
    }
  }

  /** Waits until the venue's position shows the fill (or the settle time passes). */
  private async settle(venue: DivestVenue, remainingNow: () => number, before: number): Promise<void> {
    const end = this.o.now() + this.tuning.settleMs;
    // Positions that come by poll (Deribit's, Derive's) are read now; a streamed venue's refresh does nothing.
    if (venue !== 'aave') await this.o.world.refresh(venue).catch(() => undefined);
    while (this.o.now() < end) {
      if (remainingNow() < before - 1e-12) return;
      await sleep(50);
    }
  }

  private async repayLeg(run: DivestRun, leg: DivestLeg): Promise<void> {
    const w = this.o.world;
    const progress = this.progress(run, leg.id);
    progress.state = 'working';
    progress.detail = `repaying ${fmt(leg.size)} ${leg.instrument}`;
    this.touch();
    const debtNow = async (): Promise<number | null> => (await w.debts()).find((d) => d.account === leg.account && d.symbol === leg.instrument)?.debt ?? 0;
    for (let attempt = 1; ; attempt++) {
      if (this.stopAsked) return this.legEnd(run, leg, progress, 'stopped', 'stopped by the trader before the repay');
      progress.orders++;
      try {
        await w.repay(leg.account, leg.instrument, leg.size);
        const end = this.o.now() + this.tuning.settleMs * 3;
        let debt = await debtNow();
        while (debt !== null && debt > dust(leg.positionBefore) && this.o.now() < end) {
          await sleep(200);
          debt = await debtNow();
        }
        progress.remaining = debt ?? leg.positionBefore;
        progress.done = Math.max(0, leg.positionBefore - progress.remaining);
        if (debt !== null && debt <= dust(leg.positionBefore)) return this.legEnd(run, leg, progress, 'flat', `debt repaid (${progress.done.toFixed(2)} ${leg.instrument})`);
        return this.legEnd(run, leg, progress, 'residual', `${fmt(progress.remaining)} ${leg.instrument} still owed after the repay (the wallet held ${fmt(leg.absorbableNow)})`);
      } catch (err) {
        progress.rejects++;
        progress.detail = `repay refused: ${(err as Error).message}`;
        this.touch();
        if (attempt >= 3) return this.legEnd(run, leg, progress, 'residual', `${fmt(progress.remaining)} ${leg.instrument} still owed: ${(err as Error).message}`);
        await sleep(this.tuning.refillMs * attempt);
      }
    }
  }

  /**
   * The collateral back to the wallet, once the debt is gone: all of it with no debt left; with
   * interest dust left (under a cent), all but a dollar's worth, so the account stays above
   * liquidation and Aave takes the withdraw.
   */
  private async withdrawLeg(run: DivestRun, leg: DivestLeg): Promise<void> {
    const w = this.o.world;
    const progress = this.progress(run, leg.id);
    if (this.stopAsked) return this.legEnd(run, leg, progress, 'stopped', 'stopped by the trader before the withdraw');
    progress.state = 'working';
    progress.detail = `withdrawing ${leg.instrument}`;
    this.touch();
    await w.refresh('aave').catch(() => undefined);
    const debts = (await w.debts().catch(() => [])).filter((d) => d.account === leg.account);
    const owedUsd = debts.reduce((s, d) => s + d.debt * d.priceUsd, 0);
    if (owedUsd >= 0.01) return this.legEnd(run, leg, progress, 'residual', `${fmt(leg.size)} ${leg.instrument} stays supplied: the account still owes $${owedUsd.toFixed(2)}`);
    const held = w.collateral().find((c) => c.account === leg.account && c.symbol === leg.instrument);
    if (!held || !(held.supplied > 0)) return this.legEnd(run, leg, progress, 'flat', 'nothing supplied');
    const tokens = owedUsd > 0 ? Math.max(0, held.supplied - Math.max(1, owedUsd * 100) / held.priceUsd) : null;
    progress.orders++;
    try {
      await w.withdraw(leg.account, leg.instrument, tokens);
    } catch (err) {
      progress.rejects++;
      return this.legEnd(run, leg, progress, 'residual', `${fmt(held.supplied)} ${leg.instrument} stays supplied: ${(err as Error).message}`);
    }
    await w.refresh('aave').catch(() => undefined);
    const after = w.collateral().find((c) => c.account === leg.account && c.symbol === leg.instrument)?.supplied ?? 0;
    progress.remaining = after;
    progress.done = Math.max(0, held.supplied - after);
    return this.legEnd(run, leg, progress, 'flat', after > 0 ? `withdrawn to the wallet; ${fmt(after)} left against interest dust` : 'withdrawn to the wallet');
  }

  private legEnd(run: DivestRun, leg: DivestLeg, progress: DivestLegProgress, state: DivestLegProgress['state'], detail: string): void {
    progress.state = state;
    progress.detail = detail;
    this.journal(`leg ${state}`, run.scope, { runId: run.id, leg: leg.id, detail, done: progress.done, remaining: progress.remaining, orders: progress.orders, rejects: progress.rejects });
    this.touch();
  }

  private finish(run: DivestRun, failure: string | null): void {
    const flat: string[] = [];
    const notFlat: string[] = [];
    for (const c of run.cancelled) (c.failed ? notFlat : flat).push(c.failed ? `${c.venue} orders: cancel failed (${c.failed})` : `${c.venue}: ${c.count} order${c.count === 1 ? '' : 's'} cancelled`);
    for (const l of run.plan.steps.flatMap((s) => s.legs)) {
      const p = this.progress(run, l.id);
      if (p.state === 'waiting' || p.state === 'working') {
        p.state = 'stopped';
        p.detail = failure ?? 'not reached';
      }
      const name = `${l.venue} ${l.instrument}${l.side === 'repay' ? ' debt' : l.side === 'withdraw' ? ' collateral' : ''}`;
      if (p.state === 'flat') flat.push(`${name}: ${p.detail}`);
      else notFlat.push(`${name}: ${p.detail}`);
    }
    for (const x of run.plan.left) notFlat.push(`${x.venue} ${x.instrument} (${x.account.startsWith('0x') ? shortAddress(x.account) : x.account}): ${x.reason}`);
    run.report = { flat, notFlat };
    run.state = this.stopAsked ? 'stopped' : 'done';
    run.finishedAt = this.o.now();
    this.journal('report', run.scope, { runId: run.id, flat, notFlat });
    this.touch();
  }

  private progress(run: DivestRun, legId: string): DivestLegProgress {
    return run.legs.find((l) => l.legId === legId)!;
  }

  private journal(what: string, scope: string, body: Record<string, unknown>): void {
    void this.o.journal?.append('divest', { what, scope, ...body }).catch(() => undefined);
  }

  private touch(): void {
    this.isDirty = true;
    this.o.changed();
  }
}

/** What counts as repaid: interest dust under a millionth of the debt. */
const dust = (debt: number): number => Math.max(1e-6, debt * 1e-6);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const fmt = plainAmount;
