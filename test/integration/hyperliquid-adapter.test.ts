import { afterEach, describe, expect, it } from 'vitest';
import { HyperliquidSimServer } from '../../electron/sim/hyperliquid/server.ts';
import { SimMarket } from '../../electron/sim/sim-market.ts';
import { HyperliquidMarketData } from '../../electron/venues/hyperliquid/market-data.ts';
import type { Trade } from '../../shared/domain/market.ts';
import type { VenueStatus } from '../../shared/domain/venues.ts';
import type { BookUpdate } from '../../shared/stream/frame.ts';
import { waitFor } from '../support/wait.ts';

/*
 * The real adapter against the Hyperliquid-wire simulator on loopback, with every fault the
 * simulator can inject. Timers are shortened (books every 100 ms, stale after 400 ms) so each
 * scenario runs in about a second.
 */
interface Harness {
  server: HyperliquidSimServer;
  market: SimMarket;
  adapter: HyperliquidMarketData;
  books: BookUpdate[];
  trades: Trade[];
  statuses: VenueStatus[];
  mids: Record<string, number>[];
}

let open: Harness | null = null;

async function start(opts: { refuse?: string; heartbeatIdleMs?: number } = {}): Promise<Harness> {
  const market = new SimMarket({ seed: 11, now: Date.now(), historyMs: 3_600_000 });
  const server = new HyperliquidSimServer({ market, stepMs: 50, bookIntervalMs: 100 });
  if (opts.refuse) server.apply({ fault: 'refuse', subscriptionType: opts.refuse });
  const { httpUrl, wsUrl } = await server.listen();
  const h: Harness = { server, market, adapter: null as never, books: [], trades: [], statuses: [], mids: [] };
  h.adapter = new HyperliquidMarketData(
    {
      httpUrl,
      wsUrl,
      paper: true,
      staleAfterMs: 400,
      heartbeatIdleMs: opts.heartbeatIdleMs ?? 300,
      heartbeatTimeoutMs: 300,
      ackTimeoutMs: 600,
      backoff: { baseMs: 50, capMs: 300, floorMs: 20 },
    },
    {
      book: (b) => h.books.push(b),
      trades: (t) => h.trades.push(...t),
      mids: (m) => h.mids.push(m),
      status: (s) => h.statuses.push(s),
    },
  );
  await h.adapter.start();
  open = h;
  return h;
}

afterEach(async () => {
  open?.adapter.stop();
  await open?.server.close();
  open = null;
});

const state = (h: Harness): string => h.adapter.status().state;
const booksFor = (h: Harness, coin: string): BookUpdate[] => h.books.filter((b) => b.instrumentId === `hyperliquid:${coin}-PERP`);

describe('Hyperliquid adapter against the simulator', () => {
  it('reads each perp’s mark, oracle, 24 h change, hourly funding with its next payment, and open interest in one request shared for 2 s', async () => {
    const h = await start();
    const [btc, eth] = h.adapter.instruments;
    let requests = 0;
    const query = h.adapter['info'].query.bind(h.adapter['info']);
    h.adapter['info'].query = ((body, schema) => {
      requests++;
      return query(body, schema);
    });
    const [a, b] = await Promise.all([h.adapter.perpStats(btc!), h.adapter.perpStats(eth!)]);
    expect(requests).toBe(1);
    const coin = h.market.coin('BTC')!;
    expect(a).toMatchObject({ instrumentId: 'hyperliquid:BTC-PERP', indexLabel: 'oracle', fundingPerHour: 0.0000125 });
    // The simulator steps every 50 ms: the market has moved a little since the read.
    expect(Math.abs(a.mark / coin.mid - 1)).toBeLessThan(2e-3);
    expect(a.change24h!).toBeCloseTo(a.mark / coin.dayOpen - 1, 2);
    expect(Math.abs(a.openInterestCoin! / coin.openInterest - 1)).toBeLessThan(0.05);
    expect(a.nextFundingAt! % 3_600_000).toBe(0);
    expect(a.nextFundingAt! - Date.now()).toBeLessThanOrEqual(3_600_000);
    expect(b.mark).toBeLessThan(a.mark / 5);
    await expect(h.adapter.perpStats({ ...btc!, venueSymbol: 'DOGE' })).rejects.toThrow('Hyperliquid lists no context for DOGE');
  });

  it('loads markets, subscribes, and streams books, trades and mids for BTC and ETH', async () => {
    const h = await start();
    expect(h.adapter.instruments.map((i) => i.symbol)).toEqual(['BTC-PERP', 'ETH-PERP']);
    expect(h.adapter.instruments[0]).toMatchObject({ sizeDecimals: 5, maxPriceDecimals: 1, maxLeverage: 40 });
    await waitFor(() => state(h) === 'connected', 'connected');
    await waitFor(() => booksFor(h, 'BTC').length > 3 && booksFor(h, 'ETH').length > 3, 'books');
    await waitFor(() => h.trades.length > 0 && h.mids.length > 0, 'trades and mids');
    const last = booksFor(h, 'BTC').at(-1)!;
    expect(last.levels[0]).toBe(20);
    expect(last.levels[1]).toBe(20);
    expect(h.statuses.map((s) => s.state)).toContain('connecting');
  });

  it('fetches candle history through /info', async () => {
    const h = await start();
    const candles = await h.adapter.candles(h.adapter.instruments[0]!, '5m', 10);
    expect(candles.length).toBeGreaterThan(5);
    expect(candles.every((c, i) => i === 0 || c.time - candles[i - 1]!.time === 300_000)).toBe(true);
  });

  it('reconnects with backoff and resubscribes after the venue drops the connection', async () => {
    const h = await start();
    await waitFor(() => state(h) === 'connected', 'connected');
    h.server.apply({ fault: 'drop' });
    await waitFor(() => state(h) === 'reconnecting', 'reconnecting');
    expect(h.adapter.status().detail).toMatch(/connection (closed|error).*retrying in/);
    const before = booksFor(h, 'BTC').length;
    await waitFor(() => state(h) === 'connected', 'connected again', 5000);
    await waitFor(() => booksFor(h, 'BTC').length > before + 2, 'books after resubscribe');
    expect(h.adapter.stats.reconnects).toBeGreaterThanOrEqual(1);
  });

  it('marks the feed stale when the venue stalls, reconnects on a missed heartbeat, then recovers', async () => {
    const h = await start();
    await waitFor(() => state(h) === 'connected', 'connected');
    h.server.apply({ fault: 'stall', ms: 1500 });
    await waitFor(() => state(h) === 'stale', 'stale', 2000);
    expect(h.adapter.status().detail).toMatch(/no update: BTC book/);
    await waitFor(() => state(h) === 'reconnecting', 'heartbeat failure', 3000);
    expect(h.statuses.some((s) => /heartbeat/.test(s.detail))).toBe(true);
    await waitFor(() => state(h) === 'connected', 'recovered', 5000);
  });

  it('ignores malformed frames, says so, and keeps streaming', async () => {
    const h = await start();
    await waitFor(() => state(h) === 'connected', 'connected');
    h.server.apply({ fault: 'malformed', count: 4 });
    await waitFor(() => h.adapter.stats.malformed >= 4, 'four malformed frames seen');
    expect(h.adapter.stats.malformed).toBe(4);
    expect(h.adapter.status().detail).toMatch(/malformed frame/);
    const before = h.books.length;
    await waitFor(() => h.books.length > before + 3, 'books after the bad frames');
    // Nothing bad reached the engine.
    for (const b of h.books) for (const v of b.levels) expect(Number.isFinite(v)).toBe(true);
  });

  it('drops out-of-order book snapshots so the book never goes back in time', async () => {
    const h = await start();
    await waitFor(() => state(h) === 'connected', 'connected');
    h.server.apply({ fault: 'outOfOrder', count: 3 });
    await waitFor(() => h.adapter.stats.outOfOrderDropped >= 3, 'stale snapshots dropped');
    for (const coin of ['BTC', 'ETH']) {
      const times = booksFor(h, coin).map((b) => b.time);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it('reports a refused subscription clearly while the rest keeps working', async () => {
    const h = await start({ refuse: 'trades' });
    await waitFor(() => /refused/.test(h.adapter.status().detail), 'refusal reported');
    expect(h.adapter.status().detail).toMatch(/refused: BTC trades, ETH trades/);
    expect(state(h)).toBe('stale');
    await waitFor(() => booksFor(h, 'BTC').length > 2, 'books still flow');
    expect(h.trades).toHaveLength(0);
  });

  it('answers the venue heartbeat protocol: ping gets pong and keeps an idle link alive', async () => {
    const h = await start({ heartbeatIdleMs: 50 });
    await waitFor(() => state(h) === 'connected', 'connected');
    await new Promise((r) => setTimeout(r, 600));
    expect(h.adapter.stats.reconnects).toBe(0);
  });

  it('retries market loading until the venue answers', async () => {
    const h: Harness = { server: null as never, market: null as never, adapter: null as never, books: [], trades: [], statuses: [], mids: [] };
    h.adapter = new HyperliquidMarketData(
      { httpUrl: 'http://127.0.0.1:9', wsUrl: 'ws://127.0.0.1:9/ws', paper: false, requestTimeoutMs: 500 },
      { book: () => undefined, trades: () => undefined, mids: () => undefined, status: (s) => h.statuses.push(s) },
    );
    await h.adapter.start();
    expect(h.adapter.status()).toMatchObject({ state: 'reconnecting', paper: false });
    expect(h.adapter.status().detail).toMatch(/cannot load markets: Hyperliquid \/info meta: .*retrying/);
    h.adapter.stop();
    expect(h.adapter.status().state).toBe('disconnected');
  });
});
