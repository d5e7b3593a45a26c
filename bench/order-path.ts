import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Wallet } from 'ethers';
import { WebSocket } from 'ws';
import { EngineJournal } from '../electron/engine/journal/journal-db.ts';
import { Executor } from '../electron/engine/orders/executor.ts';
import { PaperPerpAccount } from '../electron/sim/hyperliquid/paper-account.ts';
import { SimMatching } from '../electron/sim/hyperliquid/matching.ts';
import { HyperliquidSimServer } from '../electron/sim/hyperliquid/server.ts';
import { SimMarket } from '../electron/sim/sim-market.ts';
import { rawText } from '../electron/venues/common/ws-text.ts';
import { HyperliquidExecution } from '../electron/venues/hyperliquid/execution.ts';
import { WsPoster } from '../electron/venues/hyperliquid/ws-post.ts';
import { VaultHost } from '../electron/vault/vault-host.ts';
import { percentile, type Row } from './measure.ts';

/*
 * The order path as a hedge takes it: an intent into the executor, main's guard (reading the
 * venue's positions and orders over /info on loopback), the agent's signature, the signature
 * journal on disk, the engine journal queued, the action formatted and written to the WebSocket
 * — timed up to the moment its bytes are handed to the socket. Then the simulator's matching
 * engine on its own, against the order rate Hyperliquid publishes for its own.
 */
export async function benchOrderPath(): Promise<Row[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dd-bench-orders-'));
  const server = new HyperliquidSimServer({ market: new SimMarket({ seed: 5, now: Date.now(), historyMs: 60_000 }), stepMs: 3_600_000 });
  const { httpUrl, wsUrl } = await server.listen();
  const host = new VaultHost({ dataDir: dir, network: 'paper', hyperliquidHttpUrl: () => Promise.resolve(httpUrl), openLedger: () => Promise.reject(new Error('no Ledger')) });
  let socket: WebSocket | null = null;
  try {
    await host.start();
    const pass = 'orbit-canvas-tulip-87-ledger';
    await host.vault.create(pass);
    const master = await host.vault.importPrivateKey(Wallet.createRandom().privateKey, { label: 'm', role: 'master', venue: 'any' });
    await host.signing.approveAgent({ master: { kind: 'local', keyId: master.id }, name: 'bench', validDays: 1, confirm: { kind: 'passphrase', passphrase: pass } });
    await host.vault.setBudget({ maxOrderNotionalUsd: 1e9, maxPositionUsd: { '*': 1e10 }, maxDailyHedgeNotionalUsd: 1e12, maxDailyCollateralUsd: 0 }, { approvedWith: 'passphrase', ledgerAddress: null, signature: null });
    const ws = new WebSocket(wsUrl);
    socket = ws;
    await new Promise((r) => ws.once('open', r));
    let sentAt = 0;
    const poster = new WsPoster(
      (frame) => {
        sentAt = performance.now();
        ws.send(frame);
        return true;
      },
      () => ws.readyState === WebSocket.OPEN,
    );
    ws.on('message', (d) => {
      const m = JSON.parse(rawText(d)) as { channel: string; data: unknown };
      if (m.channel === 'post') poster.answer(m.data);
    });
    const signMs: number[] = [];
    const execution = new HyperliquidExecution({
      httpUrl: () => httpUrl,
      poster,
      sign: async (r) => {
        const t = performance.now();
        const signed = await host.signing.signForEngine({ venue: 'hyperliquid', action: r.action, purpose: r.purpose, summary: r.summary, ...(r.expiresAfter ? { expiresAfter: r.expiresAfter } : {}) });
        signMs.push(performance.now() - t);
        if (!signed.ok) throw new Error(signed.error.message);
        return signed.value;
      },
    });
    const journal = new EngineJournal(path.join(dir, 'journal.sqlite'));
    const executor = new Executor(execution, { journal, venue: 'hyperliquid' });
    const bid = server.market.coin('BTC')!.bestBid();
    const wire: number[] = [];
    for (let i = 0; i < 330; i++) {
      const t0 = performance.now();
      await executor.submit({ intentId: `bench-${i}`, instrument: 'BTC', side: 'buy', size: 0.001, price: Math.round(bid * 0.9) - i, tif: 'Gtc', reduceOnly: false, purpose: 'hedge' });
      if (i >= 30) wire.push(sentAt - t0); // the first orders warm the caches and the JIT
    }
    journal.close();
    wire.sort((a, b) => a - b);
    const signs = signMs.slice(30).sort((a, b) => a - b);
    const match = matchingRate();
    return [
      { bench: 'order intent → bytes on the WebSocket (guard with the venue view ≤ 2 s old, sign, signature journal fsync, engine journal), p50 / p99', result: `${percentile(wire, 50).toFixed(2)} / ${percentile(wire, 99).toFixed(2)} ms`, against: 'limit p99 5 ms', ratio: `${(percentile(wire, 99) / 5).toFixed(2)}× of limit` },
      { bench: '  of which main’s sign (guard + signature + journal fsync), p50 / p99', result: `${percentile(signs, 50).toFixed(2)} / ${percentile(signs, 99).toFixed(2)} ms`, against: 'the wire figure above', ratio: `${((percentile(signs, 50) / percentile(wire, 50)) * 100).toFixed(0)} % of it` },
      { bench: 'simulator matching: Gtc rests + Ioc takes + cancels, orders per second', result: `${Math.round(match).toLocaleString('en-US')} /s`, against: 'Hyperliquid’s published 200,000 orders/s', ratio: `${(match / 200_000).toFixed(2)}×` },
    ];
  } finally {
    socket?.close();
    host.stop();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The matching engine alone: a resting bid, an Ioc that takes the touch, a cancel — three orders a round. */
function matchingRate(): number {
  const market = new SimMarket({ seed: 9, now: Date.now(), historyMs: 60_000 });
  const accounts = new Map<string, PaperPerpAccount>();
  const account = (u: string): PaperPerpAccount => {
    let a = accounts.get(u);
    if (!a) accounts.set(u, (a = new PaperPerpAccount(market, Date.now(), { seeded: false, cash: 1e12, address: u })));
    return a;
  };
  const m = new SimMatching(market, account, Date.now);
  const coin = market.coin('BTC')!;
  const user = '0x' + '1'.repeat(40);
  let oid = 1;
  const rounds = 20_000;
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) {
    const bid = coin.bestBid();
    const ask = coin.bestAsk();
    const rest = oid++;
    m.place(user, { a: 0, b: true, p: String(Math.round(bid * 0.99)), s: '0.001', r: false, t: { limit: { tif: 'Gtc' } } }, rest);
    m.place(user, { a: 0, b: i % 2 === 0, p: String(i % 2 === 0 ? ask : bid), s: '0.001', r: false, t: { limit: { tif: 'Ioc' } } }, oid++);
    m.cancel(user, (o) => o.oid === rest);
  }
  return (rounds * 3) / ((performance.now() - t0) / 1000);
}
