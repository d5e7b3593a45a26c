import { claimPaperFunds } from '../../electron/venues/hyperliquid/exchange-client.ts';
import { ExchangeClient, HttpTransport, InfoClient, SubscriptionClient, WebSocketTransport } from '@nktkas/hyperliquid';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HyperliquidSimServer } from '../../electron/sim/hyperliquid/server.ts';
import { SimMarket } from '../../electron/sim/sim-market.ts';

/*
 * A third-party client, unchanged but for its URL: the @nktkas/hyperliquid SDK (pinned) reads the
 * simulator, approves an agent with a master wallet, and trades with the agent — its own signing,
 * its own response schemas. What it cannot parse, the simulator does not serve like the venue.
 */
// A full 16-byte cloid, as DeltaDesk makes them (the SDK reads a short hex one as a number).
const CLOID = '0x8f3a6c1d2e4b5a69788796a5b4c3d2e1';
let server: HyperliquidSimServer;
let transport: HttpTransport;
let wsUrl: string;
/** The venue acts only for an account that deposited: each test's fresh master gets paper funds. */
let fund: (address: string) => Promise<number>;

beforeAll(async () => {
  server = new HyperliquidSimServer({ market: new SimMarket({ seed: 31, now: Date.now(), historyMs: 600_000 }), stepMs: 3_600_000 });
  const listening = await server.listen();
  const { httpUrl } = listening;
  wsUrl = listening.wsUrl;
  transport = new HttpTransport({ apiUrl: httpUrl, isTestnet: true, timeout: 5_000 });
  fund = (address) => claimPaperFunds(httpUrl, address.toLowerCase());
});
afterAll(() => server.close());

describe('the Hyperliquid SDK against the simulator', () => {
  it('reads mids, meta and an account', async () => {
    const info = new InfoClient({ transport });
    const mids = await info.allMids();
    expect(Number(mids.BTC)).toBeGreaterThan(1000);
    const meta = await info.meta();
    expect(meta.universe.map((u) => u.name)).toEqual(expect.arrayContaining(['BTC', 'ETH']));
  });

  it('approves an agent, places, lists, looks up and cancels an order, and reads its fills', async () => {
    const master = Wallet.createRandom();
    const agent = Wallet.createRandom();
    const user = master.address.toLowerCase() as `0x${string}`;
    const asMaster = new ExchangeClient({ transport, wallet: master });
    await fund(master.address);
    await asMaster.approveAgent({ agentAddress: agent.address, agentName: 'sdk' });
    const exchange = new ExchangeClient({ transport, wallet: agent });
    const info = new InfoClient({ transport });
    const btc = server.market.coin('BTC')!;
    const resting = await exchange.order({ orders: [{ a: 0, b: true, p: String(Math.round(btc.bestBid() * 0.98)), s: '0.001', r: false, t: { limit: { tif: 'Gtc' } }, c: CLOID }], grouping: 'na' });
    const status = resting.response.data.statuses[0] as { resting: { oid: number } };
    expect(status.resting.oid).toBeGreaterThan(0);
    expect((await info.openOrders({ user })).map((o) => o.oid)).toContain(status.resting.oid);
    expect(await info.orderStatus({ user, oid: CLOID })).toMatchObject({ status: 'order', order: { status: 'open' } });
    await exchange.cancel({ cancels: [{ a: 0, o: status.resting.oid }] });
    expect(await info.openOrders({ user })).toEqual([]);
    const taken = await exchange.order({ orders: [{ a: 0, b: true, p: String(Math.round(btc.bestAsk() * 1.01)), s: '0.001', r: false, t: { limit: { tif: 'Ioc' } } }], grouping: 'na' });
    expect(taken.response.data.statuses[0]).toMatchObject({ filled: { totalSz: '0.001' } });
    const fills = await info.userFills({ user });
    expect(fills[0]).toMatchObject({ coin: 'BTC', side: 'B', sz: '0.001', crossed: true });
  });

  it("streams the account's own order updates and fills over the WebSocket, through the SDK's subscriptions", async () => {
    const master = Wallet.createRandom();
    const agent = Wallet.createRandom();
    const user = master.address.toLowerCase() as `0x${string}`;
    await fund(master.address);
    await new ExchangeClient({ transport, wallet: master }).approveAgent({ agentAddress: agent.address, agentName: 'sdk3' });
    const ws = new WebSocketTransport({ url: wsUrl, isTestnet: true, timeout: 5_000 });
    const subs = new SubscriptionClient({ transport: ws });
    const updates: unknown[] = [];
    const fills: unknown[] = [];
    try {
      await subs.orderUpdates({ user }, (d) => updates.push(...(d as unknown[])));
      await subs.userFills({ user }, (d) => fills.push(...(d as { fills: unknown[] }).fills));
      const btc = server.market.coin('BTC')!;
      await new ExchangeClient({ transport, wallet: agent }).order({ orders: [{ a: 0, b: true, p: String(Math.round(btc.bestAsk() * 1.01)), s: '0.002', r: false, t: { limit: { tif: 'Ioc' } } }], grouping: 'na' });
      await expect.poll(() => fills.length, { timeout: 3000 }).toBeGreaterThan(0);
      await expect.poll(() => updates.length, { timeout: 3000 }).toBeGreaterThan(0);
      expect(fills[0]).toMatchObject({ coin: 'BTC', side: 'B', crossed: true });
      expect(updates.at(-1)).toMatchObject({ status: 'filled', order: { coin: 'BTC', side: 'B' } });
    } finally {
      ws.close();
    }
  });

  it('places and cancels through the WebSocket `post` wrapper, as the SDK does when given a socket', async () => {
    const master = Wallet.createRandom();
    const agent = Wallet.createRandom();
    const user = master.address.toLowerCase() as `0x${string}`;
    const ws = new WebSocketTransport({ url: wsUrl, isTestnet: true, timeout: 5_000 });
    try {
      await fund(master.address);
      await new ExchangeClient({ transport: ws, wallet: master }).approveAgent({ agentAddress: agent.address, agentName: 'sdk4' });
      const exchange = new ExchangeClient({ transport: ws, wallet: agent });
      const btc = server.market.coin('BTC')!;
      const placed = await exchange.order({ orders: [{ a: 0, b: false, p: String(Math.round(btc.bestAsk() * 1.02)), s: '0.001', r: false, t: { limit: { tif: 'Gtc' } } }], grouping: 'na' });
      const oid = (placed.response.data.statuses[0] as { resting: { oid: number } }).resting.oid;
      const info = new InfoClient({ transport: ws });
      expect((await info.openOrders({ user })).map((o) => o.oid)).toEqual([oid]);
      await exchange.cancel({ cancels: [{ a: 0, o: oid }] });
      expect(await info.openOrders({ user })).toEqual([]);
    } finally {
      ws.close();
    }
  });

  it('surfaces a venue refusal as the SDK does for the real venue', async () => {
    const master = Wallet.createRandom();
    const agent = Wallet.createRandom();
    await fund(master.address);
    await new ExchangeClient({ transport, wallet: master }).approveAgent({ agentAddress: agent.address, agentName: 'sdk2' });
    const exchange = new ExchangeClient({ transport, wallet: agent });
    await expect(exchange.order({ orders: [{ a: 0, b: true, p: '1', s: '0.001', r: false, t: { limit: { tif: 'Ioc' } } }], grouping: 'na' })).rejects.toThrow(/Order must have minimum value of \$10|could not immediately match/);
  });
});
