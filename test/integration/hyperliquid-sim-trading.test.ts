import { claimPaperFunds } from '../../electron/venues/hyperliquid/exchange-client.ts';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HyperliquidSimServer, PAPER_FAUCET_USD } from '../../electron/sim/hyperliquid/server.ts';
import { MAKER_FEE, TAKER_FEE } from '../../electron/sim/hyperliquid/matching.ts';
import { SimMarket } from '../../electron/sim/sim-market.ts';
import { actionHash, l1TypedData, toWireSignature, userSignedTypedData } from '../../electron/venues/hyperliquid/signing.ts';
import type { TypedDataPayload } from '../../shared/domain/typed-data.ts';

/*
 * The simulated Hyperliquid trades like the venue (venues-trading.md H6.3): orders signed as a
 * client would sign them, over POST /exchange, matched against the simulator's book; answers and
 * refusals in the venue's own words; fills move the account.
 */
let clock = Date.UTC(2026, 11, 1, 12);
let server: HyperliquidSimServer;
let httpUrl: string;
const master = Wallet.createRandom();
const agent = Wallet.createRandom();
let nonce = clock;

const sign = (w: Pick<Wallet, 'signTypedData'>, td: TypedDataPayload): Promise<string> => w.signTypedData(td.domain, Object.fromEntries(Object.entries(td.types).filter(([k]) => k !== 'EIP712Domain')), td.message);
async function post(body: unknown): Promise<{ status: string; response: unknown }> {
  const res = await fetch(`${httpUrl}/exchange`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as { status: string; response: unknown };
}
async function l1(action: Record<string, unknown>): Promise<{ status: string; response: unknown }> {
  const n = ++nonce;
  const signature = toWireSignature(await sign(agent, l1TypedData(actionHash(action, n, null), false)));
  return post({ action, nonce: n, signature, vaultAddress: null });
}
async function info<T>(body: Record<string, unknown>): Promise<T> {
  return (await (await fetch(`${httpUrl}/info`, { method: 'POST', body: JSON.stringify(body) })).json()) as T;
}
const user = master.address.toLowerCase();
const statuses = (r: { response: unknown }): unknown[] => (r.response as { data: { statuses: unknown[] } }).data.statuses;
const leg = (isBuy: boolean, p: string, s: string, tif: string, extra: Record<string, unknown> = {}) => ({ a: 0, b: isBuy, p, s, r: false, t: { limit: { tif } }, ...extra });
const order = (...orders: Record<string, unknown>[]) => ({ type: 'order', orders, grouping: 'na' });
const btc = () => server.market.coin('BTC')!;

beforeAll(async () => {
  server = new HyperliquidSimServer({ market: new SimMarket({ seed: 12, now: clock, historyMs: 600_000 }), now: () => clock, stepMs: 60_000 });
  ({ httpUrl } = await server.listen());
  const approve = { type: 'approveAgent', signatureChainId: '0x66eee', hyperliquidChain: 'Testnet', agentAddress: agent.address.toLowerCase(), agentName: 'sim', nonce: ++nonce };
  const signature = toWireSignature(await sign(master, userSignedTypedData('approveAgent', approve)));
  // An account that never deposited cannot act, as on the venue.
  expect(await post({ action: approve, nonce: approve.nonce, signature })).toEqual({ status: 'err', response: `Must deposit before performing actions. User: ${user}` });
  expect(await claimPaperFunds(httpUrl, user)).toBe(PAPER_FAUCET_USD);
  expect(await claimPaperFunds(httpUrl, user)).toBe(0); // once per address
  const again = { ...approve, nonce: ++nonce };
  const r = await post({ action: again, nonce: again.nonce, signature: toWireSignature(await sign(master, userSignedTypedData('approveAgent', again))) });
  expect(r.status).toBe('ok');
});
afterAll(() => server.close());

describe('the Hyperliquid simulator trades', () => {
  it('an Ioc buy takes the asks: filled, at or above the best ask, taker fee, position and fills updated', async () => {
    const ask = btc().bestAsk();
    const r = await l1(order(leg(true, String(Math.round(ask * 1.01)), '0.01', 'Ioc', { c: '0x0000000000000000000000000000000a' })));
    expect(statuses(r)).toEqual([{ filled: { totalSz: '0.01', avgPx: expect.any(String) as unknown, oid: expect.any(Number) as unknown, cloid: '0x0000000000000000000000000000000a' } }]);
    const avg = Number((statuses(r)[0] as { filled: { avgPx: string } }).filled.avgPx);
    expect(avg).toBeGreaterThanOrEqual(ask);
    const fills = await info<{ px: string; sz: string; crossed: boolean; fee: string; dir: string; side: string; cloid?: string }[]>({ type: 'userFills', user });
    expect(fills[0]).toMatchObject({ side: 'B', crossed: true, dir: 'Open Long', cloid: '0x0000000000000000000000000000000a' });
    const feeSum = fills.reduce((s, f) => s + Number(f.fee), 0);
    expect(feeSum).toBeCloseTo(fills.reduce((s, f) => s + Number(f.px) * Number(f.sz), 0) * TAKER_FEE, 4);
    const state = await info<{ assetPositions: { position: { coin: string; szi: string } }[] }>({ type: 'clearinghouseState', user });
    expect(state.assetPositions).toEqual([expect.objectContaining({ position: expect.objectContaining({ coin: 'BTC', szi: '0.01' }) as unknown })]);
  });

  it("refuses in the venue's own words: Ioc with nothing to match, Alo that would cross, off-grid price, off-step size, under $10", async () => {
    const bid = btc().bestBid();
    const ask = btc().bestAsk();
    const r = await l1(
      order(
        leg(true, String(Math.round(bid * 0.5)), '0.01', 'Ioc'),
        leg(true, String(Math.round(ask * 1.01)), '0.01', 'Alo'),
        leg(true, `${Math.round(bid * 0.9)}.55`, '0.01', 'Gtc'),
        leg(true, String(Math.round(bid * 0.9)), '0.000001', 'Gtc'),
        leg(true, String(Math.round(bid * 0.9)), '0.0001', 'Gtc'),
      ),
    );
    expect(statuses(r)).toEqual([
      { error: 'Order could not immediately match against any resting orders. asset=0' },
      { error: `Post only order would have immediately matched, bbo was ${bid.toFixed(btc().priceDecimals)}@${ask.toFixed(btc().priceDecimals)}. asset=0` },
      { error: 'Price must be divisible by tick size. asset=0' },
      { error: 'Order has invalid size.' },
      { error: 'Order must have minimum value of $10. asset=0' },
    ]);
  });

  it('reduce-only: refused when it would grow the position, clamped to the position when it closes it', async () => {
    const bid = btc().bestBid();
    const grow = await l1(order({ ...leg(true, String(Math.round(btc().bestAsk() * 1.01)), '0.01', 'Ioc'), r: true }));
    expect(statuses(grow)).toEqual([{ error: 'Reduce only order would increase position. asset=0' }]);
    const close = await l1(order({ ...leg(false, String(Math.round(bid * 0.99)), '0.05', 'Ioc'), r: true }));
    expect(statuses(close)).toEqual([{ filled: expect.objectContaining({ totalSz: '0.01' }) as unknown }]);
    const state = await info<{ assetPositions: unknown[] }>({ type: 'clearinghouseState', user });
    expect(state.assetPositions).toEqual([]);
  });

  it('a Gtc below the market rests, is listed and found by cloid, fills as a maker when the market trades through it, and can be cancelled by cloid', async () => {
    const px = Math.round(btc().bestBid() * 0.999);
    const cloid = '0x000000000000000000000000000000b1';
    const r = await l1(order(leg(true, String(px), '0.001', 'Gtc', { c: cloid }), leg(true, String(px - 500), '0.001', 'Gtc', { c: '0x000000000000000000000000000000b2' })));
    const [rest] = statuses(r) as { resting: { oid: number; cloid: string } }[];
    expect(rest).toEqual({ resting: { oid: expect.any(Number) as unknown, cloid } });
    expect(await info<unknown[]>({ type: 'openOrders', user })).toEqual(expect.arrayContaining([expect.objectContaining({ coin: 'BTC', side: 'B', limitPx: String(px), sz: '0.001', cloid })]));
    expect(await info({ type: 'orderStatus', user, oid: cloid })).toMatchObject({ status: 'order', order: { status: 'open', order: { oid: rest!.resting.oid } } });
    // The market falls through the first order's price.
    btc().book.update(px / btc().tick - 5);
    server.matching.onMarketStep();
    expect(await info({ type: 'orderStatus', user, oid: cloid })).toMatchObject({ order: { status: 'filled' } });
    const [fill] = await info<{ crossed: boolean; px: string; fee: string; cloid: string }[]>({ type: 'userFills', user });
    expect(fill).toMatchObject({ crossed: false, cloid, px: px.toFixed(btc().priceDecimals) });
    expect(Number(fill!.fee)).toBeCloseTo(px * 0.001 * MAKER_FEE, 6);
    const cancel = await l1({ type: 'cancelByCloid', cancels: [{ asset: 0, cloid: '0x000000000000000000000000000000b2' }] });
    expect(statuses(cancel)).toEqual(['success']);
    expect(await l1({ type: 'cancelByCloid', cancels: [{ asset: 0, cloid: '0x000000000000000000000000000000b2' }] }).then(statuses)).toEqual([{ error: 'Order was never placed, already canceled, or filled.' }]);
    expect(await info({ type: 'orderStatus', user, oid: 999 })).toEqual({ status: 'unknownOid' });
  });

  it('scheduleCancel must be at least 5 s ahead, and when it comes every open order is cancelled', async () => {
    const px = Math.round(btc().bestBid() * 0.95);
    await l1(order(leg(true, String(px), '0.001', 'Gtc')));
    expect((await info<unknown[]>({ type: 'openOrders', user })).length).toBeGreaterThan(0);
    expect(await l1({ type: 'scheduleCancel', time: clock + 4_000 })).toEqual({ status: 'err', response: 'Scheduled cancel time too early, must be at least 5 seconds from now.' });
    expect((await l1({ type: 'scheduleCancel', time: clock + 6_000 })).status).toBe('ok');
    clock += 6_001;
    server.exchange.fireScheduledCancels();
    expect(await info<unknown[]>({ type: 'openOrders', user })).toEqual([]);
  });

  it('modify moves a resting order to a new price and size under the same cloid; a gone order cannot be modified', async () => {
    const cloid = '0x000000000000000000000000000000c1';
    const px = Math.round(btc().bestBid() * 0.97);
    await l1(order(leg(true, String(px), '0.001', 'Gtc', { c: cloid })));
    const moved = await l1({ type: 'modify', oid: cloid, order: leg(true, String(px - 100), '0.002', 'Gtc', { c: cloid }) });
    expect(moved).toEqual({ status: 'ok', response: { type: 'default' } });
    const open = (await info<{ cloid?: string; limitPx: string; sz: string }[]>({ type: 'openOrders', user })).filter((o) => o.cloid === cloid);
    expect(open).toEqual([expect.objectContaining({ limitPx: String(px - 100), sz: '0.002' })]);
    await l1({ type: 'cancelByCloid', cancels: [{ asset: 0, cloid }] });
    expect(await l1({ type: 'modify', oid: cloid, order: leg(true, String(px), '0.001', 'Gtc', { c: cloid }) })).toEqual({ status: 'err', response: 'Cannot modify canceled or filled order' });
  });

  it('an order needs initial margin from free collateral: beyond it the venue refuses, and leverage sets how much', async () => {
    const ask = btc().bestAsk();
    // 100,000 USDC at 20× carries at most ~2,000,000 of notional; ask for more.
    const tooBig = (Math.ceil((2_100_000 / ask) * 1000) / 1000).toFixed(3);
    expect(statuses(await l1(order(leg(true, String(Math.round(ask * 1.01)), tooBig, 'Ioc'))))).toEqual([{ error: 'Insufficient margin to place order. asset=0' }]);
    expect(await l1({ type: 'updateLeverage', asset: 0, isCross: true, leverage: 1 })).toEqual({ status: 'ok', response: { type: 'default' } });
    // At 1× the same account carries at most ~100,000: a 150,000 order is refused too.
    const size = (Math.ceil((150_000 / ask) * 1000) / 1000).toFixed(3);
    expect(statuses(await l1(order(leg(true, String(Math.round(ask * 1.01)), size, 'Ioc'))))).toEqual([{ error: 'Insufficient margin to place order. asset=0' }]);
    expect(await l1({ type: 'updateLeverage', asset: 0, isCross: true, leverage: 500 })).toEqual({ status: 'err', response: 'Invalid leverage value' });
    expect((await l1({ type: 'updateLeverage', asset: 0, isCross: true, leverage: 20 })).status).toBe('ok');
  });

  it('funding is paid at the top of each hour on open positions: longs pay at a positive rate, into the account and its cumFunding', async () => {
    await l1(order(leg(true, String(Math.round(btc().bestAsk() * 1.01)), '0.1', 'Ioc')));
    type State = { assetPositions: { position: { coin: string; szi: string; cumFunding: { sinceOpen: string } } }[]; marginSummary: { totalRawUsd: string } };
    const before = await info<State>({ type: 'clearinghouseState', user });
    const pos = before.assetPositions.find((p) => p.position.coin === 'BTC')!;
    const mark = btc().mid;
    clock = (Math.floor(clock / 3_600_000) + 1) * 3_600_000 + 5;
    (server as unknown as { payFunding(): void }).payFunding();
    const after = await info<State>({ type: 'clearinghouseState', user });
    const paid = Number(pos.position.szi) * mark * 0.0000125;
    expect(Number(before.marginSummary.totalRawUsd) - Number(after.marginSummary.totalRawUsd)).toBeCloseTo(paid, 2);
    const sinceOpen = after.assetPositions.find((p) => p.position.coin === 'BTC')!.position.cumFunding.sinceOpen;
    expect(Number(sinceOpen) - Number(pos.position.cumFunding.sinceOpen)).toBeCloseTo(paid, 4);
  });

  it('a best level worn below one lot (by the USD-sized Deribit perpetual on the same book) does not stop a taker: it fills from the next', async () => {
    const book = btc().book;
    const best = book.sorted('bid')[0]!;
    best.size = 0.0000033; // what a Deribit trade of $2,000 can leave of a level
    const r = await l1(order(leg(false, String(Math.round(btc().bestBid() * 0.99)), '0.01', 'Ioc')));
    expect(JSON.stringify(statuses(r))).toMatch(/^\[\{"filled":\{"totalSz":"0\.01"/);
    expect(book.bids.has(best.ticks)).toBe(false);
  });

  it('a reduce-only stop-loss waits for its trigger, then closes the position at the market once the mid reaches it', async () => {
    const held = async () => Number((((await info<{ assetPositions: { position: { coin: string; szi: string } }[] }>({ type: 'clearinghouseState', user })).assetPositions.find((p) => p.position.coin === 'BTC')?.position.szi) ?? '0'));
    const start = await held();
    expect(start).not.toBe(0);
    const isBuy = start < 0;
    const mid = btc().mid;
    // A trigger the mid has not reached: it waits.
    const far = Math.round(isBuy ? mid * 1.2 : mid * 0.8);
    const r = await l1(order({ a: 0, b: isBuy, p: String(Math.round(isBuy ? far * 1.1 : far * 0.9)), s: String(Math.abs(start)), r: true, t: { trigger: { isMarket: true, triggerPx: String(far), tpsl: 'sl' } } }));
    expect(statuses(r)).toEqual(['waitingForTrigger']);
    server.matching.onMarketStep();
    expect(await held()).toBe(start);
    expect((await info<{ isTrigger?: boolean }[]>({ type: 'openOrders', user })).filter((o) => o.isTrigger)).toHaveLength(1);
    // One the mid has passed: it fires and the position is closed.
    await l1({ type: 'cancel', cancels: (await info<{ oid: number }[]>({ type: 'openOrders', user })).map((o) => ({ a: 0, o: o.oid })) });
    const near = Math.round(isBuy ? mid * 0.99 : mid * 1.01);
    await l1(order({ a: 0, b: isBuy, p: String(Math.round(isBuy ? mid * 1.1 : mid * 0.9)), s: String(Math.abs(start)), r: true, t: { trigger: { isMarket: true, triggerPx: String(near), tpsl: 'sl' } } }));
    server.matching.onMarketStep();
    expect(await held()).toBe(0);
  });
});
