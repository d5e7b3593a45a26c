import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine.ts';
import { runOrderChaos, type ChaosFault, type ChaosReport, type ChaosTarget } from '../support/order-chaos.ts';
import { startTradingRig, until, type TradingRig } from '../support/trading-rig.ts';

/*
 * Chaos through the whole engine against the Hyperliquid trading simulator: seeded runs of
 * intents (resting, marketable, partially filling, market, refused), repeated and cancelled,
 * while the link drops, the venue stalls, answers are lost, held past the client's timeout, and
 * user-stream events arrive twice. After every run: no intent has two orders, open orders agree,
 * and the engine's fills are what moved the venue's position.
 */
let rig: TradingRig;
let engine: Engine;
const fault = (f: Record<string, unknown>) => rig.server.apply(f as never);

const FAULTS: ChaosFault[] = [
  { name: 'drop', inject: () => fault({ fault: 'drop' }) },
  { name: 'stall', inject: (rng) => fault({ fault: 'stall', ms: 100 + rng.int(100) }) },
  { name: 'lost answer', inject: () => fault({ fault: 'loseAnswers', count: 1 }) },
  // Held past the client's 600 ms timeout: carried out, answered too late to be heard.
  { name: 'late answer', inject: () => fault({ fault: 'delayAnswers', count: 1, ms: 900 }) },
  { name: 'duplicate events', inject: () => fault({ fault: 'duplicateEvents', count: 3 }) },
];

beforeAll(async () => {
  rig = await startTradingRig(53, 'dd-order-chaos-');
  engine = rig.makeEngine({ actionTimeoutMs: 600, executor: { statusDelayMs: 60, statusAttempts: 20 } });
  void engine.start();
  await until('markets', () => engine.state.mids.size > 0);
});
afterAll(() => rig.close());

async function info<T>(body: Record<string, unknown>): Promise<T> {
  return (await (await fetch(`${rig.httpUrl}/info`, { method: 'POST', body: JSON.stringify(body) })).json()) as T;
}

function target(): ChaosTarget {
  const btc = () => rig.server.market.coin('BTC')!;
  const rows = () => engine.orders.snapshot().orders;
  const byIntent = new Map<string, string>();
  return {
    place: async (i) => {
      const r = await engine.request('orders.place', { intentId: i.intentId, venue: 'hyperliquid', instrument: 'BTC', side: i.side, size: i.size, limit: i.limit, tif: i.tif });
      if (!r.ok) throw new Error(r.error.message);
      byIntent.set(i.intentId, (r.value as { clientId: string }).clientId);
      return r.value;
    },
    cancel: (id) => engine.request('orders.cancel', { intentId: id }),
    bestBid: () => btc().bestBid(),
    bestAsk: () => btc().bestAsk(),
    settle: async () => {
      fault({ fault: 'clear' });
      await until('trading to reopen', () => engine.orders.snapshot().gates.every((g) => g.ready), 20_000);
      // Orders whose outcome stayed unknown through the faults are settled by asking the venue.
      await engine.orders.reconcile('hyperliquid');
      await until('no order left unknown', () => !rows().some((o) => o.state === 'submitted' || o.state === 'created'), 10_000);
      await new Promise((r) => setTimeout(r, 300)); // user-stream events still on their way
    },
    engineOpen: () => new Set(rows().filter((o) => o.state === 'accepted' || o.state === 'partially-filled').map((o) => o.clientId)),
    clientIdOf: (id) => byIntent.get(id) ?? rows().find((o) => o.intentId === id)?.clientId ?? null,
    engineNetFilled: () => engine.orders.netFilled('hyperliquid', 'BTC'),
    venueOrdersWith: (clientId) => rig.server.exchange.acceptedOrders().filter((o) => (o.order as { c?: string }).c === clientId).length,
    venueOpen: async () => new Set((await info<{ cloid?: string }[]>({ type: 'openOrders', user: rig.master })).map((o) => o.cloid ?? '')),
    venuePosition: async () => Number((await info<{ assetPositions: { position: { coin: string; szi: string } }[] }>({ type: 'clearinghouseState', user: rig.master })).assetPositions.find((p) => p.position.coin === 'BTC')?.position.szi ?? 0),
  };
}

describe('order chaos through the engine', () => {
  it('three seeded runs: no intent ever has two orders; engine and venue agree on open orders and position', async () => {
    const reports: ChaosReport[] = [];
    for (const seed of [101, 202, 303]) reports.push(await runOrderChaos(target(), { seed, intents: 24, faults: FAULTS, spacingMs: 90, faultRate: 0.3 }));
    const injected = reports.reduce<Record<string, number>>((all, r) => {
      for (const [k, v] of Object.entries(r.faults)) all[k] = (all[k] ?? 0) + v;
      return all;
    }, {});
    console.log(`order chaos: ${reports.length} runs, ${reports.reduce((s, r) => s + r.intents, 0)} intents (${reports.reduce((s, r) => s + r.refused, 0)} refused, ${reports.reduce((s, r) => s + r.repeats, 0)} repeated, ${reports.reduce((s, r) => s + r.cancels, 0)} cancelled); faults ${JSON.stringify(injected)}; net filled ${reports.map((r) => r.filledNet.toFixed(3)).join(' / ')} BTC`);
    console.log(`refusals: ${JSON.stringify(reports.map((r) => r.refusals))}`);
    expect(Object.values(injected).reduce((s, v) => s + v, 0)).toBeGreaterThan(10);
    // Partial fills happened: some Ioc larger than the top of the book filled in part, the rest cancelled.
    const partial = await engine.request('journal.query', { kinds: ['order-event'], text: 'the rest did not match (Ioc)' });
    expect(partial.ok && (partial.value as { total: number }).total).toBeGreaterThan(0);
  }, 120_000);
});
