import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DeribitSimServer, PAPER_CREDENTIALS } from '../../electron/sim/deribit/server.ts';
import { SimOptionMarket } from '../../electron/sim/options/option-market.ts';
import { SimMarket } from '../../electron/sim/sim-market.ts';
import type { DeribitError} from '../../electron/venues/deribit/json-rpc.ts';
import { DeribitRpc } from '../../electron/venues/deribit/json-rpc.ts';
import { waitFor } from '../support/wait.ts';

/*
 * The Deribit simulator's order entry for options (Orders, part 2, first part), over its own
 * JSON-RPC as the venue serves it: buy and sell take the book and rest, edit keeps the order id,
 * cancels and cancel-by-label, open orders and user trades, the private user streams, fees and the
 * venue's error codes.
 */
let server: DeribitSimServer;
let market: SimMarket;
let options: SimOptionMarket;
let rpc: DeribitRpc;
let wsUrl = '';
const wsUrlOf = (): string => wsUrl;
const notes: { channel: string; data: unknown }[] = [];
const any = z.any();

beforeAll(async () => {
  const now = Date.now();
  market = new SimMarket({ seed: 17, now, historyMs: 60_000 });
  options = new SimOptionMarket(market, now);
  server = new DeribitSimServer({ options, minHeartbeatS: 1, beforeStep: (t) => market.advanceTo(t), stepMs: 3_600_000 });
  ({ wsUrl } = await server.listen());
  rpc = new DeribitRpc({ url: wsUrl, heartbeatIntervalS: 10 }, { open: () => undefined, notification: (channel, data) => notes.push({ channel, data }), down: () => undefined, malformed: () => undefined });
  rpc.start();
  await waitFor(() => rpc.connected, 'rpc connected');
  await rpc.call('public/auth', { grant_type: 'client_credentials', client_id: PAPER_CREDENTIALS.clientId, client_secret: PAPER_CREDENTIALS.clientSecret }, any);
  await rpc.call('private/subscribe', { channels: ['user.orders.any.any.raw', 'user.trades.option.BTC.100ms'] }, any);
});
afterAll(async () => {
  rpc.stop();
  await server.close();
});

/** A BTC option with a two-sided book a little out of the money. */
function liquidOption() {
  const o = options.options.find((x) => x.spec.coin === 'BTC' && x.spec.kind === 'call' && x.bids.length > 2 && x.asks.length > 2 && x.bid > 0.005 && x.ask < 0.05)!;
  expect(o).toBeTruthy();
  return o;
}
const call = <T = Record<string, unknown>>(method: string, params: Record<string, unknown>): Promise<T> => rpc.call(method, params, any) as Promise<T>;
const code = async (p: Promise<unknown>): Promise<number> => ((await p.catch((e: unknown) => e)) as DeribitError).code;
type Order = { order_id: string; order_state: string; filled_amount: number; average_price: number; amount: number; price: number; replaced: boolean; label: string };
type Trade = { trade_id: string; price: number; amount: number; fee: number; fee_currency: string; liquidity: string; order_id: string; direction: string };

describe('the Deribit simulator trades options', () => {
  it('a limit buy at the ask takes it: filled at the ask, taker fee 0.0003 per contract capped at 12.5 % of the premium, position and balance moved', async () => {
    const o = liquidOption();
    const before = (await call<{ balance: number }>('private/get_account_summary', { currency: 'BTC' })).balance;
    const r = await call<{ order: Order; trades: Trade[] }>('private/buy', { instrument_name: o.spec.name, amount: 0.5, type: 'limit', price: o.ask, label: 'dd-1' });
    expect(r.order).toMatchObject({ order_state: 'filled', filled_amount: 0.5, label: 'dd-1' });
    expect(r.trades.every((t) => t.liquidity === 'T' && t.fee_currency === 'BTC' && t.direction === 'buy')).toBe(true);
    const fee = r.trades.reduce((s, t) => s + t.fee, 0);
    expect(fee).toBeCloseTo(Math.min(0.0003 * 0.5, 0.125 * o.ask * 0.5), 8);
    const positions = await call<{ instrument_name: string; size: number }[]>('private/get_positions', { currency: 'BTC' });
    expect(positions.find((p) => p.instrument_name === o.spec.name)?.size).toBeGreaterThanOrEqual(0.5);
    const after = (await call<{ balance: number }>('private/get_account_summary', { currency: 'BTC' })).balance;
    expect(before - after).toBeCloseTo(fee, 8);
    await waitFor(() => notes.some((n) => n.channel === 'user.trades.option.BTC.100ms' && (n.data as Trade[]).some((t) => t.order_id === r.order.order_id)), 'the trade on the user stream');
    expect(notes.some((n) => n.channel === 'user.orders.any.any.raw' && (n.data as Order).order_id === r.order.order_id)).toBe(true);
  });

  it('a limit under the bid rests, is listed, edited under the same id, then cancelled; a second cancel is not_open_order', async () => {
    const o = liquidOption();
    const price = Math.round((o.bid - 0.002) * 1e4) / 1e4;
    const { order } = await call<{ order: Order }>('private/buy', { instrument_name: o.spec.name, amount: 0.3, type: 'limit', price, label: 'dd-rest' });
    expect(order.order_state).toBe('open');
    const open = await call<Order[]>('private/get_open_orders_by_currency', { currency: 'BTC' });
    expect(open.map((x) => x.order_id)).toContain(order.order_id);
    const edited = await call<{ order: Order }>('private/edit', { order_id: order.order_id, amount: 0.4, price: Math.round((price - 0.0005) * 1e4) / 1e4 });
    expect(edited.order).toMatchObject({ order_id: order.order_id, amount: 0.4, replaced: true, order_state: 'open' });
    expect(await call<Order>('private/cancel', { order_id: order.order_id })).toMatchObject({ order_state: 'cancelled' });
    expect(await code(call('private/cancel', { order_id: order.order_id }))).toBe(11044);
    expect(await code(call('private/get_order_state', { order_id: 'no-such' }))).toBe(10004);
  });

  it('cancel_by_label cancels only that label; a resting order fills as a maker when the market moves through it', async () => {
    const o = liquidOption();
    const px = Math.round((o.bid - 0.001) * 1e4) / 1e4;
    await call('private/buy', { instrument_name: o.spec.name, amount: 0.1, price: px, label: 'dd-group' });
    await call('private/buy', { instrument_name: o.spec.name, amount: 0.1, price: px, label: 'dd-group' });
    const keep = await call<{ order: Order }>('private/buy', { instrument_name: o.spec.name, amount: 0.1, price: px, label: 'dd-keep' });
    expect(await call<number>('private/cancel_by_label', { label: 'dd-group', currency: 'BTC' })).toBe(2);
    expect((await call<Order[]>('private/get_open_orders_by_currency', { currency: 'BTC' })).map((x) => x.label)).toEqual(['dd-keep']);
    const ask = o.ask;
    o.ask = px; // the market comes down to our bid
    server.trading.onMarketStep();
    o.ask = ask;
    expect(await call<Order>('private/get_order_state', { order_id: keep.order.order_id })).toMatchObject({ order_state: 'filled', average_price: px });
    const trades = await call<{ trades: Trade[] }>('private/get_user_trades_by_currency', { currency: 'BTC', count: 5 });
    expect(trades.trades[0]).toMatchObject({ order_id: keep.order.order_id, liquidity: 'M', price: px, amount: 0.1 });
  });

  it("refuses in the venue's codes: off the tick, off the amount step, post-only that would take (with reject_post_only), an immediate_or_cancel that cannot fill rests nothing, a short beyond funds", async () => {
    const o = liquidOption();
    const ask = o.asks[0]![0];
    expect(await code(call('private/buy', { instrument_name: o.spec.name, amount: 0.1, price: o.bid + 0.00003 }))).toBe(10043);
    expect(await code(call('private/buy', { instrument_name: o.spec.name, amount: 0.15, price: o.bid }))).toBe(10021);
    expect(await code(call('private/buy', { instrument_name: o.spec.name, amount: 0.1, price: ask, post_only: true, reject_post_only: true }))).toBe(11054);
    const moved = await call<{ order: Order }>('private/buy', { instrument_name: o.spec.name, amount: 0.1, price: ask, post_only: true });
    expect(moved.order.price).toBeLessThan(ask);
    await call('private/cancel', { order_id: moved.order.order_id });
    const ioc = await call<{ order: Order; trades: Trade[] }>('private/buy', { instrument_name: o.spec.name, amount: 0.1, price: Number(Math.max(0.0005, Math.floor((o.bid * 0.5) / 0.0005) * 0.0005).toFixed(4)), time_in_force: 'immediate_or_cancel' });
    expect(ioc).toMatchObject({ order: { order_state: 'cancelled', filled_amount: 0 }, trades: [] });
    expect(await code(call('private/sell', { instrument_name: o.spec.name, amount: 1000, price: o.bid }))).toBe(10009);
    expect(await code(call('private/buy', { instrument_name: 'BTC-1JAN99-1-C', amount: 0.1, price: 0.01 }))).toBe(13020);
  });

  it('serves currencies and account summaries; a short carries its standard margin and realised PnL; cancel-on-disconnect cancels that connection\'s orders', async () => {
    const currencies = await call<{ currency: string; currency_long: string }[]>('public/get_currencies', {});
    expect(currencies.map((c) => c.currency)).toEqual(['BTC', 'ETH']);
    const all = await call<{ summaries: { currency: string; initial_margin: number; maintenance_margin: number; available_funds: number; equity: number }[] }>('private/get_account_summaries', {});
    expect(all.summaries.map((x) => x.currency)).toEqual(['BTC', 'ETH']);
    const o = liquidOption();
    // Sweeps three bid levels: the 0.6 bought earlier is closed (PnL realised) and the rest opens a short.
    const sold = await call<{ order: Order }>('private/sell', { instrument_name: o.spec.name, amount: 1, price: o.bids[2]![0], time_in_force: 'immediate_or_cancel' });
    expect(sold.order.filled_amount).toBeGreaterThan(0.6);
    const pos = (await call<Record<string, number | string>[]>('private/get_positions', { currency: 'BTC' })).find((p) => p.instrument_name === o.spec.name)!;
    const size = pos.size as number;
    expect(size).toBeLessThan(0);
    expect(pos.maintenance_margin).toBeCloseTo((0.075 + o.mark) * -size, 6);
    expect(pos.initial_margin as number).toBeGreaterThan(pos.maintenance_margin as number);
    expect(pos.realized_profit_loss as number).not.toBe(0);
    expect(pos.total_profit_loss).toBeCloseTo((pos.floating_profit_loss as number) + (pos.realized_profit_loss as number), 8);
    const summary = await call<{ initial_margin: number; available_funds: number; equity: number }>('private/get_account_summary', { currency: 'BTC' });
    expect(summary.available_funds).toBeCloseTo(summary.equity - summary.initial_margin, 6);

    const second = new DeribitRpc({ url: wsUrlOf(), heartbeatIntervalS: 10 }, { open: () => undefined, notification: () => undefined, down: () => undefined, malformed: () => undefined });
    second.start();
    await waitFor(() => second.connected, 'second connection');
    await second.call('public/auth', { grant_type: 'client_credentials', client_id: PAPER_CREDENTIALS.clientId, client_secret: PAPER_CREDENTIALS.clientSecret }, any);
    expect(await second.call('private/enable_cancel_on_disconnect', {}, any)).toBe('ok');
    const price = Math.round((o.bids[0]![0] - 0.002) * 1e4) / 1e4;
    const viaSecond = (await second.call('private/buy', { instrument_name: o.spec.name, amount: 0.1, price, label: 'cod' }, any)) as { order: Order };
    const viaFirst = await call<{ order: Order }>('private/buy', { instrument_name: o.spec.name, amount: 0.1, price, label: 'stays' });
    second.stop();
    await waitFor(() => server.trading.orderState(viaSecond.order.order_id).order_state === 'cancelled', 'cancel on disconnect');
    expect(server.trading.orderState(viaSecond.order.order_id)).toMatchObject({ cancel_reason: 'cancel_on_disconnect' });
    expect(server.trading.orderState(viaFirst.order.order_id).order_state).toBe('open');
  });
});

describe('the Deribit simulator trades the perpetual', () => {
  it('a BTC-PERPETUAL buy in USD takes the shared book: inverse fee in coin, a future position with its standard margin, liquidation price and coin PnL', async () => {
    const coin = market.coin('BTC')!;
    const ask = coin.bestAsk();
    const r = await call<{ order: Order; trades: Trade[] }>('private/buy', { instrument_name: 'BTC-PERPETUAL', amount: 10_000, type: 'limit', price: Math.ceil((ask * 1.001) / 0.5) * 0.5, label: 'perp-1' });
    expect(r.order).toMatchObject({ order_state: 'filled', filled_amount: 10_000 });
    const fee = r.trades.reduce((s, t) => s + t.fee, 0);
    const coinNotional = r.trades.reduce((s, t) => s + t.amount / t.price, 0);
    expect(fee).toBeCloseTo(0.0005 * coinNotional, 8);
    const perp = (await call<Record<string, number | string | null>[]>('private/get_positions', { currency: 'BTC' })).find((p) => p.instrument_name === 'BTC-PERPETUAL')!;
    expect(perp).toMatchObject({ kind: 'future', size: 10_000, direction: 'buy', leverage: 50 });
    const sizeCoin = 10_000 / (perp.mark_price as number);
    expect(perp.initial_margin).toBeCloseTo(sizeCoin * (0.02 + sizeCoin * 0.00005), 8);
    expect(perp.maintenance_margin).toBeCloseTo(sizeCoin * (0.01 + sizeCoin * 0.00005), 8);
    expect(perp.floating_profit_loss).toBeCloseTo(10_000 * (1 / (perp.average_price as number) - 1 / (perp.mark_price as number)), 6);
    // A long on a 10 BTC balance barely levered: no liquidation price above zero, or one far below.
    expect(perp.estimated_liquidation_price === null || (perp.estimated_liquidation_price as number) < (perp.average_price as number) * 0.2).toBe(true);
    expect(await code(call('private/buy', { instrument_name: 'BTC-PERPETUAL', amount: 15, price: Math.round(ask) }))).toBe(10021);
    expect(await code(call('private/buy', { instrument_name: 'BTC-PERPETUAL', amount: 10, price: Math.round(ask) + 0.25 }))).toBe(10043);
    // close_position: a reduce-only order for the whole position, on the side that closes it.
    const closed = await call<{ order: Order & { direction: string; reduce_only: boolean } }>('private/close_position', { instrument_name: 'BTC-PERPETUAL', type: 'market' });
    expect(closed.order).toMatchObject({ filled_amount: 10_000, direction: 'sell', reduce_only: true });
    expect(await code(call('private/close_position', { instrument_name: 'BTC-PERPETUAL', type: 'market' }))).toBe(11044);
    const after = (await call<Record<string, unknown>[]>('private/get_positions', { currency: 'BTC' })).find((p) => p.instrument_name === 'BTC-PERPETUAL');
    expect(after).toBeUndefined();
  });
});
