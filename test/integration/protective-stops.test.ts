import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine.ts';
import type { StopStatus } from '../../shared/domain/stops.ts';
import { startTradingRig, until, type TradingRig } from '../support/trading-rig.ts';

/*
 * Protective stops (issue "Kill switch", item 4) against the Hyperliquid simulator: a reduce-only
 * stop rests at the venue for the trading account's position; when something takes it off the
 * book (here the venue's own cancel-all, as the dead-man switch would) it is put back within a
 * check, and again after a reconnect; it follows the position's size; with only stops resting the
 * dead-man switch stays off, so they survive the app going away.
 */
let rig: TradingRig;
let engine: Engine;

const openAtVenue = async () => (await (await fetch(`${rig.httpUrl}/info`, { method: 'POST', body: JSON.stringify({ type: 'openOrders', user: rig.master }) })).json()) as { coin: string; sz: string; isTrigger?: boolean; triggerPx?: string; reduceOnly?: boolean }[];
const status = () => engine.stops!.statuses()[0];

beforeAll(async () => {
  rig = await startTradingRig(157, 'dd-stops-');
  engine = rig.makeEngine({ stopsCheckMs: 200, deadMan: { horizonMs: 6_000, checkMs: 200 } });
  void engine.start();
  await until('Hyperliquid ready', () => engine.orders.snapshot().gates.some((g) => g.venue === 'hyperliquid' && g.ready && g.account !== null) && engine.state.mids.has('hyperliquid:BTC-PERP'), 10_000);
  const r = await engine.request('orders.place', { intentId: 'stops-long-1', venue: 'hyperliquid', instrument: 'BTC', side: 'buy', size: 0.2, limit: null });
  expect(r.ok ? (r.value as { state: string }).state : r.error.message).toBe('filled');
  await until('the long in the portfolio', () => engine.portfolio.riskNow().positions.some((p) => p.def.source === 'hyperliquid' && Math.abs(p.def.quantity - 0.2) < 1e-9), 5_000);
}, 30_000);
afterAll(() => rig.close());

describe('protective stops', () => {
  it('a stop below the mark rests reduce-only at the venue for the whole position; one above it is refused in words', async () => {
    const mark = rig.server.market.coin('BTC')!.mid;
    const bad = await engine.request('divest.protect', { coin: 'BTC', triggerPx: Math.round(mark * 1.05) });
    expect(bad.ok && (bad.value as StopStatus[])[0]!.state).toBe('invalid');
    expect((bad.ok && (bad.value as StopStatus[])[0]!.detail) || '').toMatch(/a long's stop must sit below the mark/);
    const trigger = Math.round(mark * 0.9);
    await engine.request('divest.protect', { coin: 'BTC', triggerPx: trigger });
    await until('resting', () => status()?.state === 'resting', 3_000);
    const open = await openAtVenue();
    expect(open).toEqual([expect.objectContaining({ coin: 'BTC', sz: '0.2', isTrigger: true, reduceOnly: true })]);
    expect(Number(open[0]!.triggerPx)).toBeCloseTo(trigger, -1);
    // Only a stop rests: the dead-man switch is not armed, so the stop outlives the app.
    await new Promise((r) => setTimeout(r, 500));
    expect(engine.deadMan!.status.armedUntil).toBeNull();
  }, 15_000);

  it('taken off the book (the dead-man switch, a cancel-all), it is put back; after a reconnect too', async () => {
    expect(rig.server.exchange.cancelAllFor(rig.master)).toBe(1);
    expect(await openAtVenue()).toEqual([]);
    await until('re-placed', async () => (await openAtVenue()).length === 1 && status()!.replaced === 1, 8_000);
    expect(status()!.detail).toMatch(/missing at the venue .*re-placed/);
    rig.server.apply({ fault: 'drop' });
    expect(rig.server.exchange.cancelAllFor(rig.master)).toBe(1);
    await until('back after the reconnect', async () => (await openAtVenue()).length === 1 && status()!.replaced === 2, 10_000);
    const rows = engine.journal!.read({ kind: 'divest' }).map((x) => (x.body as { what: string }).what);
    expect(rows.filter((w) => w === 'stop re-placed')).toHaveLength(2);
  }, 25_000);

  it('it follows the position: bigger when the position grows; the position closed, the stop is done', async () => {
    await engine.request('orders.place', { intentId: 'stops-long-2', venue: 'hyperliquid', instrument: 'BTC', side: 'buy', size: 0.1, limit: null });
    await until('resized', async () => (await openAtVenue()).map((o) => o.sz).join() === '0.3', 8_000);
    await engine.request('orders.place', { intentId: 'stops-close', venue: 'hyperliquid', instrument: 'BTC', side: 'sell', size: 0.3, limit: null, reduceOnly: true });
    await until('no position, no stop', async () => engine.stops!.statuses().length === 0 && (await openAtVenue()).length === 0, 8_000);
    expect(engine.journal!.read({ kind: 'divest' }).map((x) => x.body as { what: string; detail?: string }).at(-1)).toMatchObject({ what: 'stop removed', detail: 'the position is closed' });
  }, 20_000);
});
