import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Wallet } from 'ethers';
import { createCommandRouter } from '../../electron/border/command-router.ts';
import { VaultHost } from '../../electron/vault/vault-host.ts';
import type { VaultStatus } from '../../shared/contract/vault-schemas.ts';
import { LedgerEmulator } from '../support/ledger-emulator.ts';

/*
 * Concurrent commands through the border, as two clicks or two windows would send them, then a
 * restart and an unlock: every change that answered ok is on disk, and nothing deleted comes back.
 */
const PASS = 'orbit-canvas-tulip-87-ledger';
const confirm = { kind: 'passphrase' as const, passphrase: PASS };
let dir: string;
let host: VaultHost;
let route: ReturnType<typeof createCommandRouter>;

function newHost(): VaultHost {
  return new VaultHost({
    dataDir: dir,
    network: 'paper',
    hyperliquidHttpUrl: () => Promise.reject(new Error('no venue in this test')),
    openLedger: () => Promise.resolve(new LedgerEmulator()),
    scryptCost: { N: 2 ** 10, r: 8, p: 1 },
  });
}

async function boot(): Promise<void> {
  host = newHost();
  await host.start();
  route = createCommandRouter({ 'app.info': () => ({}), 'app.keymap': () => ({}), 'app.health': () => ({}), 'app.networks': () => ({}), 'app.setNetworks': () => ({}), ...host.handlers() }, () => Promise.reject(new Error('engine not used')));
}

async function restartAndUnlock(): Promise<VaultStatus> {
  host.stop();
  await boot();
  const r = await route('vault.unlock', { passphrase: PASS });
  if (!r.ok) throw new Error(r.error.message);
  return r.value as VaultStatus;
}

const keys = Array.from({ length: 5 }, () => Wallet.createRandom());
const limits = (order: number) => ({ maxOrderNotionalUsd: order, maxPositionUsd: { '*': 50_000 }, maxDailyHedgeNotionalUsd: 100_000, maxDailyCollateralUsd: 0 });

beforeEach(async () => {
  dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'dd-conc-')), 'data');
  await boot();
  await route('vault.create', { passphrase: PASS });
});
afterEach(async () => {
  host.stop();
  await rm(path.dirname(dir), { recursive: true, force: true });
});

describe('the vault under concurrent commands', () => {
  it('creates its data folder owner-only', async () => {
    if (process.platform !== 'win32') expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('five imports at once: all five answer ok and all five are there after a restart', async () => {
    const answers = await Promise.all(keys.map((k, i) => route('vault.importKey', { label: `K${i}`, privateKey: k.privateKey })));
    expect(answers.map((a) => a.ok)).toEqual([true, true, true, true, true]);
    const status = await restartAndUnlock();
    expect(status.keys.map((k) => k.address).sort()).toEqual(keys.map((k) => k.address).sort());
  });

  it('the same key imported twice at once: one ok, one refusal, one key on disk', async () => {
    const [a, b] = await Promise.all([route('vault.importKey', { label: 'A', privateKey: keys[0]!.privateKey }), route('vault.importKey', { label: 'B', privateKey: keys[0]!.privateKey })]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect((await restartAndUnlock()).keys).toHaveLength(1);
  });

  it('a key deleted while another setting is saved stays deleted', async () => {
    const imported = await route('vault.importKey', { label: 'Gone', privateKey: keys[1]!.privateKey });
    const id = (imported as { value: { id: string } }).value.id;
    const [del, idle] = await Promise.all([route('vault.deleteKey', { id, confirm }), route('vault.setIdleLock', { minutes: 30 })]);
    expect([del.ok, idle.ok]).toEqual([true, true]);
    const status = await restartAndUnlock();
    expect(status.keys).toEqual([]);
    expect(status.idleLockMinutes).toBe(30);
  });

  it('a budget approved while a key is imported is kept, and the key too', async () => {
    const [budget, imported] = await Promise.all([route('vault.setBudget', { limits: limits(5_000), confirm }), route('vault.importKey', { label: 'K', privateKey: keys[2]!.privateKey })]);
    expect([budget.ok, imported.ok]).toEqual([true, true]);
    const status = await restartAndUnlock();
    expect(status.budget).toMatchObject({ valid: true, limits: { maxOrderNotionalUsd: 5_000 } });
    expect(status.keys).toHaveLength(1);
  });

  it('a tightened budget never reverts to the looser one', async () => {
    expect((await route('vault.setBudget', { limits: limits(50_000), confirm })).ok).toBe(true);
    // Tighten while other writes are queued around it; the last approval wins and stays.
    const results = await Promise.all([
      route('vault.importKey', { label: 'K3', privateKey: keys[3]!.privateKey }),
      route('vault.setBudget', { limits: limits(1_000), confirm }),
      route('vault.setIdleLock', { minutes: 10 }),
      route('vault.importKey', { label: 'K4', privateKey: keys[4]!.privateKey }),
    ]);
    // One passphrase check runs at a time: a second confirmation in flight is refused, not queued.
    expect(results[1].ok).toBe(true);
    const status = await restartAndUnlock();
    expect(status.budget).toMatchObject({ valid: true, limits: { maxOrderNotionalUsd: 1_000 }, generation: 2 });
    expect(status.keys).toHaveLength(2);
    // The journal remembers approval #2: putting back a file from before it does not bring #1 back.
    const lines = (await readFile(path.join(dir, 'signatures.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.filter((l) => l.includes('"budgetGeneration":2'))).toHaveLength(1);
  });

  it('deleting a key and approving an agent need the owner: no confirmation, no change', async () => {
    const imported = await route('vault.importKey', { label: 'Main', privateKey: keys[0]!.privateKey });
    const id = (imported as { value: { id: string } }).value.id;
    expect(await route('vault.deleteKey', { id })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await route('vault.deleteKey', { id, confirm: { kind: 'passphrase', passphrase: 'not-the-passphrase-at-all' } })).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(await route('vault.approveAgent', { master: { kind: 'local', keyId: id }, name: 'x', validDays: 1 })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    host.vault.throttle.succeeded();
    expect((await restartAndUnlock()).keys).toHaveLength(1);
  });
});
