import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HyperliquidSimServer } from '../../electron/sim/hyperliquid/server.ts';
import { SimMarket } from '../../electron/sim/sim-market.ts';
import { HyperliquidMarketData } from '../../electron/venues/hyperliquid/market-data.ts';
import { unpackSide } from '../../shared/stream/packed-book.ts';
import type { BookUpdate, GroupedBookUpdate } from '../../shared/stream/frame.ts';
import { waitFor } from '../support/wait.ts';

/*
 * Grouping that shows depth: the book in view is asked of the venue aggregated (l2Book nSigFigs /
 * mantissa) on a socket of its own, so $100 and $1,000 groupings of BTC carry 20 levels a side
 * rather than the one or two the 20 raw levels make. The simulator aggregates as the venue does;
 * the adapter never mixes two aggregations, and the raw book the engine trades on is untouched.
 */
let market: SimMarket;
let server: HyperliquidSimServer;
let adapter: HyperliquidMarketData;
let wsUrl: string;
const books: BookUpdate[] = [];
const grouped: GroupedBookUpdate[] = [];
const problems: string[] = [];

beforeAll(async () => {
  market = new SimMarket({ seed: 23, now: Date.now(), historyMs: 3_600_000 });
  server = new HyperliquidSimServer({ market, stepMs: 50, bookIntervalMs: 60 });
  const urls = await server.listen();
  wsUrl = urls.wsUrl;
  adapter = new HyperliquidMarketData(
    { httpUrl: urls.httpUrl, wsUrl, paper: true, backoff: { baseMs: 50, capMs: 300, floorMs: 20 } },
    {
      book: (b) => books.push(b),
      groupedBook: (b) => grouped.push(b),
      trades: () => undefined,
      mids: () => undefined,
      status: (s) => {
        problems.push(s.detail);
      },
    },
  );
  await adapter.start();
  await waitFor(() => books.some((b) => b.instrumentId === 'hyperliquid:BTC-PERP'), 'the raw BTC book', 5_000);
});
afterAll(async () => {
  adapter.stop();
  await server.close();
});

const btc = () => adapter.instruments.find((i) => i.venueSymbol === 'BTC')!;
const mid = () => market.coin('BTC')!.mid;
const gaps = (prices: number[]) => prices.slice(1).map((p, i) => Math.abs(p - prices[i]!));

/** Raw socket to the simulator: what the venue sends for one subscription. */
async function rawFrames(subscription: Record<string, unknown>, ms: number): Promise<unknown[]> {
  const ws = new WebSocket(wsUrl);
  const frames: unknown[] = [];
  ws.onmessage = (e) => {
    try {
      frames.push(JSON.parse(String(e.data)));
    } catch {
      // the greeting
    }
  };
  await new Promise((resolve) => (ws.onopen = resolve));
  ws.send(JSON.stringify({ method: 'subscribe', subscription }));
  await new Promise((resolve) => setTimeout(resolve, ms));
  ws.close();
  return frames;
}

describe('books grouped by the venue', () => {
  it('the simulator aggregates as the venue does: 20 levels at the step, bids rounded down and asks up, sizes summed', async () => {
    const frames = (await rawFrames({ type: 'l2Book', coin: 'BTC', nSigFigs: 3 }, 300)) as { channel: string; data: { levels: { px: string; sz: string }[][] } }[];
    const ack = frames.find((f) => f.channel === 'subscriptionResponse') as unknown as { data: { subscription: Record<string, unknown> } };
    expect(ack.data.subscription).toEqual({ type: 'l2Book', coin: 'BTC', nSigFigs: 3, mantissa: null });
    const book = frames.filter((f) => f.channel === 'l2Book').at(-1)!.data;
    const [bids, asks] = book.levels.map((side) => side.map((l) => Number(l.px)));
    expect([bids!.length, asks!.length]).toEqual([20, 20]);
    for (const px of [...bids!, ...asks!]) expect(px % 100).toBe(0);
    expect(gaps(bids!).every((g) => g === 100)).toBe(true);
    expect(gaps(asks!).every((g) => g === 100)).toBe(true);
    // The grouped touch never crosses: the bid bucket at or under the raw best bid, the ask at or over the raw best ask.
    const coin = market.coin('BTC')!;
    expect(bids![0]).toBeLessThanOrEqual(coin.bestBid() + 100);
    expect(asks![0]).toBeGreaterThanOrEqual(coin.bestAsk() - 100);
    // Twenty $100 buckets hold far more than the twenty raw levels.
    const raw = market.coin('BTC')!.book.sorted('bid').slice(0, 20).reduce((s, l) => s + l.size, 0);
    const total = book.levels[0]!.reduce((s, l) => s + Number(l.sz), 0);
    expect(total).toBeGreaterThan(5 * raw);
  });

  it('the simulator refuses what the venue refuses: a mantissa without 5 significant figures, 6 figures', async () => {
    for (const bad of [{ nSigFigs: 4, mantissa: 2 }, { nSigFigs: 6 }, { nSigFigs: 5, mantissa: 3 }]) {
      const frames = (await rawFrames({ type: 'l2Book', coin: 'BTC', ...bad }, 80)) as { channel: string; data: unknown }[];
      expect(frames.find((f) => f.channel === 'error')?.data).toMatch(/^Invalid subscription/);
      expect(frames.some((f) => f.channel === 'l2Book')).toBe(false);
    }
  });

  it('streams the book in view grouped at $100, then $1,000, then $100 again, never a frame of the previous step, while the raw book keeps its ticks', async () => {
    for (const step of [100, 1000, 100]) {
      expect(adapter.groupBook(btc(), step, mid())).toBe(true);
      const from = grouped.length;
      // Frames of the previous step could still be in flight on the socket when it switched.
      await waitFor(() => grouped.slice(from).filter((g) => g.step === step).length >= 4, `four $${step} books`, 5_000);
      for (const g of grouped.slice(from)) {
        expect(g.step).toBe(step);
        const prices = unpackSide(g.levels, 'bid').map((l) => l.price);
        expect(prices).toHaveLength(20);
        // Neighbouring levels one step apart: a coarser book left over would be 10× apart.
        expect(Math.min(...gaps(prices))).toBe(step);
      }
    }
    // The raw book the engine prices and trades on: still $1 apart near the touch.
    const raw = books.filter((b) => b.instrumentId === 'hyperliquid:BTC-PERP').at(-1)!;
    expect(Math.min(...gaps(unpackSide(raw.levels, 'bid').map((l) => l.price)))).toBe(1);
    expect(problems.filter((p) => /grouped/.test(p))).toEqual([]);
  });

  it('groups on screen where the venue has no such step, and closes the grouped socket when nothing is in view', async () => {
    const sockets = () => (server as unknown as { clients: Set<unknown> }).clients.size;
    expect(sockets()).toBe(2);
    // 25 ticks is not a step the venue aggregates at; 1 tick is the raw book itself.
    expect(adapter.groupBook(btc(), 25, mid())).toBe(false);
    await waitFor(() => sockets() === 1, 'the grouped socket closed', 3_000);
    expect(adapter.groupBook(btc(), 1, mid())).toBe(false);
    expect(adapter.groupBook(btc(), 10, mid())).toBe(true);
    await waitFor(() => sockets() === 2, 'the grouped socket open again', 3_000);
    expect(adapter.groupBook(null, 10, null)).toBe(false);
    await waitFor(() => sockets() === 1, 'the grouped socket closed', 3_000);
  });
});
