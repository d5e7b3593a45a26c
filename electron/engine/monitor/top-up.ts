import type { AlertTarget } from '../../../shared/domain/alerts.ts';
import { equityForDistance } from '../../../shared/domain/liquidation.ts';
import type { AccountSummary, PositionRow } from '../../../shared/domain/portfolio.ts';
import { DEFAULT_TOP_UP, isAaveRule, type TopUpAction, type TopUpRule, type TopUpStatus } from '../../../shared/domain/top-up.ts';
import type { AaveAccountData } from '../../venues/aave/aave-reader.ts';
import type { VenueStatus } from '../../../shared/domain/venues.ts';
import { formatFixed, formatUsd } from '../../../shared/format/numbers.ts';
import { shortAddress } from '../../../shared/format/address.ts';
import { OutcomeUnknown } from '../../venues/common/execution.ts';
import type { EngineJournal } from '../journal/journal-db.ts';
import type { CollateralMover } from '../venues/registry.ts';
import type { BlindTopUp } from './measures.ts';

/*
 * Collateral top-ups for Hyperliquid isolated positions (issue "Monitoring", item 5). When the
 * mark comes within the trigger of liquidation, margin is added so the liquidation price moves
 * out to the target — no more than the rule's largest top-up, no sooner than its interval, and
 * never past the daily collateral limit the trader approved (main's guard reads the action's own
 * amount). After each top-up the venue's account is read again: the distance must reach the
 * target, or a critical alert says it did not. Every failure is a critical alert with its reason.
 * An answer that was lost is not resent: the account read afterwards says whether margin moved.
 */

export interface TopUpDeskOptions {
  accounts: () => readonly AccountSummary[];
  venue: () => VenueStatus | undefined;
  mover: () => CollateralMover | null;
  /** The Hyperliquid account main signs for (a watched account's margin cannot be moved), or null. */
  tradingAccount: () => string | null;
  journal: EngineJournal | null;
  now: () => number;
  /** A critical "automation failed" alert (the monitor keeps it until acknowledged). */
  failed: (id: string, message: string, target: AlertTarget) => void;
  /** The rules changed: save them. */
  save: () => void;
  /** Aave accounts as last read, and a supply of collateral from the account's wallet. */
  aave?: { data(account: string): AaveAccountData | null; error?(account: string): string | null; supply(account: string, symbol: string, tokens: number, gasCapGwei?: number): Promise<void> } | null;
  /** How old the account read may be before top-ups pause, ms. */
  maxAgeMs?: number;
  /** How long after a top-up the account must show it, ms. */
  verifyMs?: number;
}

interface Unit {
  rule: TopUpRule;
  state: TopUpStatus['state'];
  reason: string | null;
  last: TopUpAction | null;
  lastAt: number;
  sent: { at: number; usd: number }[];
  /** A top-up waiting to be seen in the account: when it went out and what it should reach. */
  verifying: { at: number; usd: number; from: number } | null;
  inFlight: boolean;
  /** Since when it cannot see what it protects (its venue down, the account not read), or null. */
  blindSince: number | null;
}

const DAY_MS = 86_400_000;
const DEFAULT_MAX_AGE_MS = 10_000;
const DEFAULT_VERIFY_MS = 15_000;
/** A top-up counts as reaching its target within this much of it (the venue's rules are finer than ours), percentage points. */
const TARGET_SLACK_PCT = 0.5;
/** The same for a health factor (rounding of the oracle price and the token amount). */
const HF_SLACK = 0.005;

export class TopUpDesk {
  private readonly o: TopUpDeskOptions;
  private readonly units = new Map<string, Unit>();
  private checking = false;
  /** The book as the monitor last priced it (checks and statuses read it; nothing prices it again). */
  private rows: readonly PositionRow[] = [];

  constructor(options: TopUpDeskOptions) {
    this.o = options;
  }

  /**
   * Rules as saved, and from the journal the top-ups sent in the last 24 h: a restart neither
   * forgets what was spent nor lets the next top-up come sooner than the rule's interval.
   */
  restore(rules: readonly TopUpRule[]): void {
    for (const r of rules) this.unit(r.position).rule = r;
    for (const row of this.o.journal?.read({ kind: 'top-up', since: this.o.now() - DAY_MS }) ?? []) {
      const b = row.body as { what?: unknown; position?: unknown; amountUsd?: unknown };
      if (b.what !== 'sent' || typeof b.position !== 'string' || typeof b.amountUsd !== 'number' || !Number.isFinite(b.amountUsd)) continue;
      const u = this.units.get(b.position);
      if (!u) continue;
      u.sent.push({ at: row.at, usd: b.amountUsd });
      u.lastAt = Math.max(u.lastAt, row.at);
    }
  }

  configure(rule: TopUpRule): TopUpStatus {
    if (rule.mode === 'live' && !isAaveRule(rule)) {
      const problem = this.notOurs(rule.position);
      if (problem) throw new Error(problem);
    }
    const u = this.unit(rule.position);
    u.rule = rule;
    u.state = rule.mode === 'off' ? 'off' : 'watching';
    u.reason = null;
    this.journal(u, 'configured', { rule });
    this.o.save();
    return this.status(u);
  }

  /** Armed rules that cannot see what they protect, for the monitor's automation rule. */
  blind(): BlindTopUp[] {
    const out: BlindTopUp[] = [];
    for (const u of this.units.values()) {
      if (u.rule.mode === 'off' || u.state !== 'paused' || u.blindSince === null) continue;
      out.push({ position: u.rule.position, live: u.rule.mode === 'live', since: u.blindSince, reason: u.reason ?? 'no reason given', target: targetOf(u.rule) });
    }
    return out;
  }

  rules(): TopUpRule[] {
    return [...this.units.values()].map((u) => u.rule);
  }

  statuses(): TopUpStatus[] {
    return [...this.units.values()].map((u) => this.status(u));
  }

  /** One look at every armed rule (the monitor calls it after each evaluation, with the book it priced); never two at once. */
  async check(rows: readonly PositionRow[]): Promise<void> {
    this.rows = rows;
    if (this.checking) return;
    this.checking = true;
    try {
      for (const u of this.units.values()) if (u.rule.mode !== 'off' && !u.inFlight) await this.checkOne(u);
    } finally {
      this.checking = false;
    }
  }

  private unit(position: string): Unit {
    let u = this.units.get(position);
    if (!u) {
      u = { rule: { ...DEFAULT_TOP_UP, position }, state: 'off', reason: null, last: null, lastAt: 0, sent: [], verifying: null, inFlight: false, blindSince: null };
      this.units.set(position, u);
    }
    return u;
  }

  /** Why DeltaDesk cannot move this position's margin (a watched account), or null. */
  private notOurs(position: string): string | null {
    const account = this.o.tradingAccount();
    const of = position.split(':')[1] ?? '';
    if (!account) return 'no Hyperliquid account to sign for yet: approve an agent in Vault';
    return account.toLowerCase() === of.toLowerCase() ? null : `DeltaDesk signs for ${shortAddress(account)}; this position is in ${shortAddress(of)}, watched only`;
  }

  private status(u: Unit): TopUpStatus {
    const now = this.o.now();
    const p = isAaveRule(u.rule) ? null : this.position(u);
    const current = isAaveRule(u.rule) ? (this.o.aave?.data(u.rule.position.slice(5))?.healthFactor ?? null) : p ? pct(p) : null;
    return { rule: u.rule, current, state: u.rule.mode === 'off' ? 'off' : u.state, reason: u.reason, last: u.last, spent24hUsd: u.sent.filter((s) => now - s.at < DAY_MS).reduce((a, s) => a + s.usd, 0) };
  }

  private position(u: Unit): PositionRow | undefined {
    return this.rows.find((p) => p.def.id === u.rule.position);
  }

  private readAt(p: PositionRow): number {
    return this.o.accounts().find((a) => a.source === p.def.source && a.account.toLowerCase() === p.def.account.toLowerCase() && !a.error)?.updatedAt ?? 0;
  }

  private async checkOne(u: Unit): Promise<void> {
    if (isAaveRule(u.rule)) return this.checkAave(u);
    const now = this.o.now();
    const p = this.position(u);
    const target = targetOf(u.rule);
    if (!p) return this.pause(u, 'no such position on the venue now');
    const def = p.def;
    if (def.type !== 'perp' || !def.perp || def.perp.leverage.type !== 'isolated') return this.pause(u, 'the position is not isolated: only isolated margin can be topped up');
    if (u.verifying) {
      const name = p.def.instrument;
      return this.settle(u, target, this.readAt(p), pct(p), TARGET_SLACK_PCT, {
        reached: (d, v) => `${name}: liquidation now ${formatFixed(d, 1)} % away (was ${formatFixed(v.from, 1)} %)`,
        short: (d, v) => `${name}: after adding ${formatUsd(v.usd)} liquidation is ${formatFixed(d, 1)} % away, short of the ${formatFixed(u.rule.target, 1)} % target`,
        unseen: `the account did not show the top-up within ${formatFixed((this.o.verifyMs ?? DEFAULT_VERIFY_MS) / 1000, 0)} s; check the position on the venue`,
      });
    }
    const venue = this.o.venue();
    if (!venue || venue.state !== 'connected') return this.blindPause(u, `Hyperliquid is ${venue?.state ?? 'not connected'}`);
    const age = now - this.readAt(p);
    if (age > (this.o.maxAgeMs ?? DEFAULT_MAX_AGE_MS)) return this.blindPause(u, `the account was read ${formatFixed(age / 1000, 0)} s ago`);
    const distance = pct(p);
    if (distance === null) return this.pause(u, 'the venue gives no liquidation price for this position');
    if (distance >= u.rule.trigger) return this.set(u, 'watching', null);
    if (now - u.lastAt < u.rule.minIntervalMs) return this.set(u, 'waiting', `the last top-up was ${formatFixed((now - u.lastAt) / 1000, 0)} s ago (interval ${formatFixed(u.rule.minIntervalMs / 1000, 0)} s)`);
    const perp = def.perp;
    const equityNow = perp.equity + def.quantity * (p.mark - perp.markAtUpdate);
    const needed = equityForDistance({ size: def.quantity, mark: p.mark, maxLeverage: perp.maxLeverage }, u.rule.target / 100);
    if (needed === null) return this.pause(u, 'no margin would move the liquidation price');
    const usd = Math.min(u.rule.maxUsd, Math.ceil((needed - equityNow) * 100) / 100);
    if (!(usd > 0)) return this.set(u, 'watching', null);
    const coin = def.instrument.replace(/-PERP$/, '');
    const words = `${def.instrument}: ${formatFixed(distance, 1)} % from liquidation, under the ${formatFixed(u.rule.trigger, 1)} % trigger; add ${formatUsd(usd)} of margin${usd === u.rule.maxUsd ? ' (the rule’s largest top-up)' : ''} for ${formatFixed(u.rule.target, 1)} %`;
    u.lastAt = now;
    if (u.rule.mode === 'dry-run') {
      this.act(u, { at: now, what: 'dry-run', amountUsd: usd, detail: `would ${words}` });
      return this.set(u, 'waiting', 'dry-run: nothing moved; the next decision after the interval');
    }
    const mover = this.o.mover();
    if (!mover) return this.fail(u, target, usd, 'Hyperliquid cannot be signed for: no trading account in the vault');
    const notOurs = this.notOurs(u.rule.position);
    if (notOurs) return this.fail(u, target, usd, notOurs);
    u.inFlight = true;
    try {
      await mover.addIsolatedMargin(coin, def.quantity > 0 ? 'long' : 'short', usd);
      u.sent.push({ at: now, usd });
      u.verifying = { at: now, usd, from: distance };
      this.act(u, { at: now, what: 'sent', amountUsd: usd, detail: words });
      this.set(u, 'checking', 'waiting for the account to show the new margin');
    } catch (err) {
      if (err instanceof OutcomeUnknown) {
        // Maybe it landed: the account read decides, and nothing is sent again before it.
        u.verifying = { at: now, usd, from: distance };
        this.act(u, { at: now, what: 'sent', amountUsd: usd, detail: `${words}; the venue's answer was lost (${err.message}), checking the account` });
        this.set(u, 'checking', 'answer lost: reading the account');
      } else this.fail(u, target, usd, (err as Error).message);
    } finally {
      u.inFlight = false;
    }
  }

  /**
   * Aave: supply collateral from the wallet to bring the health factor to the target —
   * ΔC = (target × debt − collateral × LT) ÷ LT_asset (venues.md §4), the account's weighted LT
   * standing in for the asset's (exact while the collateral is that one asset), plus 0.2 % for the
   * price moving while the transaction lands.
   */
  private async checkAave(u: Unit): Promise<void> {
    const now = this.o.now();
    const account = u.rule.position.slice('aave:'.length);
    const target = targetOf(u.rule);
    const aave = this.o.aave;
    if (!aave) return this.blindPause(u, 'no Aave market is connected');
    const d = aave.data(account);
    if (!d) return this.blindPause(u, 'the Aave account has not been read yet');
    if (u.verifying) {
      const name = `Aave ${account.slice(0, 6)}…`;
      return this.settle(u, target, d.readAt, d.healthFactor, HF_SLACK, {
        reached: (hf, v) => `${name}: health factor now ${formatFixed(hf, 3)} (was ${formatFixed(v.from, 3)})`,
        short: (hf, v) => `${name}: after supplying ${formatUsd(v.usd)} the health factor is ${formatFixed(hf, 3)}, short of the ${formatFixed(u.rule.target, 2)} target`,
        unseen: 'the account did not show the new collateral in time; check it on chain',
      });
    }
    const age = now - d.readAt;
    if (age > (this.o.maxAgeMs ?? DEFAULT_MAX_AGE_MS)) {
      const why = aave.error?.(account);
      return this.blindPause(u, `the Aave account was read ${formatFixed(age / 1000, 0)} s ago${why ? ` (${why})` : ''}`);
    }
    const hf = d.healthFactor;
    if (hf === null) return this.set(u, 'watching', 'no debt: nothing to liquidate');
    if (hf >= u.rule.trigger) return this.set(u, 'watching', null);
    if (now - u.lastAt < u.rule.minIntervalMs) return this.set(u, 'waiting', `the last top-up was ${formatFixed((now - u.lastAt) / 1000, 0)} s ago`);
    const symbol = u.rule.source ?? 'WETH';
    const reserve = d.reserves.find((r) => r.symbol === symbol);
    if (!reserve || !(reserve.priceUsd > 0)) return this.pause(u, `${symbol} is not a reserve of this market`);
    const lt = d.liquidationThreshold;
    const neededUsd = ((u.rule.target * d.debtUsd - d.collateralUsd * lt) / lt) * 1.002;
    if (!(neededUsd > 0)) return this.set(u, 'watching', null);
    const usd = Math.min(u.rule.maxUsd, neededUsd);
    const tokens = Math.ceil((usd / reserve.priceUsd) * 1e8) / 1e8;
    const words = `Aave ${account.slice(0, 6)}…: health factor ${formatFixed(hf, 3)}, under the ${formatFixed(u.rule.trigger, 2)} trigger; supply ${tokens} ${symbol} (${formatUsd(usd)})${usd === u.rule.maxUsd ? ' (the rule’s largest top-up)' : ''} for ${formatFixed(u.rule.target, 2)}`;
    u.lastAt = now;
    if (u.rule.mode === 'dry-run') {
      this.act(u, { at: now, what: 'dry-run', amountUsd: usd, detail: `would ${words}` });
      return this.set(u, 'waiting', 'dry-run: nothing moved; the next decision after the interval');
    }
    u.inFlight = true;
    try {
      await aave.supply(account, symbol, tokens, u.rule.gasCapGwei);
      u.sent.push({ at: now, usd });
      u.verifying = { at: this.o.now(), usd, from: hf };
      this.act(u, { at: now, what: 'sent', amountUsd: usd, detail: words });
      this.set(u, 'checking', 'waiting for the account to show the new collateral');
    } catch (err) {
      this.fail(u, target, usd, (err as Error).message);
    } finally {
      u.inFlight = false;
    }
  }

  /**
   * The post-condition of a top-up, on the first account read after it: the rule's figure
   * (distance to liquidation, or health factor) must be back at the target, within `slack`, or a
   * critical alert says it fell short. No read in time is a failure too.
   */
  private settle(u: Unit, target: AlertTarget, readAt: number, figure: number | null, slack: number, words: { reached: (f: number, v: NonNullable<Unit['verifying']>) => string; short: (f: number, v: NonNullable<Unit['verifying']>) => string; unseen: string }): void {
    const v = u.verifying!;
    const now = this.o.now();
    if (readAt <= v.at || figure === null) {
      if (now - v.at <= (this.o.verifyMs ?? DEFAULT_VERIFY_MS)) return;
      u.verifying = null;
      return this.fail(u, target, v.usd, words.unseen);
    }
    u.verifying = null;
    if (figure + slack >= u.rule.target) {
      this.act(u, { at: now, what: 'verified', amountUsd: v.usd, detail: words.reached(figure, v) });
      return this.set(u, 'watching', null);
    }
    const detail = words.short(figure, v);
    this.act(u, { at: now, what: 'short', amountUsd: v.usd, detail });
    this.o.failed(`top-up:${u.rule.position}`, `Top-up fell short: ${detail}`, target);
    this.set(u, 'watching', null);
  }

  private fail(u: Unit, target: AlertTarget, usd: number, reason: string): void {
    const now = this.o.now();
    this.act(u, { at: now, what: 'failed', amountUsd: usd, detail: reason });
    this.o.failed(`top-up:${u.rule.position}`, `Top-up of ${formatUsd(usd)} on ${isAaveRule(u.rule) ? `Aave ${u.rule.position.slice(5, 11)}…` : u.rule.position.split(':').pop()} failed: ${reason}`, target);
    this.set(u, 'paused', `the last top-up failed: ${reason}`);
  }

  private act(u: Unit, action: TopUpAction): void {
    u.last = action;
    this.journal(u, action.what, { amountUsd: action.amountUsd, detail: action.detail });
  }

  private pause(u: Unit, reason: string): void {
    this.set(u, 'paused', reason);
  }

  /** Paused because it cannot see: the monitor raises it once this lasts (never a silent pause while the trader sleeps). */
  private blindPause(u: Unit, reason: string): void {
    const since = u.blindSince ?? this.o.now();
    this.set(u, 'paused', reason);
    u.blindSince = since;
  }

  private set(u: Unit, state: TopUpStatus['state'], reason: string | null): void {
    u.state = state;
    u.reason = reason;
    u.blindSince = null;
  }

  private journal(u: Unit, what: string, body: Record<string, unknown>): void {
    void this.o.journal?.append('top-up', { what, position: u.rule.position, mode: u.rule.mode, ...body }).catch(() => undefined);
  }
}

/** Where a rule's alerts point: the Aave account's row, or the position's. */
function targetOf(rule: TopUpRule): AlertTarget {
  return { workspace: 'portfolio', figure: isAaveRule(rule) ? `account:aave:${rule.position.slice('aave:'.length)}` : `position:${rule.position}` };
}

/** A position's distance to liquidation, % of the mark (null without one). */
function pct(p: PositionRow): number | null {
  const d = p.liquidation?.distancePct;
  return d === null || d === undefined ? null : Math.abs(d) * 100;
}
