import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine.ts';
import type { HedgePreview } from '../../shared/domain/hedge.ts';
import type { StreamFrame } from '../../shared/stream/frame.ts';
import { startTradingRig, until, type TradingRig } from '../support/trading-rig.ts';

/*
 * Hedge to target through the whole engine, signed by the real vault: a preview is a plan and
 * sends nothing; confirming its id sends one immediate-or-cancel order, and the same id again
 * (or ten at once) is still that one order; the delta lands on the target within one lot;
 * an unknown or expired id is refused with the reason; every decision is journaled.
 */
let rig: TradingRig;
let engine: Engine;
/** The engine's clock runs this far ahead of the wall clock (to let a preview expire). */
let skewMs = 0;
const ask = async <T>(name: string, payload: unknown): Promise<T> => {
  const r = await engine.request(name, payload);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
};
const btcDelta = () => engine.portfolio.riskNow().totals.find((t) => t.underlying === 'BTC')?.greeks.deltaCoin ?? 0;

beforeAll(async () => {
  rig = await startTradingRig(77, 'dd-hedge-');
  engine = rig.makeEngine({ now: () => Date.now() + skewMs });
  void engine.start();
  await until('markets', () => engine.state.books.has('hyperliquid:BTC-PERP') && engine.orders.accountOf('hyperliquid') !== null, 10_000);
}, 20_000);
afterAll(() => rig.close());

describe('hedge to target through the engine', () => {
  it('previews without sending, confirms once by id, and lands on the target within a lot', async () => {
    expect(await ask('hedge.target', { underlying: 'BTC', delta: 0.05, venue: 'hyperliquid' })).toEqual({ underlying: 'BTC', delta: 0.05, venue: 'hyperliquid' });
    const before = rig.server.exchange.acceptedOrders().length;
    const p = await ask<HedgePreview>('hedge.preview', { underlying: 'BTC', fraction: 1 });
    if (!p.result.ok) throw new Error(p.result.reason);
    expect(p.result).toMatchObject({ side: 'buy', venue: 'hyperliquid', instrument: 'BTC', deltaBefore: 0 });
    expect(p.result.size).toBeCloseTo(0.05, 3);
    expect(rig.server.exchange.acceptedOrders().length).toBe(before);
    const confirms = await Promise.all(Array.from({ length: 10 }, () => ask<{ order: { clientId: string; state: string } }>('hedge.confirm', { id: p.id })));
    expect(new Set(confirms.map((c) => c.order.clientId)).size).toBe(1);
    expect(rig.server.exchange.acceptedOrders().length).toBe(before + 1);
    await until('the fill in the book', () => Math.abs(btcDelta() - 0.05) <= 0.00001 * 1.01 + 1e-9, 5_000);
    // A second hedge from there is within one lot: nothing to do, said so.
    const again = await ask<HedgePreview>('hedge.preview', { underlying: 'BTC', fraction: 1 });
    expect(again.result).toMatchObject({ ok: false, code: 'within-lot' });
    const journal = engine.journal!.read({ kind: 'hedge' }).map((r) => (r.body as { what: string }).what);
    expect(journal).toEqual(expect.arrayContaining(['preview', 'confirmed']));
  });

  it('streams a draft of each preset the key opens at once: the plan a preview makes, never journaled, nothing sent', async () => {
    await ask('hedge.target', { underlying: 'BTC', delta: -0.02, venue: 'hyperliquid' });
    const journaled = engine.journal!.read({ kind: 'hedge' }).length;
    const sent = rig.server.exchange.acceptedOrders().length;
    await until('drafts due', () => engine.hedge.dirty, 2_000);
    const frame = {} as StreamFrame;
    engine.hedge.contribute(frame);
    const p = await ask<HedgePreview>('hedge.preview', { underlying: 'BTC', fraction: 0.5 });
    expect(frame.hedgeDrafts!.map((d) => `${d.underlying} ${d.fraction}`)).toEqual(['BTC 1', 'BTC 0.5']);
    const half = frame.hedgeDrafts!.find((d) => d.fraction === 0.5)!.result;
    if (!half.ok || !p.result.ok) throw new Error('both should plan');
    expect([half.side, half.venue, half.target]).toEqual([p.result.side, p.result.venue, -0.02]);
    expect(half.size).toBeCloseTo(p.result.size, 4);
    // Just contributed: not due again for a period; only the preview was journaled.
    expect(engine.hedge.dirty).toBe(false);
    expect(engine.journal!.read({ kind: 'hedge' }).length).toBe(journaled + 1);
    expect(rig.server.exchange.acceptedOrders().length).toBe(sent);
  });

  it('refuses an unknown id, a refused preview and an expired one, with the reason', async () => {
    await expect(ask('hedge.confirm', { id: 'hedge-00000000-0000-4000-8000-000000000000' })).rejects.toThrow(/not known/);
    await expect(ask('hedge.confirm', { id: 'not-an-id' })).rejects.toThrow(/expected a hedge preview id/);
    await ask('hedge.target', { underlying: 'BTC', delta: 0.0499999, venue: 'hyperliquid' });
    const within = await ask<HedgePreview>('hedge.preview', { underlying: 'BTC', fraction: 1 });
    await expect(ask('hedge.confirm', { id: within.id })).rejects.toThrow(/the preview was refused: delta/);
    await ask('hedge.target', { underlying: 'BTC', delta: 0, venue: 'hyperliquid' });
    const p = await ask<HedgePreview>('hedge.preview', { underlying: 'BTC', fraction: 0.5 });
    expect(p.result).toMatchObject({ ok: true, side: 'sell' });
    try {
      skewMs = 60_000;
      await expect(ask('hedge.confirm', { id: p.id })).rejects.toThrow(/expired/);
    } finally {
      skewMs = 0;
    }
    await expect(ask('hedge.target', { underlying: 'SOL', delta: 0, venue: 'deribit' })).rejects.toThrow(/Deribit has no SOL perpetual/);
  });
});
