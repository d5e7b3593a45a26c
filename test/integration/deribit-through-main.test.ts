import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Engine } from '../../electron/engine/engine.ts';
import { rawText } from '../../electron/venues/common/ws-text.ts';
import { PAPER_CREDENTIALS } from '../../electron/sim/deribit/server.ts';
import { VaultHost } from '../../electron/vault/vault-host.ts';
import { LedgerEmulator } from '../support/ledger-emulator.ts';
import { startTradingRig, until, type TradingRig } from '../support/trading-rig.ts';

/*
 * Deribit's key lives in main (Orders, part 2, item 2): main logs the engine's session in with a
 * scope that cannot trade, and every order action goes to main, which reads it, runs the budget
 * guard, journals it and sends it on its own connection, whose cancel-on-disconnect protects
 * the orders resting at Deribit.
 */
const PASS = 'orbit-canvas-tulip-87-ledger';
let rig: TradingRig;
let engine: Engine;

beforeAll(async () => {
  rig = await startTradingRig(83, 'dd-deribit-main-', { deribit: true });
  // A slow portfolio poll: whatever reaches the portfolio sooner was pushed (user.changes) or read on a fill.
  engine = rig.makeEngine({ actionTimeoutMs: 1_000, executor: { statusDelayMs: 60, statusAttempts: 20 }, deribitPollMs: 30_000 });
  void engine.start();
  await until('Deribit ready to trade', () => engine.orders.snapshot().gates.some((g) => g.venue === 'deribit' && g.ready) && engine.venues.get('deribit')!.marketData.status().state === 'connected', 10_000);
});
afterAll(() => rig.close());

type Row = { state: string; clientId: string; intentId: string; filled: number; size: number; avgPrice: number; reason: string | null };
let n = 0;
const id = () => `dm-${Date.now()}-${++n}`;
const place = async (o: Record<string, unknown>): Promise<Row> => {
  const r = await engine.request('orders.place', { intentId: id(), venue: 'deribit', ...o });
  if (!r.ok) throw new Error(r.error.message);
  return r.value as Row;
};
const perpBook = () => {
  const c = rig.server.market.coin('BTC')!;
  return { bid: c.book.bestBidTicks * c.tick, ask: c.book.bestAskTicks * c.tick };
};

/** A raw WebSocket request to the simulator, as any client would send it. */
async function rawCall(ws: WebSocket, method: string, params: Record<string, unknown>): Promise<{ result?: unknown; error?: { code: number; message: string } }> {
  const reqId = Math.floor(Math.random() * 1e9);
  return new Promise((resolve) => {
    const on = (data: WebSocket.RawData): void => {
      const msg = JSON.parse(rawText(data)) as { id?: number; result?: unknown; error?: { code: number; message: string } };
      if (msg.id !== reqId) return;
      ws.off('message', on);
      resolve(msg);
    };
    ws.on('message', on);
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: reqId, method, params }));
  });
}

describe('Deribit orders go through main', () => {
  it("the engine's login (made by main) can read orders but not send one; the session main trades on can", async () => {
    const login = await rig.host.signing.signForEngine({ venue: 'deribit', kind: 'login' });
    expect(login.ok).toBe(true);
    const params = (login as { ok: true; value: { login: Record<string, unknown> } }).value.login;
    expect(params).toMatchObject({ grant_type: 'client_signature', client_id: PAPER_CREDENTIALS.clientId, scope: 'trade:read account:read' });
    expect(JSON.stringify(params)).not.toContain(PAPER_CREDENTIALS.clientSecret);
    const ws = new WebSocket(rig.deribitWsUrl!);
    await new Promise((r) => ws.once('open', r));
    expect((await rawCall(ws, 'public/auth', params)).result).toMatchObject({ scope: expect.stringContaining('trade:read ') as unknown });
    const { ask } = perpBook();
    const buy = await rawCall(ws, 'private/buy', { instrument_name: 'BTC-PERPETUAL', amount: 10, type: 'limit', price: ask, label: 'sneaky' });
    expect(buy.error).toEqual({ code: 13021, message: 'forbidden' });
    expect((await rawCall(ws, 'private/get_open_orders_by_currency', { currency: 'BTC' })).result).toEqual(expect.any(Array));
    // A signature replayed with a changed timestamp is not a login.
    expect((await rawCall(ws, 'public/auth', { ...params, timestamp: (params.timestamp as number) + 1 })).error).toMatchObject({ code: 13009 });
    ws.close();
    expect(rig.deribit!.trading.ordersByLabel('BTC', 'sneaky')).toEqual([]);
  });

  it("a BTC perpetual is sized as Deribit sizes it, in USD: 200 USD bought fills 200 USD; 205 is refused in Deribit's words", async () => {
    const { ask } = perpBook();
    const r = await place({ instrument: 'BTC-PERPETUAL', side: 'buy', size: 200, limit: Math.ceil(ask * 1.01 * 2) / 2, tif: 'Ioc' });
    expect(r).toMatchObject({ state: 'filled', filled: 200, reason: null });
    expect(rig.deribit!.trading.ordersByLabel('BTC', r.clientId)[0]).toMatchObject({ amount: 200, filled_amount: 200 });
    const odd = await place({ instrument: 'BTC-PERPETUAL', side: 'buy', size: 205, limit: Math.ceil(ask * 1.01 * 2) / 2, tif: 'Ioc' });
    expect(odd).toMatchObject({ state: 'rejected', reason: expect.stringMatching(/Deribit error/) as unknown });
    // Main journaled what it sent, under the API key's name.
    const line = (await rig.host.journal.recent(5)).find((e) => e.scheme === 'deribit-order' && e.outcome === 'signed');
    expect(line).toMatchObject({ signer: { kind: 'api-key', address: 'paper' }, intent: { kind: 'order', venue: 'deribit', underlying: 'BTC' } });
  });

  it('the budget reads the Deribit order main sends: over the order limit it is refused, journaled, and never reaches Deribit', async () => {
    const before = rig.host.vault.budget().record!.limits;
    await rig.host.vault.setBudget({ ...before, maxOrderNotionalUsd: 500 }, { approvedWith: 'passphrase', ledgerAddress: null, signature: null });
    try {
      const { bid } = perpBook();
      const r = await place({ instrument: 'BTC-PERPETUAL', side: 'buy', size: 5_000, limit: Math.round(bid * 0.9), tif: 'Gtc' });
      expect(r).toMatchObject({ state: 'rejected', reason: expect.stringMatching(/budget: order notional .* is over the limit of \$500/) as unknown });
      expect(rig.deribit!.trading.ordersByLabel('BTC', r.clientId)).toEqual([]);
      expect((await rig.host.journal.recent(3)).some((e) => e.outcome === 'refused' && e.scheme === 'deribit-order')).toBe(true);
      // Options are valued at the index: 0.2 BTC of puts is ~$20k of notional, far over $500.
      const put = rig.deribit!.market.options.find((o) => o.spec.coin === 'BTC' && o.spec.kind === 'put' && o.bids.length > 0)!;
      const p = await place({ instrument: put.spec.name, side: 'buy', size: 0.2, limit: put.bids[0]![0], tif: 'Gtc' });
      expect(p.reason).toMatch(/budget: order notional/);
    } finally {
      await rig.host.vault.setBudget(before, { approvedWith: 'passphrase', ledgerAddress: null, signature: null });
    }
  });

  it('with the vault locked nothing new is sent, but a resting order can still be cancelled', async () => {
    const { bid } = perpBook();
    const resting = await place({ instrument: 'BTC-PERPETUAL', side: 'buy', size: 10, limit: Math.round(bid * 0.9), tif: 'Gtc' });
    expect(resting.state).toBe('accepted');
    rig.host.vault.lock('test');
    try {
      const refused = await place({ instrument: 'BTC-PERPETUAL', side: 'buy', size: 10, limit: Math.round(bid * 0.9), tif: 'Gtc' });
      expect(refused).toMatchObject({ state: 'rejected', reason: expect.stringMatching(/vault is locked/) as unknown });
      const c = await engine.request('orders.cancel', { intentId: resting.intentId });
      expect(c).toMatchObject({ ok: true, value: { state: 'cancelled' } });
    } finally {
      await rig.host.vault.unlock(PASS);
    }
  });

  it("when main's trading connection dies, Deribit cancels what it sent (cancel-on-disconnect) and the engine shows why", async () => {
    const { bid } = perpBook();
    const resting = await place({ instrument: 'BTC-PERPETUAL', side: 'buy', size: 10, limit: Math.round(bid * 0.9), tif: 'Gtc' });
    expect(resting.state).toBe('accepted');
    rig.host.deribit!.link.close();
    await until('the order to be cancelled by Deribit', () => engine.orders.snapshot().orders.find((o) => o.intentId === resting.intentId)?.state === 'cancelled', 5_000);
    expect(engine.orders.snapshot().orders.find((o) => o.intentId === resting.intentId)!.reason).toMatch(/cancel_on_disconnect/);
    // The next order logs the connection in again.
    const again = await place({ instrument: 'BTC-PERPETUAL', side: 'buy', size: 10, limit: Math.round(bid * 0.9), tif: 'Gtc' });
    expect(again.state).toBe('accepted');
    await engine.request('orders.cancel', { intentId: again.intentId });
  });
});

describe('positions made elsewhere', () => {
  it("a trade made outside DeltaDesk (another client on the account) reaches the portfolio at once, from Deribit's user.changes", async () => {
    const o = rig.deribit!.market.options.find((x) => x.spec.coin === 'BTC' && x.spec.kind === 'call' && x.asks.length > 1 && x.ask < 0.05)!;
    const held = () => engine.portfolio.riskNow().positions.find((p) => p.def.source === 'deribit' && p.def.instrument === o.spec.name)?.def.quantity ?? 0;
    const before = held();
    const ws = new WebSocket(rig.deribitWsUrl!);
    await new Promise((r) => ws.once('open', r));
    await rawCall(ws, 'public/auth', { grant_type: 'client_credentials', client_id: PAPER_CREDENTIALS.clientId, client_secret: PAPER_CREDENTIALS.clientSecret });
    const t0 = Date.now();
    expect((await rawCall(ws, 'private/buy', { instrument_name: o.spec.name, amount: 0.3, type: 'limit', price: o.asks[0]![0], time_in_force: 'immediate_or_cancel' })).error).toBeUndefined();
    // The portfolio's own poll is every 3 s; the push brings it well inside one second.
    await until('the portfolio to hold the option bought elsewhere', () => Math.abs(held() - (before + 0.3)) < 1e-9, 1_000);
    expect(Date.now() - t0).toBeLessThan(1_000);
    ws.close();
  });
});

describe('a Deribit API key from the vault (testnet)', () => {
  it('main logs in with client_signature from the sealed secret; without a key it says what to do', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dd-deribit-key-'));
    const host = new VaultHost({
      dataDir: dir,
      network: 'testnet',
      hyperliquidHttpUrl: () => Promise.resolve(rig.httpUrl),
      openLedger: () => Promise.resolve(new LedgerEmulator()),
      scryptCost: { N: 2 ** 10, r: 8, p: 1 },
      deribit: () => Promise.resolve({ wsUrl: rig.deribitWsUrl!, network: 'testnet' as const, paperKey: PAPER_CREDENTIALS }),
    });
    try {
      await host.start();
      await host.vault.create(PASS);
      // Testnet never falls back to the simulator's paper key.
      expect(await host.signing.signForEngine({ venue: 'deribit', kind: 'login' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/no Deribit API key for testnet in the vault/) as unknown } });
      await host.vault.addApiKey({ venue: 'deribit', network: 'testnet', clientId: PAPER_CREDENTIALS.clientId, clientSecret: PAPER_CREDENTIALS.clientSecret, label: 'desk' });
      const login = await host.signing.signForEngine({ venue: 'deribit', kind: 'login' });
      const ws = new WebSocket(rig.deribitWsUrl!);
      await new Promise((r) => ws.once('open', r));
      expect((await rawCall(ws, 'public/auth', (login as { ok: true; value: { login: Record<string, unknown> } }).value.login)).result).toMatchObject({ access_token: expect.any(String) as unknown });
      ws.close();
      host.vault.lock('test');
      expect(await host.signing.signForEngine({ venue: 'deribit', kind: 'login' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/vault is locked/) as unknown } });
    } finally {
      host.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
