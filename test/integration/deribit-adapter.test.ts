import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Engine } from '../../electron/engine/engine.ts';
import { DeribitSimServer, PAPER_CREDENTIALS } from '../../electron/sim/deribit/server.ts';
import { SimOptionMarket } from '../../electron/sim/options/option-market.ts';
import { SimMarket } from '../../electron/sim/sim-market.ts';
import { DeribitError, DeribitRpc } from '../../electron/venues/deribit/json-rpc.ts';
import { DeribitMarketData } from '../../electron/venues/deribit/market-data.ts';
import type { OptionTicker } from '../../electron/venues/deribit/normalise.ts';
import type { VenueStatus } from '../../shared/domain/venues.ts';
import { decodeFrame } from '../../shared/stream/frame-codec.ts';
import { waitFor } from '../support/wait.ts';

/** The real Deribit adapter against the Deribit-wire simulator, with every fault the issue names. */
let market: SimMarket;
let server: DeribitSimServer;
let wsUrl: string;
let adapter: DeribitMarketData;
const statuses: VenueStatus[] = [];
const tickers: OptionTicker[] = [];

beforeAll(async () => {
  const now = Date.now();
  market = new SimMarket({ seed: 11, now, historyMs: 60_000 });
  const options = new SimOptionMarket(market, now);
  server = new DeribitSimServer({ options, minHeartbeatS: 1, controlToken: 'x'.repeat(16), beforeStep: (t) => market.advanceTo(t) });
  ({ wsUrl } = await server.listen());
  adapter = new DeribitMarketData(
    { wsUrl, paper: true, heartbeatIntervalS: 1, staleAfterMs: 3000, requestTimeoutMs: 3000, credentials: PAPER_CREDENTIALS },
    { chain: () => undefined, ticker: (t) => tickers.push(t), book: () => undefined, status: (s) => statuses.push(s) },
  );
  adapter.start();
  await waitFor(() => adapter.status().state === 'connected', 'adapter connected', 10_000);
});

afterAll(async () => {
  adapter.stop();
  await server.close();
});

/** The adapter's book of an option equals the simulator's (prices and sizes, best first). */
function booksAgree(name: string): boolean {
  const mine = adapter.book(name);
  const truth = server.market.byName.get(name)!;
  if (!mine || mine.bids.length !== truth.bids.length || mine.asks.length !== truth.asks.length) return false;
  return truth.bids.every(([p, s], i) => mine.bids.price(i) === p && mine.bids.size(i) === s) && truth.asks.every(([p, s], i) => mine.asks.price(i) === p && mine.asks.size(i) === s);
}

describe('Deribit adapter against the simulator', () => {
  it('loads BTC and ETH options, and streams tickers and books that match the venue', async () => {
    const chain = adapter.chain;
    expect(new Set(chain.map((c) => c.underlying))).toEqual(new Set(['BTC', 'ETH']));
    expect(chain.every((c) => new Date(c.expiry).getUTCHours() === 8)).toBe(true);
    await waitFor(() => tickers.length > 200, 'tickers');
    const t = tickers[tickers.length - 1]!;
    expect(t.markIv).toBeGreaterThan(0.1);
    expect(t.markIv).toBeLessThan(3);
    const name = chain[Math.floor(chain.length / 2)]!.name;
    await waitFor(() => booksAgree(name), `book of ${name} equal to the venue's`);
  });

  it('answers every heartbeat test_request, so the venue keeps the session; without an injected gap no book ever resyncs', async () => {
    const before = adapter.stats.reconnects;
    const resyncs = adapter.stats.resyncs;
    const books = adapter.stats.bookMessages;
    await new Promise((r) => setTimeout(r, 3500)); // three 1 s heartbeat intervals
    expect(adapter.stats.reconnects).toBe(before);
    // The simulator's change_ids chain without gaps: a real gap is never drowned in false ones.
    expect(adapter.stats.bookMessages).toBeGreaterThan(books + 20);
    expect(adapter.stats.resyncs).toBe(resyncs);
    expect(adapter.status().state).toBe('connected');
  });

  it('resyncs a book from a fresh snapshot after a change_id gap', async () => {
    const before = adapter.stats.resyncs;
    server.apply({ fault: 'gap', count: 3 });
    await waitFor(() => adapter.stats.resyncs > before, 'a resync');
    expect(adapter.status().detail).toMatch(/book resynced \(change_id gap/);
    // Every book is whole again and equal to the venue's.
    await waitFor(() => adapter.chain.filter((_, i) => i % 7 === 0).every((c) => booksAgree(c.name)), 'books equal to the venue after the resync', 8000);
  });

  it('skips malformed messages with a clear reason and keeps streaming', async () => {
    const before = adapter.stats.malformed;
    const seen = statuses.length;
    server.apply({ fault: 'malformed', count: 8 });
    await waitFor(() => adapter.stats.malformed >= before + 6, 'malformed messages counted');
    // Said on screen when it happened (a bad message in place of a book change can make that book
    // resync a moment later, and the badge then says so instead).
    expect(statuses.slice(seen).some((st) => /malformed/.test(st.detail))).toBe(true);
    const n = tickers.length;
    await waitFor(() => tickers.length > n + 50, 'tickers after the bad messages');
    expect(adapter.status().state).toBe('connected');
  });

  it('reconnects when heartbeats stop arriving, then recovers', async () => {
    const before = adapter.stats.reconnects;
    server.apply({ fault: 'stall', ms: 4000 });
    await waitFor(() => adapter.stats.reconnects > before, 'reconnect after missed heartbeats', 10_000);
    expect(statuses.some((s) => s.state === 'reconnecting' && /heartbeat/.test(s.detail))).toBe(true);
    await waitFor(() => adapter.status().state === 'connected', 'connected again', 15_000);
  });

  it('backs off after too_many_requests instead of hammering the venue, then recovers', async () => {
    const before = adapter.stats.rateLimited;
    server.apply({ fault: 'drop' });
    server.apply({ fault: 'tooManyRequests', count: 1 });
    await waitFor(() => adapter.stats.rateLimited > before, 'rate limit seen', 10_000);
    const limitedAt = Date.now();
    expect(adapter.status().detail).toMatch(/too_many_requests.*10028|10028.*too_many_requests/);
    await waitFor(() => adapter.status().state === 'connected', 'connected after the pause', 15_000);
    // The venue ends the session on 10028; we waited for credits (≥ 2 s) before coming back.
    expect(Date.now() - limitedAt).toBeGreaterThan(1500);
  });

  it('reads the paper account (positions and summary) with the read-only key', async () => {
    await waitFor(() => adapter.isAuthenticated, 'authenticated');
    const accounts = await adapter.account();
    expect(accounts.map((a) => a.currency)).toEqual(['BTC', 'ETH']);
    const btc = accounts[0]!;
    expect(btc.positions.length).toBeGreaterThan(0);
    expect(btc.positions.every((p) => p.direction === (p.size > 0 ? 'buy' : 'sell'))).toBe(true);
    expect(btc.summary.equity).toBeGreaterThan(0);
  });

  it('surfaces the venue’s error code and message', async () => {
    const rpc = new DeribitRpc(
      { url: wsUrl, heartbeatIntervalS: 10 },
      { open: () => undefined, notification: () => undefined, down: () => undefined, malformed: () => undefined },
    );
    rpc.start();
    await waitFor(() => rpc.connected, 'rpc connected');
    const err = await rpc.call('public/subscribe', { channels: ['book.BTC-PERPETUAL.raw'] }, z.unknown()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeribitError);
    expect((err as DeribitError).code).toBe(13778);
    expect((err as Error).message).toBe('public/subscribe: raw_subscriptions_not_available_for_unauthorized (Deribit error 13778)');
    const unknown = await rpc.call('public/no_such_method', {}, z.unknown()).catch((e: unknown) => e);
    expect((unknown as DeribitError).code).toBe(-32601);
    rpc.stop();
  });
});

describe('engine on the simulated Deribit under faults', () => {
  it('keeps publishing chain rows and surfaces through gaps, garbage and drops', async () => {
    const engine = new Engine({
      mode: 'paper',
      hyperliquid: { httpUrl: 'http://127.0.0.1:9', wsUrl: 'ws://127.0.0.1:9/ws' },
      deribit: { wsUrl },
      deribitOptions: { heartbeatIntervalS: 1 },
      refitIntervalMs: 200,
    });
    let rows = 0;
    let surfaces = 0;
    engine.addStreamSink((bytes) => {
      const f = decodeFrame(bytes);
      if (f.optionRows) rows += f.optionRows.length;
      if (f.surfaces) surfaces += f.surfaces.length;
    });
    void engine.start();
    try {
      await waitFor(() => rows > 0 && surfaces > 0, 'rows and surfaces', 10_000);
      server.apply({ fault: 'gap', count: 5 });
      server.apply({ fault: 'malformed', count: 20 });
      await new Promise((r) => setTimeout(r, 500));
      server.apply({ fault: 'drop' });
      const [r0, s0] = [rows, surfaces];
      await waitFor(() => rows > r0 + 1000 && surfaces > s0, 'rows and surfaces after the faults', 15_000);
      expect(engine.options.fitFailures).toBe(0);
    } finally {
      engine.stop();
    }
  });
});
