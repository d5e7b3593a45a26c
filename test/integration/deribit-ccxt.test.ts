import ccxt, { type Exchange } from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeribitSimServer, PAPER_CREDENTIALS } from '../../electron/sim/deribit/server.ts';
import { SimOptionMarket, type SimOption } from '../../electron/sim/options/option-market.ts';
import { SimMarket } from '../../electron/sim/sim-market.ts';
import * as wire from '../../electron/sim/deribit/payloads.ts';

/*
 * A third-party Deribit client against the simulator with only its URLs changed (Orders, part 2,
 * item 1): ccxt 4.5.84 over Deribit's HTTP transport (deri-hmac-sha256 signatures on every private
 * request), and ccxt pro's order stream over the WebSocket. What it reads is checked against the
 * simulator's own state, so a field ccxt cannot parse shows up here.
 */
let server: DeribitSimServer;
let rest: Exchange;
let pro: Exchange;
let option: SimOption;

beforeAll(async () => {
  const market = new SimMarket({ seed: 41, now: Date.now(), historyMs: 60_000 });
  server = new DeribitSimServer({ options: new SimOptionMarket(market, Date.now()), stepMs: 200, minHeartbeatS: 1 });
  const { httpUrl, wsUrl } = await server.listen();
  rest = new ccxt.deribit({ apiKey: PAPER_CREDENTIALS.clientId, secret: PAPER_CREDENTIALS.clientSecret });
  rest.urls['api'] = { rest: httpUrl };
  pro = new ccxt.pro.deribit({ apiKey: PAPER_CREDENTIALS.clientId, secret: PAPER_CREDENTIALS.clientSecret });
  pro.urls['api'] = { rest: httpUrl, ws: wsUrl };
  // ccxt wants its proxy agent loaded before it opens a plain ws:// (loopback) socket.
  await pro.loadHttpProxyAgent();
  await rest.loadMarkets();
  option = server.market.options.find((o) => o.spec.coin === 'BTC' && o.spec.kind === 'call' && o.bids.length > 2 && o.asks.length > 2 && o.bid > 0.01)!;
}, 30_000);
afterAll(async () => {
  await pro?.close();
  await server?.close();
});

/** ccxt's markets, as far as these tests read them. */
interface CcxtMarket {
  id: string;
  symbol: string;
}
const markets = (): CcxtMarket[] => Object.values(rest.markets as unknown as Record<string, CcxtMarket>);
const symbolOf = (name: string): string => markets().find((m) => m.id === name)!.symbol;

describe('ccxt against the Deribit simulator', () => {
  it('loads every listed option and both perpetuals as markets, with their ticks and sizes', () => {
    const ids = markets().map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['BTC-PERPETUAL', 'ETH-PERPETUAL', option.spec.name]));
    expect(ids.filter((id) => /-[CP]$/.test(id))).toHaveLength(server.market.options.length);
    const m: unknown = (rest.markets as unknown as Record<string, unknown>)[symbolOf(option.spec.name)];
    expect(m).toMatchObject({ option: true, base: 'BTC', settle: 'BTC', strike: option.spec.strike, optionType: 'call' });
  });

  it("reads the account's balance and the book as the simulator holds them", async () => {
    const balance = await rest.fetchBalance();
    const summary = wire.accountSummary(server.market, 'BTC', server.trading.balance.get('BTC'), server.trading) as { equity: number; available_funds: number };
    expect(balance['BTC']!.total).toBeCloseTo(summary.equity, 6);
    expect(balance['BTC']!.free).toBeCloseTo(summary.available_funds, 6);
    const book = await rest.fetchOrderBook(symbolOf(option.spec.name));
    expect(book.bids[0]![0]).toBe(option.bids[0]![0]);
    expect(book.asks[0]![0]).toBe(option.asks[0]![0]);
  });

  it('places, lists, cancels and trades an option with signed requests; a fill shows in its trades and positions', async () => {
    const symbol = symbolOf(option.spec.name);
    const resting = await rest.createOrder(symbol, 'limit', 'buy', 0.1, option.bids[0]![0], { label: 'ccxt-rest' });
    expect(resting).toMatchObject({ status: 'open', amount: 0.1, price: option.bids[0]![0] });
    expect(server.trading.ordersByLabel('BTC', 'ccxt-rest')).toEqual([expect.objectContaining({ order_id: resting.id, order_state: 'open' })]);
    const open = await rest.fetchOpenOrders(undefined, undefined, undefined, { currency: 'BTC' });
    expect(open.map((o) => o.id)).toContain(resting.id);
    const cancelled = await rest.cancelOrder(resting.id!);
    expect(cancelled.status).toBe('canceled');
    const bought = await rest.createOrder(symbol, 'limit', 'buy', 0.2, option.asks[0]![0]);
    expect(bought).toMatchObject({ status: 'closed', filled: 0.2 });
    const trades = await rest.fetchMyTrades(symbol);
    expect(trades[0]).toMatchObject({ order: bought.id, side: 'buy', amount: 0.2, takerOrMaker: 'taker' });
    const positions = await rest.fetchPositions();
    expect(positions.find((p) => p.symbol === symbol)).toMatchObject({ side: 'long', contracts: 0.2 });
  });

  it("maps the venue's refusals to ccxt's errors (funds, post-only that would take, unknown order)", async () => {
    const symbol = symbolOf(option.spec.name);
    await expect(rest.createOrder(symbol, 'limit', 'sell', 5_000, option.bids[0]![0])).rejects.toBeInstanceOf(ccxt.InsufficientFunds);
    // ccxt sends post_only with reject_post_only: at the ask it is refused, not moved.
    await expect(rest.createOrder(symbol, 'limit', 'buy', 0.1, option.asks[0]![0], { postOnly: true })).rejects.toThrow(/post_only_reject/);
    await expect(rest.cancelOrder('999999999')).rejects.toBeInstanceOf(ccxt.OrderNotFound);
  });

  it('a wrong secret is refused: every private request is signed and checked', async () => {
    const bad = new ccxt.deribit({ apiKey: PAPER_CREDENTIALS.clientId, secret: 'not-the-secret' });
    bad.urls['api'] = rest.urls['api'];
    await expect(bad.fetchBalance()).rejects.toBeInstanceOf(ccxt.AuthenticationError);
  });

  it("ccxt pro's order stream sees an order placed and cancelled", async () => {
    const symbol = symbolOf(option.spec.name);
    const watching = pro.watchOrders(symbol);
    await new Promise((r) => setTimeout(r, 300)); // the subscription is acknowledged first
    const placed = await rest.createOrder(symbol, 'limit', 'buy', 0.1, option.bids[0]![0], { label: 'ccxt-pro' });
    const seen = await Promise.race([watching, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no order on the stream')), 5_000))]);
    expect(seen.map((o) => o.id)).toContain(placed.id);
    await rest.cancelOrder(placed.id!);
  });
});
