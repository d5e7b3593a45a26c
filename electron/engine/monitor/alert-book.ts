import { levelRank, RULE_INFO, type Alert, type AlertLevel, type AlertRuleId, type AlertRuleSettings, type AlertTarget } from '../../../shared/domain/alerts.ts';
import { levelFor, thresholdOf } from './alert-level.ts';
import type { Measurement } from './measures.ts';

/*
 * The alerts in force and how each may change. An alert's life is a row in a table (raised →
 * escalated | eased | acknowledged … → cleared); an event the table does not allow is an error,
 * never applied. Measured alerts follow their figure; event alerts (an automation that failed)
 * stay until the trader acknowledges them, because nothing will measure them back to normal.
 */

export type AlertEventName = 'raised' | 'escalated' | 'eased' | 'acknowledged' | 'cleared' | 'restored' | 'updated';
type Life = 'none' | 'active';

const TRANSITIONS: Record<Life, Partial<Record<AlertEventName, Life>>> = {
  none: { raised: 'active', restored: 'active' },
  active: { escalated: 'active', eased: 'active', updated: 'active', acknowledged: 'active', cleared: 'none' },
};

export interface AlertChange {
  event: AlertEventName;
  alert: Alert;
}

/** Restored alerts that nothing measures again within this long clear (the subject is gone). */
const RESTORED_GRACE_MS = 60_000;
const RECENT_KEPT = 50;

export class AlertBook {
  private readonly active = new Map<string, Alert>();
  /**
   * Alerts whose figure moved within their level: their words are written when someone reads
   * them (the screen, twice a second at most), not on every evaluation — formatting the numbers
   * of 200 alerts each tick was most of the monitor's cost.
   */
  private readonly wordsDue = new Map<string, () => string>();
  private readonly recentList: Alert[] = [];
  private restoredAt = 0;

  private move(key: string, event: AlertEventName): void {
    const from: Life = this.active.has(key) ? 'active' : 'none';
    if (!TRANSITIONS[from][event]) throw new Error(`alert ${key}: '${event}' is not allowed when ${from === 'none' ? 'no alert is active' : 'the alert is active'}`);
  }

  /** Judges every measurement against its rule and returns what changed (for the journal and the screen). */
  apply(measurements: readonly Measurement[], rules: Record<AlertRuleId, AlertRuleSettings>, now: number): AlertChange[] {
    const changes: AlertChange[] = [];
    const seen = new Set<string>();
    for (const m of measurements) {
      const key = `${m.rule}|${m.subject}`;
      seen.add(key);
      const prev = this.active.get(key);
      const level = levelFor(m.rule, rules[m.rule], m.value, prev && !prev.restored ? prev.level : null);
      if (level === null) {
        if (prev) changes.push(this.clear(key, now));
        continue;
      }
      const threshold = thresholdOf(rules[m.rule], level);
      const quiet = prev !== undefined && !prev.restored && prev.level === level && prev.threshold === threshold;
      if (quiet) {
        // In place: nothing outside holds this object (list() hands out copies, the journal a string).
        prev.value = m.value;
        prev.target = m.target;
        prev.updatedAt = now;
        this.wordsDue.set(key, () => m.describe(threshold));
        continue;
      }
      this.wordsDue.delete(key);
      const fields = { value: m.value, threshold, message: m.describe(threshold), target: m.target, updatedAt: now, restored: false };
      if (!prev) {
        this.move(key, 'raised');
        const alert: Alert = { key, rule: m.rule, subject: m.subject, level, peak: level, unit: RULE_INFO[m.rule].unit, raisedAt: now, clearedAt: null, acknowledged: false, ...fields };
        this.active.set(key, { ...alert }); // the change goes out; the book keeps its own copy
        changes.push({ event: 'raised', alert });
        continue;
      }
      const up = levelRank(level) > levelRank(prev.level);
      const event: AlertEventName = up ? 'escalated' : levelRank(level) < levelRank(prev.level) ? 'eased' : 'updated';
      this.move(key, event);
      const alert: Alert = { ...prev, ...fields, level, peak: levelRank(level) > levelRank(prev.peak) ? level : prev.peak, acknowledged: up ? false : prev.acknowledged };
      this.active.set(key, { ...alert }); // the change goes out; the book keeps its own copy
      // A figure that only moved within its level is not news for the journal, only for the screen.
      if (event !== 'updated' || prev.restored) changes.push({ event, alert });
    }
    for (const [key, a] of this.active) {
      if (seen.has(key) || a.rule === 'automation' && a.subject.startsWith('event:')) continue;
      if (a.restored && now - this.restoredAt < RESTORED_GRACE_MS) continue;
      changes.push(this.clear(key, now));
    }
    return changes;
  }

  /** An automation that failed: critical until acknowledged (nothing measures it back). */
  raiseEvent(id: string, level: AlertLevel, message: string, target: AlertTarget, now: number): AlertChange {
    const key = `automation|event:${id}`;
    if (this.active.has(key)) this.active.delete(key);
    this.move(key, 'raised');
    const alert: Alert = { key, rule: 'automation', subject: `event:${id}`, level, peak: level, message, value: levelRank(level), threshold: levelRank(level), unit: 'level', raisedAt: now, updatedAt: now, clearedAt: null, acknowledged: false, target, restored: false };
    this.active.set(key, alert);
    return { event: 'raised', alert };
  }

  /** The trader has seen it: no more toasts or notifications until it gets worse. An event alert clears. */
  acknowledge(key: string, now: number): AlertChange | null {
    const a = this.active.get(key);
    if (!a) return null;
    if (a.subject.startsWith('event:')) return this.clear(key, now);
    this.move(key, 'acknowledged');
    this.write(key);
    const alert = { ...this.active.get(key)!, acknowledged: true, updatedAt: now };
    this.active.set(key, alert);
    return { event: 'acknowledged', alert };
  }

  /** Alerts active when the engine last stopped, from the journal: shown until measured again. */
  restore(alerts: readonly Alert[], now: number): void {
    this.restoredAt = now;
    for (const a of alerts) {
      if (this.active.has(a.key)) continue;
      this.move(a.key, 'restored');
      this.active.set(a.key, { ...a, restored: true });
    }
  }

  private clear(key: string, now: number): AlertChange {
    this.move(key, 'cleared');
    this.write(key);
    this.wordsDue.delete(key);
    const alert = { ...this.active.get(key)!, clearedAt: now, updatedAt: now };
    this.active.delete(key);
    this.recentList.unshift(alert);
    if (this.recentList.length > RECENT_KEPT) this.recentList.length = RECENT_KEPT;
    return { event: 'cleared', alert };
  }

  /** Brings an alert's words up to its figure. */
  private write(key: string): void {
    const words = this.wordsDue.get(key);
    const a = this.active.get(key);
    if (!words || !a) return;
    this.active.set(key, { ...a, message: words() });
    this.wordsDue.delete(key);
  }

  /** How many alerts are active (without writing their words or sorting them). */
  get size(): number {
    return this.active.size;
  }

  /** Active alerts, worst first, then newest. */
  list(): Alert[] {
    for (const key of [...this.wordsDue.keys()]) this.write(key);
    return [...this.active.values()].map((a) => ({ ...a })).sort((a, b) => levelRank(b.level) - levelRank(a.level) || b.raisedAt - a.raisedAt);
  }

  recent(): Alert[] {
    return [...this.recentList];
  }
}
