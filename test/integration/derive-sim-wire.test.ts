import { Wallet, type BaseWallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DeriveOptionMarket } from '../../electron/sim/derive/derive-options.ts';
import { DeriveSimServer } from '../../electron/sim/derive/server.ts';
import { SimOptionMarket } from '../../electron/sim/options/option-market.ts';
import { SimMarket } from '../../electron/sim/sim-market.ts';
import { rawText } from '../../electron/venues/common/ws-text.ts';
import { actionNonce, actionTypedData, DERIVE_MODULES, encodeSessionKeyData, encodeTradeData, type DeriveAction } from '../../electron/venues/derive/signing.ts';

/*
 * The Derive simulator on its wire, as a third-party client would meet it (venues.md §3.11):
 * paginated instruments with the ids an order signs, slim tickers, full-snapshot books with rising
 * publish ids, login, and orders verified as the venue does — a tampered field, a stale nonce,
 * too many decimals, an unregistered or out-of-scope session key are each refused in words,
 * while a correctly signed order by the owner or its session key fills against the book.
 */
let server: DeriveSimServer;
let market: DeriveOptionMarket;
let wsUrl = '';
let httpUrl = '';
const owner = Wallet.createRandom();

interface Rpc {
  call<T>(method: string, params?: unknown): Promise<T>;
  notes: { channel: string; data: unknown }[];
  close(): void;
}

async function connect(): Promise<Rpc> {
  const ws = new WebSocket(wsUrl);
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  let id = 0;
  const waiting = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  const notes: Rpc['notes'] = [];
  ws.on('message', (raw) => {
    const m = JSON.parse(rawText(raw)) as { id?: number; result?: unknown; error?: { code: number; message: string; data?: string }; method?: string; params?: { channel: string; data: unknown } };
    if (m.method === 'subscription') return void notes.push(m.params!);
    const w = waiting.get(m.id!);
    waiting.delete(m.id!);
    if (m.error) w?.fail(Object.assign(new Error(`${m.error.code} ${m.error.message}${m.error.data ? `: ${m.error.data}` : ''}`), { code: m.error.code }));
    else w?.ok(m.result);
  });
  return {
    notes,
    call: <T,>(method: string, params: unknown = {}) =>
      new Promise<T>((ok, fail) => {
        waiting.set(++id, { ok: ok as (v: unknown) => void, fail });
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

async function login(rpc: Rpc, signer: BaseWallet, wallet = owner.address): Promise<number[]> {
  const timestamp = Date.now();
  return rpc.call<number[]>('public/login', { wallet, timestamp, signature: await signer.signMessage(String(timestamp)) });
}

interface Inst { instrument_name: string; base_asset_address: string; base_asset_sub_id: string; tick_size: string; amount_step: string }

/** A signed `private/order` as a client builds it: the bytes signed come from the same wire strings. */
async function signedOrder(signer: BaseWallet, subaccount: number, inst: Inst, o: { direction: 'buy' | 'sell'; limit: string; amount: string; maxFee?: string; nonce?: bigint }) {
  const maxFee = o.maxFee ?? '1000';
  const nonce = o.nonce ?? actionNonce(Date.now());
  const expiry = BigInt(Math.floor(Date.now() / 1000) + 600);
  const data = encodeTradeData({ asset: inst.base_asset_address, subId: BigInt(inst.base_asset_sub_id), limitPrice: o.limit, amount: o.amount, maxFee, recipientSubaccountId: BigInt(subaccount), isBid: o.direction === 'buy' });
  const action: DeriveAction = { subaccountId: BigInt(subaccount), nonce, module: DERIVE_MODULES.trade, data, expiry, owner: owner.address, signer: signer.address };
  const t = actionTypedData(server.chainId, action);
  const signature = await signer.signTypedData(t.domain, t.types, t.message);
  return { subaccount_id: subaccount, instrument_name: inst.instrument_name, direction: o.direction, order_type: 'limit', time_in_force: 'ioc', limit_price: o.limit, amount: o.amount, max_fee: maxFee, nonce: nonce.toString(), signer: signer.address, signature, signature_expiry_sec: Number(expiry), label: 'test' };
}

beforeAll(async () => {
  const now = Date.now();
  const sim = new SimMarket({ seed: 7, now });
  market = new DeriveOptionMarket(new SimOptionMarket(sim, now), 7, now);
  server = new DeriveSimServer({ market, stepMs: 50, controlToken: 't' });
  ({ wsUrl, httpUrl } = await server.listen());
});
afterAll(() => server.close());

describe('the Derive simulator on the wire', () => {
  it('lists options page by page with the ids an order signs, and serves slim tickers over HTTP and WS', async () => {
    const rpc = await connect();
    const first = await rpc.call<{ instruments: Inst[]; pagination: { count: number; num_pages: number } }>('public/get_all_instruments', { instrument_type: 'option', expired: false, page_size: 50 });
    expect(first.instruments).toHaveLength(50);
    expect(first.pagination.count).toBe(market.options.length);
    expect(first.pagination.num_pages).toBe(Math.ceil(market.options.length / 50));
    expect(first.instruments[0]!.instrument_name).toMatch(/^(BTC|ETH)-\d{8}-\d+-[CP]$/);
    expect(BigInt(first.instruments[0]!.base_asset_sub_id)).toBeGreaterThan(0n);
    const res = await fetch(`${httpUrl}/public/get_tickers`, { method: 'POST', body: JSON.stringify({ instrument_type: 'option', currency: 'ETH' }) });
    const { result } = (await res.json()) as { result: { tickers: Record<string, { M: string; b: string; a: string; option_pricing: { i: string; d: string } }> } };
    const tickers = Object.values(result.tickers);
    expect(tickers.length).toBe(market.options.filter((o) => o.coin === 'ETH').length);
    for (const t of tickers.slice(0, 10)) {
      // IV a fraction, premiums in USDC, bid under ask.
      expect(Number(t.option_pricing.i)).toBeGreaterThan(0.2);
      expect(Number(t.option_pricing.i)).toBeLessThan(3);
      if (Number(t.b) > 0) expect(Number(t.b)).toBeLessThan(Number(t.a));
    }
    rpc.close();
  });

  it('books are full snapshots whose publish id rises, and channels answer with a status map', async () => {
    const rpc = await connect();
    const name = market.options.find((o) => o.coin === 'BTC' && o.bids.length > 0)!.name;
    const ch = `orderbook.${name}.1.10`;
    const sub = await rpc.call<{ status: Record<string, string>; current_subscriptions: string[] }>('subscribe', { channels: [ch, 'orderbook.NOPE.1.10', `orderbook.${name}.7.10`] });
    expect(sub.status).toEqual({ [ch]: 'ok', 'orderbook.NOPE.1.10': 'invalid channel', [`orderbook.${name}.7.10`]: 'invalid channel: group 1|10|100, depth 1|10|20|100' });
    await expect.poll(() => rpc.notes.filter((n) => n.channel === ch).length, { timeout: 4_000 }).toBeGreaterThan(1);
    const books = rpc.notes.filter((n) => n.channel === ch).map((n) => n.data as { publish_id: number; bids: [string, string][]; asks: [string, string][] });
    expect(books[1]!.publish_id).toBeGreaterThan(books[0]!.publish_id);
    expect(Number(books[0]!.bids[0]![0])).toBeLessThan(Number(books[0]!.asks[0]![0]));
    rpc.close();
  });

  it('an owner-signed order fills at the ask; a tampered one is refused with the recovered signer', async () => {
    const rpc = await connect();
    const [sub] = await login(rpc, owner);
    const { instruments } = await rpc.call<{ instruments: Inst[] }>('public/get_all_instruments', { instrument_type: 'option', currency: 'ETH', page_size: 1000 });
    const o = market.options.find((x) => x.coin === 'ETH' && x.asks.length > 0 && x.ask > 5)!;
    const inst = instruments.find((i) => i.instrument_name === o.name)!;
    const limit = String(o.ask + 10 * o.tick);
    const order = await signedOrder(owner, sub!, inst, { direction: 'buy', limit: Number(limit).toFixed(1), amount: '0.1' });
    const debug = await rpc.call<{ action_hash: string; encoded_data: string }>('private/order_debug', order);
    expect(debug.encoded_data).toBe(encodeTradeData({ asset: inst.base_asset_address, subId: BigInt(inst.base_asset_sub_id), limitPrice: order.limit_price, amount: '0.1', maxFee: '1000', recipientSubaccountId: BigInt(sub!), isBid: true }));
    const placed = await rpc.call<{ order: { order_status: string; filled_amount: string; average_price: string }; trades: unknown[] }>('private/order', order);
    expect(placed.order.order_status).toBe('filled');
    expect(Number(placed.order.average_price)).toBeLessThanOrEqual(Number(order.limit_price));
    const pos = await rpc.call<{ positions: { instrument_name: string; amount: string }[] }>('private/get_positions', { subaccount_id: sub });
    expect(pos.positions).toEqual([expect.objectContaining({ instrument_name: o.name, amount: '0.1' })]);

    const tampered = { ...(await signedOrder(owner, sub!, inst, { direction: 'buy', limit: order.limit_price, amount: '0.1' })), amount: '0.2' };
    await expect(rpc.call('private/order', tampered)).rejects.toThrow(/14014 Signature invalid: recovered 0x[0-9a-fA-F]{40}, not the signer/);
    await expect(rpc.call('private/order', order)).rejects.toThrow(/nonce already used/);
    const old = await signedOrder(owner, sub!, inst, { direction: 'buy', limit: order.limit_price, amount: '0.1', nonce: actionNonce(Date.now() - 6 * 60_000) });
    await expect(rpc.call('private/order', old)).rejects.toThrow(/within 5 minutes/);
    await expect(rpc.call('private/order', { ...order, limit_price: '1.0000000000001' })).rejects.toThrow(/11051 Invalid decimal: limit_price: .*13 decimals/);
    rpc.close();
  });

  it('session keys: refused under 5 minutes (14039), never reused, trade only in scope', async () => {
    const rpc = await connect();
    const [sub] = await login(rpc, owner);
    const register = async (key: BaseWallet, expirySec: number, scopes: ('trade:orderbook:option' | 'trade:orderbook:perp')[]) => {
      const data = encodeSessionKeyData({ sessionKey: key.address, expirySec: BigInt(expirySec), scopes, subaccountIds: [] });
      const nonce = actionNonce(Date.now());
      const expiry = BigInt(Math.floor(Date.now() / 1000) + 600);
      const action: DeriveAction = { subaccountId: 0n, nonce, module: DERIVE_MODULES.setSessionKey, data, expiry, owner: owner.address, signer: owner.address };
      const t = actionTypedData(server.chainId, action);
      return rpc.call('private/set_session_key', { wallet: owner.address, public_session_key: key.address, expiry_sec: expirySec, nonce: nonce.toString(), signer: owner.address, signature: await owner.signTypedData(t.domain, t.types, t.message), signature_expiry_sec: Number(expiry), data, protocol_scopes: scopes, label: 'DeltaDesk' });
    };
    const key = Wallet.createRandom();
    const soon = Math.floor(Date.now() / 1000) + 120;
    await expect(register(key, soon, ['trade:orderbook:option'])).rejects.toThrow(/14039/);
    const expirySec = Math.floor(Date.now() / 1000) + 3600;
    await register(key, expirySec, ['trade:orderbook:option']);
    await expect(register(key, expirySec + 60, ['trade:orderbook:option'])).rejects.toThrow(/registered before; use a new key/);
    const listed = await rpc.call<{ public_session_keys: { public_session_key: string; expiry_sec: number; scope_codes: number[] }[] }>('private/session_keys', {});
    expect(listed.public_session_keys).toEqual([expect.objectContaining({ public_session_key: key.address, expiry_sec: expirySec, scope_codes: [6] })]);

    const { instruments } = await rpc.call<{ instruments: Inst[] }>('public/get_all_instruments', { instrument_type: 'option', currency: 'BTC', page_size: 1000 });
    const o = market.options.find((x) => x.coin === 'BTC' && x.bids.length > 0 && x.bid > 50)!;
    const inst = instruments.find((i) => i.instrument_name === o.name)!;
    const sell = await rpc.call<{ order: { order_status: string } }>('private/order', await signedOrder(key, sub!, inst, { direction: 'sell', limit: String(o.bid - 5 * o.tick), amount: '0.01' }));
    expect(sell.order.order_status).toBe('filled');
    const perpOnly = Wallet.createRandom();
    await register(perpOnly, expirySec, ['trade:orderbook:perp']);
    await expect(rpc.call('private/order', await signedOrder(perpOnly, sub!, inst, { direction: 'sell', limit: String(o.bid - 5 * o.tick), amount: '0.01' }))).rejects.toThrow(/no trade scope for options/);
    const stranger = Wallet.createRandom();
    await expect(rpc.call('private/order', await signedOrder(stranger, sub!, inst, { direction: 'sell', limit: String(o.bid), amount: '0.01' }))).rejects.toThrow(/is not a live session key/);
    rpc.close();
  });

  it('answers past the rate limit with the venue’s reply and its retry time', async () => {
    const rpc = await connect();
    const errors: string[] = [];
    await Promise.all(Array.from({ length: 40 }, () => rpc.call('public/get_time').catch((e: Error) => errors.push(e.message))));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/^-32000 Rate limit exceeded: Retry after \d+ ms$/);
    rpc.close();
  });

  it('a private call before login is refused', async () => {
    const rpc = await connect();
    await expect(rpc.call('private/get_subaccounts')).rejects.toThrow(/14000 Not logged in/);
    rpc.close();
  });
});

describe('the Derive market-data adapter against the simulator', () => {
  it('lists every option, streams quotes in USD, and drops a malformed frame without losing the feed', async () => {
    const { DeriveMarketData } = await import('../../electron/venues/derive/market-data.ts');
    const quotes = new Map<string, { bidUsd: number; askUsd: number; markIv: number }>();
    const statuses: string[] = [];
    let listed = 0;
    let quotedWhenConnected = -1;
    const md = new DeriveMarketData(
      { wsUrl, paper: true, tickerMs: 100 },
      {
        options: (c) => (listed = c.length),
        quote: (q) => quotes.set(q.name, q),
        status: (s) => {
          statuses.push(`${s.state}: ${s.detail}`);
          if (s.state === 'connected' && quotedWhenConnected < 0) quotedWhenConnected = quotes.size;
        },
      },
    );
    md.start();
    try {
      await expect.poll(() => md.status().state, { timeout: 8_000 }).toBe('connected');
      expect(listed).toBe(market.options.length);
      // Connected means every option has its quote, quiet ones too (read once, not waited for).
      expect(quotedWhenConnected).toBe(market.options.length);
      await expect.poll(() => quotes.size, { timeout: 8_000 }).toBeGreaterThan(market.options.length / 2);
      const [name, q] = [...quotes].find(([, x]) => x.bidUsd > 0)!;
      const sim = market.byName.get(name)!;
      // USD premiums within a couple of requotes of the venue's, IV a fraction.
      expect(Math.abs(q.askUsd - sim.ask) / sim.ask).toBeLessThan(0.2);
      expect(q.markIv).toBeGreaterThan(0.2);
      expect(q.markIv).toBeLessThan(3);
      await fetch(`${httpUrl}/_sim/control`, { method: 'POST', headers: { 'x-sim-control': 't' }, body: JSON.stringify({ fault: 'malformed', count: 3 }) });
      await expect.poll(() => md.malformed, { timeout: 5_000 }).toBe(3);
      expect(md.status().state).toBe('connected');
      expect(md.status().detail).toMatch(/malformed frame dropped/);
      // A drop: it reconnects, lists again and keeps streaming.
      await fetch(`${httpUrl}/_sim/control`, { method: 'POST', headers: { 'x-sim-control': 't' }, body: JSON.stringify({ fault: 'drop' }) });
      await expect.poll(() => statuses.some((s) => s.startsWith('reconnecting')), { timeout: 5_000 }).toBe(true);
      await expect.poll(() => md.status().state, { timeout: 10_000 }).toBe('connected');
    } finally {
      md.stop();
    }
  }, 30_000);

  it('a stalled venue (no answers, no pings back) is found dead by the liveness ping, redialled, and streams again once it answers', async () => {
    const { DeriveMarketData } = await import('../../electron/venues/derive/market-data.ts');
    const statuses: string[] = [];
    let quotes = 0;
    const md = new DeriveMarketData({ wsUrl, paper: true, tickerMs: 100, heartbeatIdleMs: 300, heartbeatTimeoutMs: 800 }, { options: () => undefined, quote: () => quotes++, status: (s) => statuses.push(s.state) });
    md.start();
    try {
      await expect.poll(() => md.status().state, { timeout: 8_000 }).toBe('connected');
      await fetch(`${httpUrl}/_sim/control`, { method: 'POST', headers: { 'x-sim-control': 't' }, body: JSON.stringify({ fault: 'stall', ms: 2_500 }) });
      await expect.poll(() => statuses.includes('reconnecting'), { timeout: 5_000 }).toBe(true);
      await expect.poll(() => md.status().state, { timeout: 10_000 }).toBe('connected');
      const after = quotes;
      await expect.poll(() => quotes, { timeout: 5_000 }).toBeGreaterThan(after);
    } finally {
      md.stop();
    }
  }, 30_000);

  it('reads the listing again while connected: an option the venue stops listing leaves, announced once, its stream dropped', async () => {
    const { DeriveMarketData } = await import('../../electron/venues/derive/market-data.ts');
    const listings: string[][] = [];
    const quoted = new Set<string>();
    const md = new DeriveMarketData({ wsUrl, paper: true, tickerMs: 100, relistEveryMs: 1_000 }, { options: (c) => listings.push(c.map((x) => x.name)), quote: (q) => quoted.add(q.name), status: () => undefined });
    md.start();
    try {
      await expect.poll(() => md.status().state, { timeout: 8_000 }).toBe('connected');
      // Read again with nothing changed: nothing announced.
      await new Promise((r) => setTimeout(r, 1_300));
      expect(listings).toHaveLength(1);
      // The venue delists the last option (it expired there): gone from the next read.
      const gone = market.options[market.options.length - 1]!;
      market.options.pop();
      market.byName.delete(gone.name);
      await expect.poll(() => listings.length, { timeout: 5_000 }).toBe(2);
      expect(listings[1]).toHaveLength(listings[0]!.length - 1);
      expect(listings[1]).not.toContain(gone.name);
      expect(md.contracts.has(gone.name)).toBe(false);
      expect(md.status().state).toBe('connected');
    } finally {
      md.stop();
    }
  }, 30_000);
});
