import { z } from 'zod';
import { DEFAULT_ALERT_RULES, type Alert, type AlertRuleId, type AlertRuleSettings, type AlertsSnapshot, type AlertTarget, type AlertLevel } from '../../../shared/domain/alerts.ts';
import { alertRulesSchema, alertSchema, topUpRuleSchema } from '../../../shared/contract/alert-schemas.ts';
import type { TopUpRule, TopUpStatus } from '../../../shared/domain/top-up.ts';
import type { CollateralMover } from '../venues/registry.ts';
import { TopUpDesk, type TopUpDeskOptions } from './top-up.ts';
import type { AutoHedgeStatus } from '../../../shared/domain/hedge.ts';
import type { AccountSummary, PortfolioSnapshot } from '../../../shared/domain/portfolio.ts';
import type { VenueStatus } from '../../../shared/domain/venues.ts';
import type { StreamFrame } from '../../../shared/stream/frame.ts';
import { SettingsFile } from '../../storage/settings-file.ts';
import type { MarginCallLevels } from '../risk/ladder-margin.ts';
import type { EngineJournal } from '../journal/journal-db.ts';
import type { FramePart } from '../market/market-state.ts';
import { AlertBook, type AlertChange } from './alert-book.ts';
import { measure } from './measures.ts';
import { ProtocolWatch, type ProtocolReadings } from './protocol-watch.ts';

/*
 * The monitor (DESIGN.md §4b): evaluates the alert rules over the engine's own state on a timer
 * and whenever risk changed, in the engine, so it keeps watching while the window is hidden or
 * closed. Every raise, escalation, easing, acknowledgement and clearance goes to the journal;
 * alerts that were active at a restart come back from it. Critical news goes to main, which
 * raises the desktop notification.
 */

export interface MonitorDeskOptions {
  risk: () => Pick<PortfolioSnapshot, 'positions' | 'totals'>;
  accounts: () => AccountSummary[];
  venues: () => VenueStatus[];
  hedgers: () => AutoHedgeStatus[];
  hedgerCheckMs: number;
  journal: EngineJournal | null;
  dataDir: string | null;
  now: () => number;
  changed: () => void;
  /** A critical alert was raised or escalated (main notifies). */
  notify?: (alert: Alert) => void;
  /** Every alert raised or escalated to critical, acknowledged or not (the kill switch's triggers). */
  critical?: (alert: Alert) => void;
  evaluateMs?: number;
  /** Where top-ups go (Hyperliquid's link and its collateral seam). */
  hyperliquid: () => VenueStatus | undefined;
  collateral: () => CollateralMover | null;
  tradingAccount: () => string | null;
  aave?: TopUpDeskOptions['aave'];
  topUpVerifyMs?: number;
  /** The books, indexes and oracles the "protocol broke" rules judge. */
  protocol?: () => ProtocolReadings;
}

interface MonitorSettings {
  version: 1;
  rules: Record<AlertRuleId, AlertRuleSettings>;
  topUps: TopUpRule[];
}

// A file written before a rule existed gets that rule's defaults.
const settingsSchema = z
  .object({ version: z.literal(1), rules: alertRulesSchema.partial(), topUps: z.array(topUpRuleSchema).max(200).default([]) })
  .transform((s): MonitorSettings => ({ version: 1, rules: { ...DEFAULT_ALERT_RULES, ...s.rules }, topUps: s.topUps }));
const journalBodySchema = z.object({ event: z.string(), alert: alertSchema });

/** Alerts older than this in the journal are not brought back at a start. */
const RESTORE_WINDOW_MS = 7 * 86_400_000;
const DEFAULT_EVALUATE_MS = 500;
/** A risk change asks for an evaluation no sooner than this after the previous one. */
const MIN_GAP_MS = 100;

export class MonitorDesk implements FramePart {
  private readonly o: MonitorDeskOptions;
  private readonly book = new AlertBook();
  private readonly file: SettingsFile<MonitorSettings>;
  private rules: Record<AlertRuleId, AlertRuleSettings> = { ...DEFAULT_ALERT_RULES };
  private timer: ReturnType<typeof setInterval> | null = null;
  private trailing: ReturnType<typeof setTimeout> | null = null;
  private peakPnl: number | null = null;
  private evaluatedAt: number | null = null;
  private dirtyFlag = true;
  private loaded: Promise<void> | null = null;
  /** Why the settings file was not used, shown as an info alert. */
  private notice: string | null = null;
  readonly topUps: TopUpDesk;
  private readonly protocolWatch = new ProtocolWatch();

  constructor(options: MonitorDeskOptions) {
    this.o = options;
    this.topUps = new TopUpDesk({
      accounts: options.accounts,
      venue: options.hyperliquid,
      mover: options.collateral,
      tradingAccount: options.tradingAccount,
      aave: options.aave ?? null,
      journal: options.journal,
      now: options.now,
      failed: (id, message, target) => void this.failed(id, message, target),
      save: () => void this.persist(),
      ...(options.topUpVerifyMs ? { verifyMs: options.topUpVerifyMs } : {}),
    });
    this.file = new SettingsFile(options.dataDir, 'monitor.json', settingsSchema, 'Alert settings file');
  }

  start(): Promise<void> {
    this.loaded ??= this.file.load({ version: 1, rules: { ...DEFAULT_ALERT_RULES }, topUps: [] }).then(({ settings, notice }) => {
      this.rules = settings.rules;
      this.topUps.restore(settings.topUps);
      this.notice = notice;
      this.restore();
      if (notice) this.record([this.book.raiseEvent('settings', 'warning', notice, { workspace: 'portfolio', figure: 'alerts' }, this.o.now())]);
      this.evaluate();
    });
    this.timer ??= setInterval(() => this.evaluate(), this.o.evaluateMs ?? DEFAULT_EVALUATE_MS);
    return this.loaded;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.trailing) clearTimeout(this.trailing);
    this.timer = null;
    this.trailing = null;
  }

  /**
   * Risk changed (a fill, a mark, a position read, an Aave account): judge again soon, not at the
   * next tick only. Within 100 ms of the last judgement one more is scheduled for the end of that
   * gap, so a change that lands just after an evaluation is not left waiting for the timer.
   */
  riskChanged(): void {
    const since = this.evaluatedAt === null ? Infinity : this.o.now() - this.evaluatedAt;
    if (since >= MIN_GAP_MS) return void this.evaluate();
    this.trailing ??= setTimeout(() => {
      this.trailing = null;
      if (this.timer) this.evaluate();
    }, MIN_GAP_MS - since);
  }

  evaluate(): AlertChange[] {
    const now = this.o.now();
    const risk = this.o.risk();
    const pnl = risk.totals.length ? risk.totals.reduce((a, t) => a + t.pnlUsd, 0) : null;
    if (pnl !== null && Number.isFinite(pnl)) this.peakPnl = Math.max(this.peakPnl ?? pnl, pnl);
    const measurements = measure({
      now,
      positions: risk.positions,
      accounts: this.o.accounts(),
      venues: this.o.venues(),
      hedgers: this.o.hedgers(),
      hedgerCheckMs: this.o.hedgerCheckMs,
      blindTopUps: this.topUps.blind(),
      pnlUsd: pnl !== null && Number.isFinite(pnl) ? pnl : null,
      peakPnlUsd: this.peakPnl,
    });
    if (this.o.protocol) measurements.push(...this.protocolWatch.measure(this.o.protocol(), now));
    const changes = this.book.apply(measurements, this.rules, now);
    this.evaluatedAt = now;
    this.record(changes);
    // Figures inside an active alert move every tick; the screen hears of it with the next frame.
    if (this.book.size || changes.length) this.markDirty();
    // The top-ups look at the same priced book the rules just judged.
    void this.topUps.check(risk.positions);
    return changes;
  }

  /** An automation failed (a top-up, a hedge): critical until acknowledged. */
  failed(id: string, message: string, target: AlertTarget, level: AlertLevel = 'critical'): Alert {
    const change = this.book.raiseEvent(id, level, message, target, this.o.now());
    this.record([change]);
    this.markDirty();
    return change.alert;
  }

  acknowledge(key: string): boolean {
    const change = this.book.acknowledge(key, this.o.now());
    if (!change) return false;
    this.record([change]);
    this.markDirty();
    return true;
  }

  /** Where the trader's margin alerts turn to a warning: what the Greeks ladder marks as a margin call. */
  marginCallLevels(): MarginCallLevels {
    const level = (s: AlertRuleSettings): number | null => (s.enabled ? (s.warning ?? s.critical) : null);
    return { ratioPct: level(this.rules['margin-ratio']), healthFactor: level(this.rules['health-factor']) };
  }

  async setRule(rule: AlertRuleId, settings: AlertRuleSettings): Promise<Record<AlertRuleId, AlertRuleSettings>> {
    await this.start();
    this.rules = { ...this.rules, [rule]: settings };
    await this.persist();
    if (this.file.lastError) throw new Error(this.file.lastError);
    this.evaluate();
    this.markDirty();
    return this.rules;
  }

  async setTopUp(rule: TopUpRule): Promise<TopUpStatus> {
    await this.start();
    const status = this.topUps.configure(rule);
    this.evaluate();
    return status;
  }

  private persist(): Promise<void> {
    return this.file.save({ version: 1, rules: this.rules, topUps: this.topUps.rules() });
  }

  snapshot(): AlertsSnapshot {
    return { active: this.book.list(), recent: this.book.recent(), rules: this.rules, evaluatedAt: this.evaluatedAt };
  }

  get dirty(): boolean {
    return this.dirtyFlag;
  }

  contribute(frame: StreamFrame): void {
    frame.alerts = this.snapshot();
    this.dirtyFlag = false;
  }

  republish(): void {
    this.markDirty();
  }

  get settingsNotice(): string | null {
    return this.notice;
  }

  private markDirty(): void {
    this.dirtyFlag = true;
    this.o.changed();
  }

  private record(changes: readonly AlertChange[]): void {
    for (const c of changes) {
      void this.o.journal?.append('alert', { event: c.event, alert: c.alert }).catch(() => undefined);
      const worse = c.event === 'raised' || c.event === 'escalated';
      if (worse && c.alert.level === 'critical' && !c.alert.acknowledged) this.o.notify?.(c.alert);
      if (worse && c.alert.level === 'critical') this.o.critical?.(c.alert);
    }
  }

  /** Replays the journal's alert rows: what was active when the engine stopped comes back. */
  private restore(): void {
    const journal = this.o.journal;
    if (!journal) return;
    const last = new Map<string, Alert | null>();
    for (const row of journal.read({ kind: 'alert', since: this.o.now() - RESTORE_WINDOW_MS })) {
      const parsed = journalBodySchema.safeParse(row.body);
      if (!parsed.success) continue;
      const a = parsed.data.alert;
      last.set(a.key, parsed.data.event === 'cleared' ? null : a);
    }
    const active = [...last.values()].filter((a): a is Alert => a !== null);
    this.book.restore(active, this.o.now());
    // Journal them as restored, so the journal shows the restart in each alert's life.
    this.record(active.map((a) => ({ event: 'restored' as const, alert: { ...a, restored: true } })));
  }
}
