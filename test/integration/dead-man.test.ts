import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine.ts';
import { startTradingRig, until, type TradingRig } from '../support/trading-rig.ts';

/*
 * Dead-man protection (issue "Kill switch", item 4) against the Hyperliquid simulator: with an
 * order resting, the engine keeps the venue's scheduled cancel ahead of now; the engine dies (the
 * app, the machine or the network gone) and the venue cancels the order by itself when the
 * schedule comes; with nothing resting, nothing stays scheduled.
 */
let rig: TradingRig;
let engine: Engine;

const openAtVenue = async (): Promise<number> => ((await (await fetch(`${rig.httpUrl}/info`, { method: 'POST', body: JSON.stringify({ type: 'openOrders', user: rig.master }) })).json()) as unknown[]).length;

beforeAll(async () => {
  rig = await startTradingRig(149, 'dd-deadman-');
  engine = rig.makeEngine({ deadMan: { horizonMs: 6_000, checkMs: 300 } });
  void engine.start();
  await until('Hyperliquid ready', () => engine.orders.snapshot().gates.some((g) => g.venue === 'hyperliquid' && g.ready && g.account !== null), 10_000);
}, 30_000);
afterAll(() => rig.close());

describe('the dead-man switch', () => {
  it('keeps the cancel ahead while an order rests; cleared when none does', async () => {
    expect(engine.deadMan!.status.armedUntil).toBeNull();
    const bid = Math.round(rig.server.market.coin('BTC')!.mid * 0.8);
    const r = await engine.request('orders.place', { intentId: 'dm-rest-1', venue: 'hyperliquid', instrument: 'BTC', side: 'buy', size: 0.01, limit: bid });
    expect(r.ok && (r.value as { state: string }).state).toBe('accepted');
    await until('scheduled', () => engine.deadMan!.status.armedUntil !== null, 3_000);
    const first = engine.deadMan!.status.armedUntil!;
    expect(first - Date.now()).toBeGreaterThan(3_000);
    // Renewed before it comes: the order is still there after the first schedule has passed.
    await new Promise((res) => setTimeout(res, first - Date.now() + 500));
    expect(await openAtVenue()).toBe(1);
    expect(engine.deadMan!.status.armedUntil!).toBeGreaterThan(first);
    await engine.request('orders.cancel', { intentId: 'dm-rest-1' });
    await until('cleared', () => engine.deadMan!.status.armedUntil === null, 3_000);
    expect(engine.journal!.read({ kind: 'divest' }).map((x) => (x.body as { what: string }).what)).toEqual(['dead-man set', 'dead-man cleared']);
  }, 20_000);

  it('the engine dies with an order resting: the venue cancels it by itself', async () => {
    const bid = Math.round(rig.server.market.coin('BTC')!.mid * 0.8);
    await engine.request('orders.place', { intentId: 'dm-rest-2', venue: 'hyperliquid', instrument: 'BTC', side: 'buy', size: 0.01, limit: bid });
    await until('scheduled', () => engine.deadMan!.status.armedUntil !== null, 3_000);
    const at = engine.deadMan!.status.armedUntil!;
    engine.stop();
    expect(await openAtVenue()).toBe(1);
    await until('the venue cancelled it', async () => (await openAtVenue()) === 0, at - Date.now() + 3_000);
  }, 20_000);
});
