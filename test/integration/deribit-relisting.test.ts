import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeribitSimServer } from '../../electron/sim/deribit/server.ts';
import { SimOptionMarket } from '../../electron/sim/options/option-market.ts';
import { SimMarket } from '../../electron/sim/sim-market.ts';
import { DeribitMarketData } from '../../electron/venues/deribit/market-data.ts';
import type { OptionTicker } from '../../electron/venues/deribit/normalise.ts';
import type { OptionContract } from '../../shared/domain/options.ts';
import { waitFor } from '../support/wait.ts';

/*
 * The chain follows the venue's calendar while the app runs: when an expiry comes, its options
 * are settled (a paper position paid its intrinsic value in coin) and leave Deribit's listing, and
 * the calendar's next expiry joins. The adapter reads the listing again
 * (just after each expiry, and every few minutes), announces the new chain once, subscribes what
 * joined and drops what left — without a restart and without a reconnect.
 */
let server: DeribitSimServer;
let options: SimOptionMarket;
let adapter: DeribitMarketData;
const chains: OptionContract[][] = [];
const tickers: OptionTicker[] = [];

beforeAll(async () => {
  const now = Date.now();
  const market = new SimMarket({ seed: 23, now, historyMs: 60_000 });
  options = new SimOptionMarket(market, now);
  server = new DeribitSimServer({ options, minHeartbeatS: 1, beforeStep: (t) => market.advanceTo(t) });
  const { wsUrl } = await server.listen();
  adapter = new DeribitMarketData({ wsUrl, paper: true, heartbeatIntervalS: 1, relistEveryMs: 1_000 }, { chain: (c) => chains.push(c), ticker: (t) => tickers.push(t), book: () => undefined, status: () => undefined });
  adapter.start();
  await waitFor(() => adapter.status().state === 'connected', 'adapter connected', 10_000);
});

afterAll(async () => {
  adapter.stop();
  await server.close();
});

describe('Deribit’s listing as the calendar moves', () => {
  it('an expiry leaves the chain and the next one joins, streamed at once, with no reconnect', async () => {
    expect(chains).toHaveLength(1);
    const first = adapter.chain;
    const soonest = Math.min(...first.map((c) => c.expiry));
    // A paper position in an in-the-money call of that expiry: the venue settles it at the index.
    const itm = options.options.filter((o) => o.spec.expiry === soonest && o.spec.coin === 'BTC' && o.spec.kind === 'call' && o.spec.strike < options.spot('BTC')).sort((a, b) => b.spec.strike - a.spec.strike)[0]!;
    options.positions.push({ name: itm.spec.name, size: 2, averagePrice: 0.001 });
    const balance = server.trading.balance.get('BTC')!;
    const S = options.spot('BTC');
    // The venue's clock passes the soonest expiry: settled, and the calendar moves on by a day.
    expect(server.settleAndRoll(soonest + 1)).toBe(true);
    expect(options.positions.some((p) => p.name === itm.spec.name)).toBe(false);
    expect(server.trading.balance.get('BTC')! - balance).toBeCloseTo(2 * ((S - itm.spec.strike) / S - 0.001), 10);
    await waitFor(() => chains.length === 2, 'the new listing announced', 8_000);
    const now = adapter.chain;
    expect(now.some((c) => c.expiry === soonest)).toBe(false);
    const joined = now.filter((c) => !first.some((f) => f.name === c.name));
    expect(joined.length).toBeGreaterThan(0);
    // Whole expiries join (the calendar's), never strikes slipped into one already listed.
    expect(joined.every((c) => !first.some((f) => f.underlying === c.underlying && f.expiry === c.expiry))).toBe(true);
    // Rows are the new listing's own, in order; what joined ticks.
    expect(now.map((c) => c.row)).toEqual(now.map((_, i) => i));
    const fresh = new Set(joined.map((c) => c.name));
    await waitFor(() => tickers.some((t) => fresh.has(t.name)), 'a ticker of a new option', 5_000);
    expect(adapter.status().state).toBe('connected');
    expect(adapter.stats.reconnects).toBe(0);
    // Read again with nothing changed: nothing announced.
    const reads = adapter.stats.listings;
    await waitFor(() => adapter.stats.listings > reads, 'another read of the listing', 15_000);
    expect(chains).toHaveLength(2);
  });
});
