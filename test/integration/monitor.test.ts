import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine.ts';
import { DEFAULT_ALERT_RULES, type Alert, type AlertsSnapshot } from '../../shared/domain/alerts.ts';
import { startTradingRig, until, type TradingRig } from '../support/trading-rig.ts';

/*
 * The monitor through the whole engine against the Hyperliquid simulator: a short that grows
 * near its liquidation raises the alert with the venue's price in its words, an edited threshold
 * escalates it to critical (and main is asked to notify), a stalled feed raises and clears, an
 * acknowledgement sticks, and after a restart the alerts and the edited rules come back from the
 * journal and the settings file before the venue has said anything.
 */
let rig: TradingRig;
let engine: Engine;
const notified: Alert[] = [];
let seq = 0;
const ask = async <T>(name: string, payload: unknown, e = engine): Promise<T> => {
  const r = await e.request(name, payload);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
};
const alerts = (e = engine) => ask<AlertsSnapshot>('alerts.list', {}, e);
const active = async (rule: string, e = engine) => (await alerts(e)).active.find((a) => a.rule === rule);
const short = (size: number) => ask('orders.place', { intentId: `monitor-${++seq}`, venue: 'hyperliquid', instrument: 'BTC', side: 'sell', size, limit: null, tif: 'Ioc' });
const distance = () => engine.portfolio.riskNow().positions.find((p) => p.def.source === 'hyperliquid' && p.def.instrument.startsWith('BTC'))?.liquidation?.distancePct ?? null;

beforeAll(async () => {
  rig = await startTradingRig(93, 'dd-monitor-');
  engine = rig.makeEngine({ monitorEvaluateMs: 100, notify: (a) => notified.push(a) });
  void engine.start();
  await until('markets and the account', () => engine.state.books.has('hyperliquid:BTC-PERP') && engine.orders.accountOf('hyperliquid') !== null, 10_000);
}, 20_000);
afterAll(() => rig.close());

describe('the monitor through the engine', () => {
  it('a short far from liquidation raises nothing; grown near it, a warning that names the price', async () => {
    await short(2);
    await until('the venue’s liquidation price', () => distance() !== null && distance()! > 0.3, 8_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(await active('liq-distance-pct')).toBeUndefined();
    // Short more until liquidation is some 7–9 % above the mark (an IOC may fill only part of its size).
    for (let i = 0; i < 12 && (distance() ?? 1) > 0.09; i++) {
      const before = distance();
      await short(2);
      await until('the venue’s new liquidation price', () => distance() !== before, 5_000);
    }
    expect(distance()).toBeLessThan(0.09);
    expect(distance()).toBeGreaterThan(0.05);
    await until('the warning', async () => (await active('liq-distance-pct'))?.level === 'warning', 3_000);
    const a = (await active('liq-distance-pct'))!;
    expect(a.message).toMatch(/^BTC-PERP \(Hyperliquid 0x[0-9a-f]{4}…[0-9a-f]{4}\): \d+\.\d % from liquidation at \$\d{3},\d{3} \(alert below 10\.0 %\)$/);
    expect(a.value).toBeCloseTo(distance()! * 100, 0);
    expect(a.target.figure).toMatch(/^position:hyperliquid:0x[0-9a-f]{40}:BTC-PERP$/);
    await until('the raise in the journal', () => engine.journal!.read({ kind: 'alert' }).some((r) => (r.body as { event: string; alert: Alert }).event === 'raised' && (r.body as { alert: Alert }).alert.rule === 'liq-distance-pct'));
    expect(notified).toHaveLength(0); // a warning is not a desktop notification
  }, 30_000);

  it('an edited threshold escalates to critical and asks main to notify; one out of order is refused in words', async () => {
    const bad = await engine.request('alerts.rule', { rule: 'liq-distance-pct', settings: { enabled: true, info: 20, warning: 5, critical: 8, hysteresis: 1 } });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.message).toContain('the critical threshold must be below the warning one');
    await ask('alerts.rule', { rule: 'liq-distance-pct', settings: { enabled: true, info: 30, warning: 20, critical: 15, hysteresis: 1 } });
    await until('critical', async () => (await active('liq-distance-pct'))?.level === 'critical', 3_000);
    await until('main notified', () => notified.some((n) => n.rule === 'liq-distance-pct' && n.level === 'critical'));
    const key = (await active('liq-distance-pct'))!.key;
    expect(await ask('alerts.ack', { key })).toEqual({ acknowledged: true });
    await new Promise((r) => setTimeout(r, 300));
    expect((await active('liq-distance-pct'))!.acknowledged).toBe(true);
  });

  it('a stalled feed raises a stale-feed alert that clears when messages flow again', async () => {
    await ask('alerts.rule', { rule: 'stale-feed', settings: { enabled: true, info: null, warning: 1, critical: 2.5, hysteresis: 0.5 } });
    rig.server.apply({ fault: 'stall', ms: 3_500 });
    // Critical for about a second (from 2.5 s into the stall to its end): judged by the peak it
    // reached, so a slow poll on a loaded machine cannot miss it.
    const reached = async () => {
      const a = await alerts();
      return [...a.active, ...a.recent].find((x) => x.rule === 'stale-feed' && x.peak === 'critical');
    };
    await until('stale feed critical', async () => (await reached()) !== undefined, 8_000);
    expect((await reached())!.message).toMatch(/^Hyperliquid: nothing received for \d+ s|^Hyperliquid (stale|reconnecting)/);
    await until('the stale alert cleared', async () => (await active('stale-feed')) === undefined, 10_000);
    expect((await alerts()).recent.some((a) => a.rule === 'stale-feed' && a.peak === 'critical')).toBe(true);
    await ask('alerts.rule', { rule: 'stale-feed', settings: DEFAULT_ALERT_RULES['stale-feed'] });
  }, 30_000);

  it('after a restart the alert and the edited rule are back before the venue says anything, then measured again', async () => {
    engine.stop();
    const next = rig.makeEngine({ monitorEvaluateMs: 100 });
    // The venues are not started: only the journal and the settings file can know.
    await next.monitor.start();
    const back = (await alerts(next)).active.find((a) => a.rule === 'liq-distance-pct');
    expect(back).toMatchObject({ level: 'critical', restored: true, acknowledged: true });
    expect((await alerts(next)).rules['liq-distance-pct'].critical).toBe(15);
    engine = next;
    void next.start();
    await until('measured again', async () => (await active('liq-distance-pct', next))?.restored === false, 15_000);
    expect((await active('liq-distance-pct', next))!.level).toBe('critical');
  }, 30_000);
});
