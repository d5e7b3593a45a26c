import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { computeAddress } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Executor, type OrderIntent } from '../../electron/engine/orders/executor.ts';
import { EngineJournal } from '../../electron/engine/journal/journal-db.ts';
import { HyperliquidSimServer } from '../../electron/sim/hyperliquid/server.ts';
import { SimMarket } from '../../electron/sim/sim-market.ts';
import { Random } from '../../electron/sim/random.ts';
import { HyperliquidExecution } from '../../electron/venues/hyperliquid/execution.ts';
import { VaultHost } from '../../electron/vault/vault-host.ts';
import { LedgerEmulator } from '../support/ledger-emulator.ts';

/*
 * One intent, one order, whatever the network does: the executor against the trading simulator,
 * signing through the real vault and budget guard, with answers lost, requests that never
 * arrive, and the same intent submitted many times at once.
 */
const PASS = 'orbit-canvas-tulip-87-ledger';
const MASTER_KEY = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318';
const MASTER = computeAddress(MASTER_KEY).toLowerCase();
let server: HyperliquidSimServer;
let httpUrl: string;
let dir: string;
let host: VaultHost;
let journal: EngineJournal;

function execution(timeoutMs = 2_000, actionTtlMs?: number): HyperliquidExecution {
  return new HyperliquidExecution({
    httpUrl: () => httpUrl,
    user: MASTER,
    timeoutMs,
    ...(actionTtlMs ? { actionTtlMs } : {}),
    sign: async (req) => {
      const r = await host.signing.signForEngine({ venue: 'hyperliquid', action: req.action, purpose: req.purpose, summary: req.summary, ...(req.expiresAfter ? { expiresAfter: req.expiresAfter } : {}) });
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    },
  });
}

beforeAll(async () => {
  server = new HyperliquidSimServer({ market: new SimMarket({ seed: 21, now: Date.now(), historyMs: 600_000 }), stepMs: 3_600_000 });
  ({ httpUrl } = await server.listen());
  dir = await mkdtemp(path.join(os.tmpdir(), 'dd-executor-'));
  host = new VaultHost({ dataDir: dir, network: 'paper', hyperliquidHttpUrl: () => Promise.resolve(httpUrl), openLedger: () => Promise.resolve(new LedgerEmulator()), scryptCost: { N: 2 ** 10, r: 8, p: 1 } });
  await host.start();
  await host.vault.create(PASS);
  const master = await host.vault.importPrivateKey(MASTER_KEY, { label: 'Main', role: 'master', venue: 'any' });
  await host.signing.approveAgent({ master: { kind: 'local', keyId: master.id }, name: 'exec', validDays: 2, confirm: { kind: 'passphrase', passphrase: PASS } });
  await host.vault.setBudget({ maxOrderNotionalUsd: 1e7, maxPositionUsd: { '*': 1e8 }, maxDailyHedgeNotionalUsd: 1e9, maxDailyCollateralUsd: 0 }, { approvedWith: 'passphrase', ledgerAddress: null, signature: null });
  journal = new EngineJournal(path.join(dir, 'journal.sqlite'));
});
afterAll(async () => {
  journal.close();
  host.stop();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const btc = () => server.market.coin('BTC')!;
/** Orders the venue accepted with this client id (every one it ever saw, live or not). */
const venueOrdersFor = (cloid: string) => server.exchange.acceptedOrders().filter((o) => (o.order as { c?: string }).c === cloid);
const fault = (f: Record<string, unknown>) => server.apply(f as never);
let n = 0;
const intent = (over: Partial<OrderIntent> = {}): OrderIntent => ({ intentId: `test:${++n}`, instrument: 'BTC', side: 'buy', size: 0.001, price: Math.round(btc().bestBid() * 0.99), tif: 'Gtc', reduceOnly: false, purpose: 'manual', ...over });

describe('the executor', () => {
  it('rests a Gtc order; the same intent again, or ten at once, is the same order, sent once', async () => {
    const ex = new Executor(execution(), { journal });
    const i = intent();
    const orders = await Promise.all(Array.from({ length: 10 }, () => ex.submit(i)));
    expect(new Set(orders.map((o) => o.clientId)).size).toBe(1);
    expect(orders[0]).toMatchObject({ state: 'accepted', venueOrderId: expect.any(String) as unknown });
    expect(await ex.submit(i)).toBe(ex.order(i.intentId));
    expect(venueOrdersFor(orders[0]!.clientId)).toHaveLength(1);
  });

  it('an Ioc whose answer is lost: the venue is asked, the fill adopted from its fills, nothing sent twice', async () => {
    const ex = new Executor(execution(), { journal });
    const i = intent({ tif: 'Ioc', price: Math.round(btc().bestAsk() * 1.01), size: 0.002 });
    fault({ fault: 'loseAnswers', count: 1 });
    const o = await ex.submit(i);
    expect(o).toMatchObject({ state: 'filled', filled: 0.002 });
    expect(o.avgPrice).toBeGreaterThan(0);
    expect(venueOrdersFor(o.clientId)).toHaveLength(1);
  });

  it('a Gtc whose answer is lost is found resting at the venue and adopted', async () => {
    const ex = new Executor(execution(), { journal });
    fault({ fault: 'loseAnswers', count: 1 });
    const o = await ex.submit(intent());
    expect(o.state).toBe('accepted');
    expect(venueOrdersFor(o.clientId)).toHaveLength(1);
  });

  it('a request that never reached the venue is sent again with the same client id, once it says it never saw it', async () => {
    const ex = new Executor(execution(150), { journal, statusDelayMs: 100, statusAttempts: 10 });
    fault({ fault: 'stall', ms: 400 });
    const o = await ex.submit(intent());
    expect(o.state).toBe('accepted');
    expect(venueOrdersFor(o.clientId)).toHaveLength(1);
  });

  it('an order that reaches the venue after the executor gave up on it is refused by its expiry: one order, not two', async () => {
    // The first request takes 1.5 s to arrive; the client hears nothing after 150 ms.
    const ex = new Executor(execution(150, 400), { journal, statusDelayMs: 60, statusAttempts: 3, expiryMarginMs: 200 });
    fault({ fault: 'slowRequests', count: 1, ms: 1_500 });
    const t0 = Date.now();
    const o = await ex.submit(intent());
    // "Never seen" was believed only once the first could no longer land (400 ms + 200 ms), then it was sent again.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(600);
    expect(o.state).toBe('accepted');
    await new Promise((r) => setTimeout(r, 1_600));
    expect(venueOrdersFor(o.clientId)).toHaveLength(1);
  });

  it("a refusal is the venue's words, and the order is rejected, not retried", async () => {
    const ex = new Executor(execution(), { journal });
    const o = await ex.submit(intent({ size: 0.00001 }));
    expect(o).toMatchObject({ state: 'rejected', reason: 'Order must have minimum value of $10. asset=0' });
    expect(venueOrdersFor(o.clientId)).toHaveLength(1);
  });

  it('chaos: 40 seeded intents with lost answers, stalls, late arrivals and repeats — no intent ever has two orders, engine and venue agree', async () => {
    const rng = new Random(77);
    const ex = new Executor(execution(200, 500), { journal, statusDelayMs: 80, statusAttempts: 15, expiryMarginMs: 200 });
    const intents: OrderIntent[] = [];
    const injected = { lost: 0, stalls: 0, slow: 0, repeats: 0 };
    for (let k = 0; k < 40; k++) {
      const ioc = rng.next() < 0.3;
      intents.push(intent({ tif: ioc ? 'Ioc' : 'Gtc', price: Math.round(ioc ? btc().bestAsk() * 1.01 : btc().bestBid() * (0.97 + rng.next() * 0.02)), size: 0.001 + Math.floor(rng.next() * 3) / 1000 }));
    }
    await Promise.all(
      intents.map(async (i, k) => {
        await new Promise((r) => setTimeout(r, k * 15));
        const roll = rng.next();
        if (roll < 0.25) {
          fault({ fault: 'loseAnswers', count: 1 });
          injected.lost++;
        } else if (roll < 0.35) {
          fault({ fault: 'stall', ms: 250 });
          injected.stalls++;
        } else if (roll < 0.45) {
          // Arrives after its expiry: the venue must refuse it, whatever the executor did meanwhile.
          fault({ fault: 'slowRequests', count: 1, ms: 900 });
          injected.slow++;
        }
        const repeats = rng.next() < 0.3 ? 3 : 1;
        if (repeats > 1) injected.repeats++;
        await Promise.all(Array.from({ length: repeats }, () => ex.submit(i)));
      }),
    );
    // Faults may have landed on other intents' requests; every intent still ends in one order.
    for (const i of intents) {
      const o = ex.order(i.intentId)!;
      const atVenue = venueOrdersFor(o.clientId);
      expect(atVenue.length, i.intentId).toBeLessThanOrEqual(1);
      const status = (await (await fetch(`${httpUrl}/info`, { method: 'POST', body: JSON.stringify({ type: 'orderStatus', user: MASTER, oid: o.clientId }) })).json()) as { status: string; order?: { status: string } };
      if (o.state === 'accepted') expect(status.order?.status).toBe('open');
      if (o.state === 'filled') expect(status.order?.status).toBe('filled');
      if (o.state === 'rejected' && atVenue.length === 0) expect(status.status).toBe('unknownOid');
    }
    expect(injected.lost + injected.stalls).toBeGreaterThan(5);
    console.log(`executor chaos: ${intents.length} intents, ${injected.lost} lost answers, ${injected.stalls} stalls, ${injected.slow} requests arriving after their expiry, ${injected.repeats} repeated submissions`);
  }, 60_000);

  it('reconciles after a reconnect: a fill it missed is applied once, a cancel made at the venue is adopted', async () => {
    const ex = new Executor(execution(), { journal });
    const px = Math.round(btc().bestBid() * 0.999);
    const toFill = await ex.submit(intent({ price: px, size: 0.002 }));
    const toCancel = await ex.submit(intent({ price: px - 800, size: 0.001 }));
    expect([toFill.state, toCancel.state]).toEqual(['accepted', 'accepted']);
    // While DeltaDesk was away: the market traded through the first; the second was cancelled at the venue.
    btc().book.update(px / btc().tick - 5);
    server.matching.onMarketStep();
    server.matching.cancel(MASTER, (o) => o.cloid === toCancel.clientId);
    expect(await ex.reconcile()).toBe(2);
    expect(ex.order(`test:${n - 1}`)).toMatchObject({ state: 'filled', filled: 0.002, avgPrice: px });
    expect(ex.order(`test:${n}`)).toMatchObject({ state: 'cancelled', reason: 'canceled' });
    // Asking again changes nothing: no fill counted twice.
    expect(await ex.reconcile()).toBe(0);
    expect(ex.order(`test:${n - 1}`)!.fillIds).toHaveLength(new Set(ex.order(`test:${n - 1}`)!.fillIds).size);
  });

  it('journals every order and each of its moves through the table', () => {
    const events = journal.read({ kind: 'order-event' });
    expect(events.length).toBeGreaterThan(40);
    expect(events.every((e) => typeof (e.body as { to: string }).to === 'string')).toBe(true);
    expect(journal.read({ kind: 'order' }).length).toBeGreaterThanOrEqual(45);
  });
});
