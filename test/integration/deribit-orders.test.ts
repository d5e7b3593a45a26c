import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine.ts';
import type { SimOption } from '../../electron/sim/options/option-market.ts';
import { runOrderChaos, type ChaosFault, type ChaosTarget } from '../support/order-chaos.ts';
import { startTradingRig, until, type TradingRig } from '../support/trading-rig.ts';

/*
 * Deribit options through the whole engine (Orders, part 2, first part): the same orders desk and
 * executor, the order's client id as its Deribit label, the simulator's matching; then the order
 * chaos harness of part 1 against Deribit, with the same invariants.
 */
let rig: TradingRig;
let engine: Engine;

beforeAll(async () => {
  rig = await startTradingRig(71, 'dd-deribit-orders-', { deribit: true });
  engine = rig.makeEngine({ actionTimeoutMs: 1_000, executor: { statusDelayMs: 60, statusAttempts: 20 } });
  void engine.start();
  await until('Deribit ready to trade', () => engine.orders.snapshot().gates.some((g) => g.venue === 'deribit' && g.ready) && engine.venues.get('deribit')!.marketData.status().state === 'connected', 10_000);
});
afterAll(() => rig.close());

/** Drops (every session, main's trading connection too) and stalls of the Deribit simulator. */
function chaosFaults(): ChaosFault[] {
  const fault = (f: Record<string, unknown>) => rig.deribit!.apply(f as never);
  return [
    { name: 'drop', inject: () => fault({ fault: 'drop' }) },
    { name: 'stall', inject: (rng) => fault({ fault: 'stall', ms: 100 + rng.int(200) }) },
  ];
}

/** After the faults: the faults cleared, Deribit open again, reconciled, no order left unknown. */
async function settle(): Promise<void> {
  rig.deribit!.apply({ fault: 'clear' } as never);
  await until('Deribit to reopen', () => engine.orders.snapshot().gates.every((g) => g.ready), 20_000).catch((e: Error) => {
    throw new Error(`${e.message}: ${JSON.stringify(engine.orders.snapshot().gates)}`);
  });
  await engine.orders.reconcile('deribit');
  await until('no order left unknown', () => !engine.orders.snapshot().orders.some((r) => r.venue === 'deribit' && (r.state === 'submitted' || r.state === 'created')), 10_000);
}

const option = (): SimOption => rig.deribit!.market.options.find((o) => o.spec.coin === 'BTC' && o.spec.kind === 'put' && o.bids.length > 2 && o.asks.length > 2 && o.bid > 0.006 && o.ask < 0.05)!;
const ask = async <T>(name: string, payload: unknown): Promise<T> => {
  const r = await engine.request(name, payload);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
};
let n = 0;
const id = () => `dbt-${Date.now()}-${++n}`;
type Row = { state: string; clientId: string; filled: number; avgPrice: number; reason: string | null };

describe('Deribit options through the engine', () => {
  it('an option bought at the ask fills; one under the bid rests with our client id as its label and is cancelled by it', async () => {
    const o = option();
    const held = () => engine.portfolio.riskNow().positions.find((p) => p.def.source === 'deribit' && p.def.instrument === o.spec.name)?.def.quantity ?? 0;
    const before = held();
    // The book is live: keep the ask the order was priced at.
    const limit = o.asks[0]![0];
    const filled = await ask<Row>('orders.place', { intentId: id(), venue: 'deribit', instrument: o.spec.name, side: 'buy', size: 0.2, limit, tif: 'Ioc' });
    expect(filled).toMatchObject({ state: 'filled', filled: 0.2 });
    // The portfolio reads Deribit at once on our fill (its poll is every 3 s; this is well inside one).
    await until('the portfolio to hold the bought option', () => Math.abs(held() - (before + 0.2)) < 1e-9, 1_000);
    expect(filled.avgPrice).toBeLessThanOrEqual(limit + 1e-12);
    const price = Math.round((o.bids[0]![0] - 0.0015) * 1e4) / 1e4;
    const resting = await ask<Row>('orders.place', { intentId: id(), venue: 'deribit', instrument: o.spec.name, side: 'buy', size: 0.1, limit: price, tif: 'Gtc' });
    expect(resting.state).toBe('accepted');
    expect(rig.deribit!.trading.ordersByLabel('BTC', resting.clientId)).toEqual([expect.objectContaining({ order_state: 'open', amount: 0.1 })]);
    const cancelled = await ask<Row & { intentId: string }>('orders.cancel', { intentId: (engine.orders.snapshot().orders.find((r) => r.clientId === resting.clientId)!).intentId });
    expect(cancelled.state).toBe('cancelled');
    const refused = await ask<Row>('orders.place', { intentId: id(), venue: 'deribit', instrument: o.spec.name, side: 'buy', size: 0.15, limit: price, tif: 'Gtc' });
    expect(refused).toMatchObject({ state: 'rejected', reason: expect.stringMatching(/invalid_amount \(Deribit error 10021\)/) as unknown });
  });

  it('a resting option order the market trades through is filled from the venue user stream, without waiting for a reconciliation', async () => {
    const o = option();
    const price = Math.round((o.bids[0]![0] - 0.001) * 1e4) / 1e4;
    const resting = await ask<Row & { intentId?: string }>('orders.place', { intentId: id(), venue: 'deribit', instrument: o.spec.name, side: 'buy', size: 0.1, limit: price, tif: 'Gtc' });
    expect(resting.state).toBe('accepted');
    const real = o.ask;
    o.ask = price; // the offer comes down to our bid
    rig.deribit!.trading.onMarketStep();
    o.ask = real;
    await until('the fill from user.trades', () => engine.orders.snapshot().orders.find((r) => r.clientId === resting.clientId)?.state === 'filled');
    expect(engine.orders.snapshot().fills.find((f) => f.clientId === resting.clientId)).toMatchObject({ venue: 'deribit', size: 0.1, price });
  });

  it('chaos: seeded runs on Deribit options with drops and stalls keep one order per intent, and engine and venue agree', async () => {
    const o = option();
    const rows = () => engine.orders.snapshot().orders;
    const target: ChaosTarget = {
      place: (i) => ask('orders.place', { intentId: i.intentId, venue: 'deribit', instrument: o.spec.name, side: i.side, size: Math.max(0.1, Math.round(i.size * 10) / 10), limit: i.limit ?? (i.side === 'buy' ? o.asks[0]![0] : o.bids[0]![0]), tif: i.tif }),
      cancel: (intentId) => engine.request('orders.cancel', { intentId }),
      // Prices in the option's own unit (coin per contract), on its tick.
      bestBid: () => o.bids[0]![0],
      bestAsk: () => o.asks[0]![0],
      roundPrice: (px) => {
        const tick = px >= 0.005 ? 0.0005 : 0.0001;
        return Math.max(tick, Math.round(Math.round(px / tick) * tick * 1e4) / 1e4);
      },
      settle,
      engineOpen: () => new Set(rows().filter((r) => r.venue === 'deribit' && (r.state === 'accepted' || r.state === 'partially-filled')).map((r) => r.clientId)),
      clientIdOf: (intentId) => rows().find((r) => r.intentId === intentId)?.clientId ?? null,
      engineNetFilled: () => engine.orders.netFilled('deribit', o.spec.name),
      venueOrdersWith: (clientId) => rig.deribit!.trading.ordersByLabel('BTC', clientId).length,
      venueOpen: () => Promise.resolve(new Set(rig.deribit!.trading.openOrders('BTC').filter((x) => x.instrument_name === o.spec.name).map((x) => x.label))),
      venuePosition: () => Promise.resolve(rig.deribit!.market.positions.find((p) => p.name === o.spec.name)?.size ?? 0),
    };
    const report = await runOrderChaos(target, { seed: 404, intents: 20, faults: chaosFaults(), spacingMs: 90, faultRate: 0.25 });
    console.log(`refusals ${JSON.stringify(report.refusals)}`);
    console.log(`deribit order chaos: ${report.intents} intents (${report.refused} refused, ${report.repeats} repeated, ${report.cancels} cancelled); faults ${JSON.stringify(report.faults)}; net filled ${report.filledNet.toFixed(1)} contracts`);
  }, 90_000);

  it('chaos: the BTC perpetual too (USD-sized, on the shared book), with drops that also fire cancel-on-disconnect', async () => {
    const coin = rig.server.market.coin('BTC')!;
    const NAME = 'BTC-PERPETUAL';
    const rows = () => engine.orders.snapshot().orders;
    const target: ChaosTarget = {
      // The harness sizes in coins; the perpetual takes whole 10-USD contracts.
      place: (i) => ask('orders.place', { intentId: i.intentId, venue: 'deribit', instrument: NAME, side: i.side, size: Math.max(10, Math.round((i.size * 2_000) / 10) * 10), limit: i.limit ?? (i.side === 'buy' ? coin.book.bestAskTicks * coin.tick * 1.002 : coin.book.bestBidTicks * coin.tick * 0.998), tif: i.tif }),
      cancel: (intentId) => engine.request('orders.cancel', { intentId }),
      bestBid: () => coin.book.bestBidTicks * coin.tick,
      bestAsk: () => coin.book.bestAskTicks * coin.tick,
      roundPrice: (px) => Math.round(px * 2) / 2,
      settle,
      engineOpen: () => new Set(rows().filter((r) => r.venue === 'deribit' && r.instrument === NAME && (r.state === 'accepted' || r.state === 'partially-filled')).map((r) => r.clientId)),
      clientIdOf: (intentId) => rows().find((r) => r.intentId === intentId)?.clientId ?? null,
      engineNetFilled: () => engine.orders.netFilled('deribit', NAME),
      venueOrdersWith: (clientId) => rig.deribit!.trading.ordersByLabel('BTC', clientId).length,
      venueOpen: () => Promise.resolve(new Set(rig.deribit!.trading.openOrders('BTC').filter((x) => x.instrument_name === NAME).map((x) => x.label))),
      venuePosition: () => Promise.resolve(rig.deribit!.trading.perps.get(NAME)?.sizeUsd ?? 0),
    };
    const report = await runOrderChaos(target, { seed: 505, intents: 20, faults: chaosFaults(), spacingMs: 90, faultRate: 0.25 });
    console.log(`deribit perpetual chaos: ${report.intents} intents (${report.refused} refused, ${report.repeats} repeated, ${report.cancels} cancelled); faults ${JSON.stringify(report.faults)}; net filled ${report.filledNet.toFixed(0)} USD`);
  }, 90_000);
});
