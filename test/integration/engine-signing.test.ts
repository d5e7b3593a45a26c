import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { computeAddress } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../electron/border/engine-client.ts';
import type { EngineToHost, HostToEngine } from '../../electron/engine/host-protocol.ts';
import { hostToEngineSchema } from '../../electron/engine/host-protocol.ts';
import { SignClient, SignRefused } from '../../electron/engine/orders/sign-client.ts';
import { HyperliquidSimServer } from '../../electron/sim/hyperliquid/server.ts';
import { SimMarket } from '../../electron/sim/sim-market.ts';
import { postExchange } from '../../electron/venues/hyperliquid/exchange-client.ts';
import { VaultHost } from '../../electron/vault/vault-host.ts';
import { LedgerEmulator } from '../support/ledger-emulator.ts';

/*
 * The engine asks main to sign, over the same message link the hosts use: the engine's
 * SignClient on one side, the host's EngineClient with the real vault and budget guard on the
 * other, and the Hyperliquid simulator checking the signature it produced.
 */
const PASS = 'orbit-canvas-tulip-87-ledger';
const MASTER_KEY = '0x822e9959e022b78423eb653a62ea0020cd283e71a2a8133a6ff2aeffaf373cff';
let server: HyperliquidSimServer;
let httpUrl: string;
let dir: string;
let host: VaultHost;
let engineSide: SignClient;
let toEngine: ((m: HostToEngine) => void) | null = null;

beforeAll(async () => {
  server = new HyperliquidSimServer({ market: new SimMarket({ seed: 8, now: Date.now(), historyMs: 600_000 }) });
  ({ httpUrl } = await server.listen());
  dir = await mkdtemp(path.join(os.tmpdir(), 'dd-engine-sign-'));
  host = new VaultHost({ dataDir: dir, network: 'paper', hyperliquidHttpUrl: () => Promise.resolve(httpUrl), openLedger: () => Promise.resolve(new LedgerEmulator()), scryptCost: { N: 2 ** 10, r: 8, p: 1 } });
  await host.start();
  await host.vault.create(PASS);
  // The link: what the engine posts reaches the host's client, and back, as structured clones.
  const hostListeners: ((m: EngineToHost) => void)[] = [];
  engineSide = new SignClient((m) => hostListeners.forEach((l) => l(structuredClone(m))), 2_000);
  toEngine = (m) => {
    const parsed = hostToEngineSchema.parse(structuredClone(m));
    if (parsed.type === 'sign-result') engineSide.answer(parsed.id, parsed.result);
  };
  new EngineClient({ post: (m) => toEngine?.(m), onMessage: (l) => hostListeners.push(l) }, 15_000, () => (req) => host.signing.signForEngine(req));
});
afterAll(async () => {
  host.stop();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const mid = async (): Promise<number> => Number(((await (await fetch(`${httpUrl}/info`, { method: 'POST', body: JSON.stringify({ type: 'allMids' }) })).json()) as Record<string, string>).BTC);
const order = (px: string, sz: string) => ({ type: 'order', orders: [{ a: 0, b: true, p: px, s: sz, r: false, t: { limit: { tif: 'Gtc' } } }], grouping: 'na' });

describe('the engine asks main to sign', () => {
  it('with no approved agent, main refuses and says what to do', async () => {
    await expect(engineSide.sign({ venue: 'hyperliquid', action: order('1000', '0.01'), purpose: 'hedge' })).rejects.toThrow(/no approved Hyperliquid agent on paper: approve one in Vault/);
  });

  it('main picks the agent, guards the action, signs; the venue accepts it for the master; a refusal names the limit', async () => {
    const master = await host.vault.importPrivateKey(MASTER_KEY, { label: 'Main', role: 'master', venue: 'any' });
    await host.signing.approveAgent({ master: { kind: 'local', keyId: master.id }, name: 'engine', validDays: 2, confirm: { kind: 'passphrase', passphrase: PASS } });
    await host.vault.setBudget({ maxOrderNotionalUsd: 5_000, maxPositionUsd: { '*': 50_000 }, maxDailyHedgeNotionalUsd: 50_000, maxDailyCollateralUsd: 0 }, { approvedWith: 'passphrase', ledgerAddress: null, signature: null });
    const m = await mid();
    const action = order(Math.round(m * 0.5).toString(), '0.01');
    const signed = await engineSide.sign({ venue: 'hyperliquid', action, purpose: 'hedge', summary: 'hedge step' });
    const answer = await postExchange(httpUrl, { action, nonce: signed.nonce, signature: signed.signature, vaultAddress: null });
    expect(answer).toMatchObject({ status: 'ok' });
    expect(server.exchange.acceptedOrders().at(-1)).toMatchObject({ user: computeAddress(MASTER_KEY).toLowerCase() });
    const big = engineSide.sign({ venue: 'hyperliquid', action: order(Math.round(m).toString(), '1'), purpose: 'hedge' });
    await expect(big).rejects.toBeInstanceOf(SignRefused);
    await expect(big).rejects.toThrow(/budget: order notional \(buy 1 BTC\) .* is over the limit of \$5,000/);
  });

  it('a request main cannot read is refused by name, not signed', async () => {
    const bad = engineSide.sign({ venue: 'hyperliquid', action: order('1', '1'), purpose: 'hedge', keyId: 'k-0000000000000000' } as never);
    await expect(bad).rejects.toThrow(/signature request: .*keyId|Unrecognized key/);
  });

  it('no answer in time is a refusal; a late answer is dropped', async () => {
    const saved = toEngine;
    let held: HostToEngine | null = null;
    toEngine = (m) => void (held = m);
    await expect(engineSide.sign({ venue: 'hyperliquid', action: { type: 'cancel', cancels: [{ a: 0, o: 1 }] }, purpose: 'manual' })).rejects.toThrow(/did not answer .* nothing was sent/);
    toEngine = saved;
    await new Promise((r) => setTimeout(r, 50));
    expect(held).not.toBeNull();
    expect(() => saved!(held!)).not.toThrow();
  });
});
