import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine.ts';
import { DEFAULT_AUTO_HEDGE, type AutoHedgeStatus } from '../../shared/domain/hedge.ts';
import { startTradingRig, until, type TradingRig } from '../support/trading-rig.ts';

/*
 * The auto-hedger through the whole engine against the Hyperliquid simulator, signed by the real
 * vault and budget guard: shadow journals what it would do and sends nothing; live brings the
 * delta inside the band with one order and then holds; moving the target moves the book with it
 * while answers are lost and the link drops, and no decision ever becomes two orders.
 */
let rig: TradingRig;
let engine: Engine;
const ask = async <T>(name: string, payload: unknown): Promise<T> => {
  const r = await engine.request(name, payload);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
};
const delta = () => engine.portfolio.riskNow().totals.find((t) => t.underlying === 'BTC')?.greeks.deltaCoin ?? 0;
const hedgeOrders = () => engine.orders.snapshot().orders.filter((o) => o.purpose === 'hedge');
const config = { ...DEFAULT_AUTO_HEDGE, underlying: 'BTC', band: { kind: 'fixed' as const, halfWidthCoins: 0.01 }, minIntervalMs: 1_000, driftBypassCoins: 0.02, maxClipUsd: 50_000, dailyCapUsd: 200_000 };

beforeAll(async () => {
  rig = await startTradingRig(91, 'dd-auto-hedge-');
  engine = rig.makeEngine({ autoHedgeCheckMs: 100, actionTimeoutMs: 600, executor: { statusDelayMs: 60, statusAttempts: 20 } });
  void engine.start();
  await until('markets and the account', () => engine.state.books.has('hyperliquid:BTC-PERP') && engine.orders.accountOf('hyperliquid') !== null, 10_000);
}, 20_000);
afterAll(() => rig.close());

describe('the auto-hedger through the engine', () => {
  it('shadow decides and journals, and sends nothing', async () => {
    await ask('hedge.target', { underlying: 'BTC', delta: 0.04, venue: 'hyperliquid' });
    await ask('hedge.auto.set', { ...config, mode: 'shadow' });
    await until('a shadow decision', async () => (await ask<AutoHedgeStatus[]>('hedge.auto.status', {}))[0]?.last?.what === 'shadow', 5_000);
    expect(hedgeOrders()).toHaveLength(0);
    await until('the shadow decision in the journal', () => engine.journal!.read({ kind: 'hedge' }).some((r) => (r.body as { what: string }).what === 'auto: shadow'));
  });

  it('live brings delta inside the band with one order, then holds', async () => {
    await ask('hedge.auto.set', { ...config, mode: 'live' });
    await until('delta inside the band', () => Math.abs(delta() - 0.04) <= 0.01, 8_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(hedgeOrders()).toHaveLength(1);
    const s = (await ask<AutoHedgeStatus[]>('hedge.auto.status', {}))[0]!;
    expect(s).toMatchObject({ state: 'watching', hedges24h: 1 });
    expect(s.notional24hUsd).toBeGreaterThan(0.03 * 50_000);
  });

  it('follows a moving target through lost answers and drops: never two orders for one decision', async () => {
    const fault = (f: Record<string, unknown>) => rig.server.apply(f as never);
    for (const [i, target] of [0.08, 0.02, 0.06, 0.0].entries()) {
      await ask('hedge.target', { underlying: 'BTC', delta: target, venue: 'hyperliquid' });
      if (i % 2 === 0) fault({ fault: 'loseAnswers', count: 1 });
      else fault({ fault: 'drop' });
      await until(`delta at ${target}`, () => Math.abs(delta() - target) <= 0.01, 20_000);
    }
    fault({ fault: 'clear' });
    // One venue order per hedge intent, whatever was lost or resent.
    for (const o of hedgeOrders()) expect(rig.server.exchange.acceptedOrders().filter((a) => (a.order as { c?: string }).c === o.clientId).length).toBeLessThanOrEqual(1);
    await ask('hedge.auto.set', { ...config, mode: 'off' });
  }, 60_000);

  it('after a restart the last 24 h of hedges are still counted against the daily cap, and the interval holds', async () => {
    const before = (await ask<AutoHedgeStatus[]>('hedge.auto.status', {})).find((s) => s.config.underlying === 'BTC')!;
    expect(before.hedges24h).toBeGreaterThanOrEqual(2);
    engine.stop();
    // A new engine on the same data folder, as after quitting and starting the app again.
    engine = rig.makeEngine({ autoHedgeCheckMs: 100, actionTimeoutMs: 600, executor: { statusDelayMs: 60, statusAttempts: 20 } });
    void engine.start();
    // The hedgers are restored once the portfolio has read its saved settings.
    const btc = async () => (await ask<AutoHedgeStatus[]>('hedge.auto.status', {})).find((s) => s.config.underlying === 'BTC');
    await until('the hedger restored', async () => ((await btc())?.hedges24h ?? 0) > 0, 10_000);
    const after = (await btc())!;
    expect([after.hedges24h, after.notional24hUsd, after.cost24hUsd]).toEqual([before.hedges24h, before.notional24hUsd, before.cost24hUsd]);
    // A daily cap below what was already hedged: armed live, it pauses on the cap and sends nothing.
    await until('the account', () => engine.orders.accountOf('hyperliquid') !== null, 10_000);
    await ask('hedge.target', { underlying: 'BTC', delta: 0.1, venue: 'hyperliquid' });
    const sentBefore = rig.server.exchange.acceptedOrders().length;
    await ask('hedge.auto.set', { ...config, mode: 'live', dailyCapUsd: Math.floor(before.notional24hUsd / 2) });
    await until('paused on the cap', async () => /daily hedge cap is spent/.test((await ask<AutoHedgeStatus[]>('hedge.auto.status', {}))[0]?.reason ?? ''), 8_000);
    expect(rig.server.exchange.acceptedOrders().length).toBe(sentBefore);
    await ask('hedge.auto.set', { ...config, mode: 'off' });
  }, 40_000);
});
