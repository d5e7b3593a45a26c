import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlertBook } from '../../../electron/engine/monitor/alert-book.ts';
import { levelFor } from '../../../electron/engine/monitor/alert-level.ts';
import type { Measurement } from '../../../electron/engine/monitor/measures.ts';
import { DEFAULT_ALERT_RULES, levelRank, type AlertRuleSettings } from '../../../shared/domain/alerts.ts';

/*
 * Alerts a trader can trust: they escalate the moment a figure is worse, ease only once it is
 * clearly better (no flapping at a threshold), clear when the subject is gone, and an event
 * alert (an automation that failed) stays until someone has seen it.
 */
const liq = DEFAULT_ALERT_RULES['liq-distance-pct']; // info 20, warning 10, critical 5, hysteresis 2 (%)
const rules = DEFAULT_ALERT_RULES;
const target = { workspace: 'portfolio' as const, figure: 'position:p1' };
const m = (value: number, subject = 'p1'): Measurement => ({ rule: 'liq-distance-pct', subject, value, target, describe: (t) => `${value.toFixed(1)} % from liquidation (below ${t} %)` });

describe('alert levels', () => {
  it('escalate at once, ease only past the threshold by the hysteresis', () => {
    expect(levelFor('liq-distance-pct', liq, 25, null)).toBeNull();
    expect(levelFor('liq-distance-pct', liq, 9.9, null)).toBe('warning');
    expect(levelFor('liq-distance-pct', liq, 4, 'info')).toBe('critical');
    // Back to 6 % from critical: still within 5 + 2, stays critical; at 7.5 it eases to warning.
    expect(levelFor('liq-distance-pct', liq, 6, 'critical')).toBe('critical');
    expect(levelFor('liq-distance-pct', liq, 7.5, 'critical')).toBe('warning');
    // From critical straight to 30 %: clears entirely.
    expect(levelFor('liq-distance-pct', liq, 30, 'critical')).toBeNull();
    // A rule that worsens upward (margin ratio 50 / 70 / 85, hysteresis 5).
    const mr = rules['margin-ratio'];
    expect(levelFor('margin-ratio', mr, 86, null)).toBe('critical');
    expect(levelFor('margin-ratio', mr, 81, 'critical')).toBe('critical');
    expect(levelFor('margin-ratio', mr, 79, 'critical')).toBe('warning');
    expect(levelFor('margin-ratio', { ...mr, enabled: false }, 99, null)).toBeNull();
  });

  it('never flap: a figure wobbling inside the hysteresis changes level at most once per real move', () => {
    fc.assert(
      fc.property(fc.double({ min: 10.01, max: 11.99, noNaN: true }), fc.array(fc.double({ min: -0.9, max: 0.9, noNaN: true }), { minLength: 20, maxLength: 200 }), (centre, wobble) => {
        // Raised at warning (below 10), then the figure wobbles between 10 and 12: it must stay warning.
        let level = levelFor('liq-distance-pct', liq, 9.5, null);
        for (const w of wobble) {
          const next = levelFor('liq-distance-pct', liq, Math.min(11.99, Math.max(10.01, centre + w)), level);
          expect(next).toBe('warning');
          level = next;
        }
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('the level is never below what the figure alone says, whatever came before', () => {
    const anySettings = fc.constantFrom<AlertRuleSettings>(liq, { ...liq, info: null }, { ...liq, hysteresis: 0 });
    fc.assert(
      fc.property(anySettings, fc.double({ min: 0, max: 40, noNaN: true }), fc.constantFrom(null, 'info', 'warning', 'critical' as const), (s, v, prev) => {
        const raw = levelFor('liq-distance-pct', s, v, null);
        const held = levelFor('liq-distance-pct', s, v, prev);
        expect(levelRank(held)).toBeGreaterThanOrEqual(levelRank(raw));
        expect(levelRank(held)).toBeLessThanOrEqual(Math.max(levelRank(raw), levelRank(prev)));
      }),
      { numRuns: 500, seed: 11 },
    );
  });
});

describe('the alert book', () => {
  it('raises, escalates, eases and clears, with the peak kept and each change reported once', () => {
    const book = new AlertBook();
    expect(book.apply([m(15)], rules, 1).map((c) => [c.event, c.alert.level])).toEqual([['raised', 'info']]);
    expect(book.apply([m(14)], rules, 2)).toEqual([]); // moved inside its level: no news
    expect(book.list()[0]!.value).toBe(14); // but the figure on screen is current
    expect(book.apply([m(4)], rules, 3).map((c) => [c.event, c.alert.level])).toEqual([['escalated', 'critical']]);
    expect(book.apply([m(8)], rules, 4).map((c) => [c.event, c.alert.level, c.alert.peak])).toEqual([['eased', 'warning', 'critical']]);
    const cleared = book.apply([m(30)], rules, 5);
    expect(cleared.map((c) => c.event)).toEqual(['cleared']);
    expect(cleared[0]!.alert.clearedAt).toBe(5);
    expect(book.list()).toEqual([]);
    expect(book.recent()[0]!.peak).toBe('critical');
  });

  it('a subject no longer measured (the position closed) clears its alert', () => {
    const book = new AlertBook();
    book.apply([m(4, 'a'), m(4, 'b')], rules, 1);
    expect(book.apply([m(4, 'a')], rules, 2).map((c) => [c.event, c.alert.subject])).toEqual([['cleared', 'b']]);
  });

  it('acknowledging stops the noise until it gets worse; an escalation asks again', () => {
    const book = new AlertBook();
    book.apply([m(9)], rules, 1);
    const key = book.list()[0]!.key;
    expect(book.acknowledge(key, 2)?.alert.acknowledged).toBe(true);
    book.apply([m(8)], rules, 3);
    expect(book.list()[0]!.acknowledged).toBe(true);
    const up = book.apply([m(3)], rules, 4);
    expect(up[0]!.event).toBe('escalated');
    expect(up[0]!.alert.acknowledged).toBe(false);
    expect(book.acknowledge('nothing|here', 5)).toBeNull();
  });

  it('an event alert stays through evaluations until acknowledged, then clears', () => {
    const book = new AlertBook();
    const c = book.raiseEvent('top-up:aave', 'critical', 'Top-up failed: the transaction reverted', { workspace: 'portfolio', figure: 'account:aave:x' }, 1);
    expect(book.apply([], rules, 2)).toEqual([]);
    expect(book.list().map((a) => a.level)).toEqual(['critical']);
    expect(book.acknowledge(c.alert.key, 3)?.event).toBe('cleared');
    expect(book.list()).toEqual([]);
  });

  it('alerts restored after a restart wait a grace period to be measured, then clear if nothing measures them', () => {
    const first = new AlertBook();
    first.apply([m(4)], rules, 1);
    const saved = first.list();
    const book = new AlertBook();
    book.restore(saved, 1_000);
    expect(book.list()[0]).toMatchObject({ level: 'critical', restored: true });
    expect(book.apply([], rules, 2_000)).toEqual([]);
    // Measured again: no longer 'restored', and the journal hears it.
    const again = new AlertBook();
    again.restore(saved, 1_000);
    expect(again.apply([m(4.5)], rules, 2_000).map((c) => [c.event, c.alert.restored])).toEqual([['updated', false]]);
    // Not measured for a minute: it clears.
    expect(book.apply([], rules, 62_000).map((c) => c.event)).toEqual(['cleared']);
  });

  it('restoring never gives one alert two lives', () => {
    const book = new AlertBook();
    book.apply([m(4)], rules, 1);
    const a = book.list()[0]!;
    book.restore([a], 2); // already active: skipped
    expect(book.list()).toEqual([a]);
    const b = new AlertBook();
    b.restore([a, a], 2);
    expect(b.list()).toHaveLength(1);
  });
});

describe('the words of an alert', () => {
  it('follow its figure when read, though they are written only when someone reads them', () => {
    const book = new AlertBook();
    book.apply([m(9)], rules, 1);
    book.apply([m(8.4)], rules, 2);
    book.apply([m(8.1)], rules, 3);
    expect(book.list()[0]!.message).toBe('8.1 % from liquidation (below 10 %)');
    // A clearance journals the last words it had.
    book.apply([m(7.7)], rules, 4);
    expect(book.apply([], rules, 5)[0]!.alert.message).toBe('7.7 % from liquidation (below 10 %)');
  });
});
