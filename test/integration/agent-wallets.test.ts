import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HyperliquidSimServer } from '../../electron/sim/hyperliquid/server.ts';
import { SimMarket } from '../../electron/sim/sim-market.ts';
import { claimPaperFunds, postExchange } from '../../electron/venues/hyperliquid/exchange-client.ts';
import { LedgerDevice } from '../../electron/vault/ledger/ledger-device.ts';
import { SignatureJournal, type JournalEntry } from '../../electron/vault/signature-journal.ts';
import { SigningService } from '../../electron/vault/signing-service.ts';
import { hyperliquidVenueView } from '../../electron/vault/guard/venue-view.ts';
import { Vault } from '../../electron/vault/vault.ts';
import { LedgerEmulator } from '../support/ledger-emulator.ts';
import { LEDGER_ADDRESS } from '../fixtures/ledger/replay-cases.ts';

/*
 * The whole chain against the Hyperliquid-wire simulator: a master (local key or Ledger) approves
 * a fresh agent, the simulator verifies the signature and records the agent with its expiry, the
 * agent signs an order that the simulator attributes to the master, and the budget guard refuses
 * what is over the limits before anything is signed.
 */
const PASS = 'orbit-canvas-tulip-87-ledger';
const MASTER_KEY = '0x0123456789012345678901234567890123456789012345678901234567890123';
const MASTER = '0x14791697260e4c9a71f18484c9f997b308e59325';
const LIMITS = { maxOrderNotionalUsd: 20_000, maxPositionUsd: { '*': 100_000, BTC: 250_000 }, maxDailyHedgeNotionalUsd: 30_000, maxDailyCollateralUsd: 5_000 };

let server: HyperliquidSimServer;
let httpUrl: string;
let dir: string;
let vault: Vault;
let journal: SignatureJournal;
let service: SigningService;
let emu: LedgerEmulator;

beforeAll(async () => {
  server = new HyperliquidSimServer({ market: new SimMarket({ seed: 5, now: Date.now(), historyMs: 600_000 }) });
  ({ httpUrl } = await server.listen());
});
afterAll(() => server.close());

beforeEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = await mkdtemp(path.join(os.tmpdir(), 'dd-agents-'));
  vault = new Vault(path.join(dir, 'vault.json'), { scryptCost: { N: 2 ** 10, r: 8, p: 1 } });
  await vault.load();
  await vault.create(PASS);
  journal = new SignatureJournal(path.join(dir, 'signatures.jsonl'));
  await journal.load();
  emu = new LedgerEmulator();
  service = new SigningService({ vault, journal, ledger: new LedgerDevice(() => Promise.resolve(emu)), hyperliquid: { network: 'paper', post: (env) => postExchange(httpUrl, env), fundPaper: (u) => claimPaperFunds(httpUrl, u) }, venueView: hyperliquidVenueView(() => Promise.resolve(httpUrl)) });
});

const agentsOnVenue = async (user: string): Promise<{ address: string; name: string; validUntil: number | null }[]> =>
  (await (await fetch(`${httpUrl}/info`, { method: 'POST', body: JSON.stringify({ type: 'extraAgents', user }) })).json()) as never;

const order = (px: string, sz: string) => ({ type: 'order', orders: [{ a: 0, b: true, p: px, s: sz, r: false, t: { limit: { tif: 'Gtc' } } }], grouping: 'na' });
const confirm = { kind: 'passphrase' as const, passphrase: PASS };
const btcMid = async (): Promise<number> => Number(((await (await fetch(`${httpUrl}/info`, { method: 'POST', body: JSON.stringify({ type: 'allMids' }) })).json()) as Record<string, string>).BTC);

describe('Hyperliquid agent wallets', () => {
  it('a local master approves a fresh agent; the venue records it with its expiry; the agent trades for the master', async () => {
    const master = await vault.importPrivateKey(MASTER_KEY, { label: 'Main', role: 'master', venue: 'any' });
    const agent = await service.approveAgent({ master: { kind: 'local', keyId: master.id }, name: 'hedger', validDays: 30, confirm });
    expect(agent.agent).toMatchObject({ master: MASTER, name: 'hedger', approvedWith: 'local', network: 'paper' });
    expect(agent.agent!.validUntil! - Date.now()).toBeGreaterThan(29.9 * 86_400_000);
    expect(await agentsOnVenue(MASTER)).toEqual([{ address: agent.address.toLowerCase(), name: 'hedger', validUntil: agent.agent!.validUntil }]);

    await vault.setBudget(LIMITS, { approvedWith: 'passphrase', ledgerAddress: null, signature: null });
    const before = server.exchange.acceptedOrders().length;
    // Well below the market, so it rests on the book.
    const px = Math.round((await btcMid()) * 0.9).toString();
    const answer = await service.sendL1({ agentKeyId: agent.id, action: order(px, '0.1'), purpose: 'manual', summary: `buy 0.1 BTC @ ${px}` });
    expect(answer).toMatchObject({ status: 'ok', response: { type: 'order', data: { statuses: [{ resting: {} }] } } });
    const placed = server.exchange.acceptedOrders().slice(before);
    expect(placed).toHaveLength(1);
    expect(placed[0]).toMatchObject({ user: MASTER, signer: agent.address.toLowerCase() });
  });

  it('approving again makes a new agent at a new address (never reused); the same name replaces the old one', async () => {
    const master = await vault.importPrivateKey(MASTER_KEY, { label: 'Main', role: 'master', venue: 'any' });
    const first = await service.approveAgent({ master: { kind: 'local', keyId: master.id }, name: 'rotate', validDays: 7, confirm });
    const second = await service.approveAgent({ master: { kind: 'local', keyId: master.id }, name: 'rotate', validDays: 7, confirm });
    expect(second.address).not.toBe(first.address);
    const onVenue = (await agentsOnVenue(MASTER)).filter((a) => a.name === 'rotate');
    expect(onVenue.map((a) => a.address)).toEqual([second.address.toLowerCase()]);
  });

  it('a Ledger approves the agent: the device is shown the hashes, and the venue recovers the Ledger address', async () => {
    await vault.rememberLedgerAccount({ address: LEDGER_ADDRESS, path: "m/44'/60'/0'/0/0", label: 'Nano' });
    const agent = await service.approveAgent({ master: { kind: 'ledger', address: LEDGER_ADDRESS }, name: 'hw', validDays: 90, confirm: { kind: 'ledger', address: LEDGER_ADDRESS } });
    expect(agent.agent).toMatchObject({ master: LEDGER_ADDRESS.toLowerCase(), approvedWith: 'ledger' });
    expect(emu.lastReview[0]).toMatch(/^Domain hash [0-9a-f]{64}$/);
    expect((await agentsOnVenue(LEDGER_ADDRESS)).map((a) => a.address)).toEqual([agent.address.toLowerCase()]);
  });

  it('revoke-all: a Ledger master is asked on the device, a local one by the passphrase; every slot goes to a burned address and the vault locks', async () => {
    await vault.rememberLedgerAccount({ address: LEDGER_ADDRESS, path: "m/44'/60'/0'/0/0", label: 'Nano' });
    const master = await vault.importPrivateKey(MASTER_KEY, { label: 'Main', role: 'master', venue: 'any' });
    const hw = await service.approveAgent({ master: { kind: 'ledger', address: LEDGER_ADDRESS }, name: 'hw', validDays: 90, confirm: { kind: 'ledger', address: LEDGER_ADDRESS } });
    // The venue keeps at most three named agents per master: this one takes the "rotate" slot over.
    const local = await service.approveAgent({ master: { kind: 'local', keyId: master.id }, name: 'rotate', validDays: 9, confirm });
    emu.lastReview = [];
    const result = await service.revokeAll(confirm);
    expect(result.failed).toEqual([]);
    expect(result.revoked).toHaveLength(2);
    // The Ledger signed its own agent's replacement: the device was shown the hashes.
    expect(emu.lastReview[0]).toMatch(/^Domain hash [0-9a-f]{64}$/);
    const hwNow = (await agentsOnVenue(LEDGER_ADDRESS)).filter((a) => a.name === 'hw');
    const deskNow = (await agentsOnVenue(MASTER)).filter((a) => a.name === 'rotate');
    expect(hwNow.map((a) => a.address)).not.toContain(hw.address.toLowerCase());
    expect(deskNow.map((a) => a.address)).not.toContain(local.address.toLowerCase());
    expect([hwNow.length, deskNow.length]).toEqual([1, 1]);
    expect(vault.isUnlocked).toBe(false);
  });

  it('rejecting on the Ledger approves nothing and keeps no agent key, but burns the address', async () => {
    await vault.rememberLedgerAccount({ address: LEDGER_ADDRESS, path: "m/44'/60'/0'/0/0", label: 'Nano' });
    emu.settings.user = 'reject';
    await expect(service.approveAgent({ master: { kind: 'ledger', address: LEDGER_ADDRESS }, name: 'no', validDays: 3, confirm: { kind: 'ledger', address: LEDGER_ADDRESS } })).rejects.toThrow(/Rejected on the Ledger/);
    expect(vault.describe().keys).toHaveLength(0);
    const file = JSON.parse(await readFile(path.join(dir, 'vault.json'), 'utf8')) as { usedAgentAddresses: string[] };
    expect(file.usedAgentAddresses).toHaveLength(1);
  });

  it('the budget guard values the order from the venue, refuses before signing, and journals the refusal', async () => {
    const master = await vault.importPrivateKey(MASTER_KEY, { label: 'Main', role: 'master', venue: 'any' });
    const agent = await service.approveAgent({ master: { kind: 'local', keyId: master.id }, name: 'guarded', validDays: 1, confirm });
    const mid = await btcMid();
    // Sized from the simulator's own mid, so each order is worth a known amount at the market.
    const send = (usd: number) => service.sendL1({ agentKeyId: agent.id, action: order((mid * 0.5).toFixed(0), (usd / mid).toFixed(5)), purpose: 'hedge' });

    await expect(send(1_000)).rejects.toThrow(/no budget approved yet/);
    await vault.setBudget(LIMITS, { approvedWith: 'passphrase', ledgerAddress: null, signature: null });
    const before = server.exchange.acceptedOrders().length;
    await expect(send(25_000)).rejects.toThrow(/^budget: order notional \(buy [\d.]+ BTC\) \$2[45],\d{3} is over the limit of \$20,000/);
    await expect(send(15_000)).resolves.toMatchObject({ status: 'ok' });
    await expect(send(16_000)).rejects.toThrow(/^budget: order notional signed in the last 24 h would be \$3[01],\d{3} is over the limit of \$30,000/);
    expect(server.exchange.acceptedOrders().length - before).toBe(1);

    const lines = (await readFile(path.join(dir, 'signatures.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as JournalEntry);
    const refused = lines.filter((l) => l.outcome === 'refused');
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused.at(-1)).toMatchObject({ limits: LIMITS, scheme: 'hl-l1' });
    // A restart keeps the last 24 hours' totals.
    const reread = new SignatureJournal(path.join(dir, 'signatures.jsonl'));
    await reread.load();
    expect(reread.usage().hedgeNotionalUsd).toBeCloseTo(15_000, -2);
  });

  it('an expired agent does not sign; a tampered signature is an unknown user on the venue', async () => {
    // Another master: the first one already has the venue's maximum of three named agents.
    const master = await vault.importPrivateKey('0x822e9959e022b78423eb653a62ea0020cd283e71a2a8133a6ff2aeffaf373cff', { label: 'Main', role: 'master', venue: 'any' });
    let clock = Date.now();
    const timed = new SigningService({ vault, journal, ledger: null, hyperliquid: { network: 'paper', post: (env) => postExchange(httpUrl, env), fundPaper: (u) => claimPaperFunds(httpUrl, u) }, venueView: hyperliquidVenueView(() => Promise.resolve(httpUrl)), now: () => clock });
    const agent = await timed.approveAgent({ master: { kind: 'local', keyId: master.id }, name: 'short', validDays: 1, confirm });
    await vault.setBudget(LIMITS, { approvedWith: 'passphrase', ledgerAddress: null, signature: null });
    const signed = await timed.signL1({ agentKeyId: agent.id, action: order('97000', '0.001'), purpose: 'manual' });
    const tampered = await postExchange(httpUrl, { action: order('97000', '0.2'), nonce: signed.nonce, signature: signed.signature, vaultAddress: null });
    expect(tampered).toMatchObject({ status: 'err', response: expect.stringMatching(/^User or API Wallet 0x[0-9a-f]{40} does not exist\.$/) as unknown });
    clock += 2 * 86_400_000;
    await expect(timed.signL1({ agentKeyId: agent.id, action: order('97000', '0.001'), purpose: 'manual' })).rejects.toThrow(/expired on .* approve a new one/);
  });
});
