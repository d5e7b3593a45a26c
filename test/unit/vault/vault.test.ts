import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decryptKeystoreJson, hashMessage, recoverAddress } from 'ethers';
import { Vault } from '../../../electron/vault/vault.ts';
import type { VaultFile } from '../../../electron/vault/vault-file.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
// Cheap scrypt keeps the suite fast; the product always uses 2^17 (see the bench for its cost).
export const TEST_COST = { N: 2 ** 10, r: 8, p: 1 };
const PASS = 'orbit-canvas-tulip-87-ledger';
const PY_KEY = '0x0123456789012345678901234567890123456789012345678901234567890123';
const PY_ADDRESS = '0x14791697260E4c9A71f18484C9f997B308e59325';
const JUNK = 'test test test test test test test test test test test junk';

let dir: string;
let file: string;
let clock: number;
const master = { label: 'Main', role: 'master' as const, venue: 'any' as const };

function newVault(): Vault {
  return new Vault(file, { scryptCost: TEST_COST, now: () => clock });
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dd-vault-'));
  file = path.join(dir, 'vault.json');
  clock = Date.UTC(2026, 10, 25, 12);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('creating and unlocking', () => {
  it('creates an owner-only file, unlocks with the passphrase only, and locks', async () => {
    const v = newVault();
    expect(await v.load()).toBe('absent');
    await v.create(PASS);
    expect(v.currentState).toBe('unlocked');
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    v.lock('test');
    expect(v.describe()).toMatchObject({ state: 'locked', lockReason: 'test' });

    const again = newVault();
    expect(await again.load()).toBe('locked');
    await expect(again.unlock('orbit-canvas-tulip-87-ledgeR')).rejects.toThrow(/^wrong passphrase/);
    expect(again.currentState).toBe('locked');
    await again.unlock(PASS);
    expect(again.currentState).toBe('unlocked');
  });

  it('refuses a weak passphrase and says why', async () => {
    const v = newVault();
    await v.load();
    await expect(v.create('short1!')).rejects.toThrow(/too short: 7 characters, at least 12/);
    await expect(v.create('password1234')).rejects.toThrow(/commonly used|guess/);
    expect(v.currentState).toBe('absent');
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });

  it('slows down wrong passphrases: three free tries, then a growing wait, reset by success', async () => {
    const v = newVault();
    await v.load();
    await v.create(PASS);
    v.lock('test');
    for (let i = 0; i < 3; i++) await expect(v.unlock(`wrong-${i}`)).rejects.toThrow(/^wrong passphrase$/);
    await expect(v.unlock('wrong-3')).rejects.toThrow(/wrong passphrase; try again in 1 s/);
    // Even the right passphrase waits its turn.
    await expect(v.unlock(PASS)).rejects.toThrow(/too many wrong passphrases: try again in 1 s/);
    clock += 1000;
    await expect(v.unlock('wrong-4')).rejects.toThrow(/try again in 2 s/);
    clock += 2000;
    await v.unlock(PASS);
    expect(v.throttle.failureCount).toBe(0);
  });
});

describe('keys', () => {
  it('imports a private key and a recovery phrase, signs with them, and refuses duplicates and junk', async () => {
    const v = newVault();
    await v.load();
    await v.create(PASS);
    const a = await v.importPrivateKey(PY_KEY, master);
    expect(a.address).toBe(PY_ADDRESS);
    const b = await v.importMnemonic(JUNK, 0, { ...master, label: 'Phrase' });
    expect(b.address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    await expect(v.importPrivateKey(PY_KEY.slice(2), master)).rejects.toThrow(/already in the vault as "Main"/);
    await expect(v.importPrivateKey('0x1234', master)).rejects.toThrow(/64 hexadecimal characters/);
    await expect(v.importPrivateKey(`0x${'0'.repeat(64)}`, master)).rejects.toThrow(/not a valid secp256k1 private key/);
    await expect(v.importMnemonic('test test test', 0, master)).rejects.toThrow(/not a valid BIP-39/);

    const digest = hashMessage('hello');
    expect(recoverAddress(digest, v.signDigest(a.id, digest))).toBe(PY_ADDRESS);
    v.lock('test');
    expect(() => v.signDigest(a.id, digest)).toThrow(/vault is locked/);
  });

  it('never reuses an agent address, even after the agent key was deleted', async () => {
    const v = newVault();
    await v.load();
    await v.create(PASS);
    const agent = await v.generateKey({ label: 'agent', role: 'agent', venue: 'hyperliquid' });
    await v.deleteKey(agent.id);
    const saved = JSON.parse(await readFile(file, 'utf8')) as VaultFile;
    expect(saved.keys).toHaveLength(0);
    expect(saved.usedAgentAddresses).toEqual([agent.address.toLowerCase()]);
    // Someone re-imports the old agent key: refused.
    const fresh = await v.generateKey({ label: 'agent 2', role: 'agent', venue: 'hyperliquid' });
    expect(fresh.address).not.toBe(agent.address);
  });

  it('exports a Web3 Secret Storage v3 keystore that ethers opens with the vault passphrase', async () => {
    const v = newVault();
    await v.load();
    await v.create(PASS);
    const a = await v.importPrivateKey(PY_KEY, master);
    await expect(v.exportKey(a.id, 'not the passphrase')).rejects.toThrow(/wrong passphrase/);
    const json = await v.exportKey(a.id, PASS);
    const parsed = JSON.parse(json) as { version: number; Crypto: { kdf: string; kdfparams: { n: number } } };
    expect(parsed.version).toBe(3);
    expect(parsed.Crypto).toMatchObject({ kdf: 'scrypt', kdfparams: { n: 2 ** 17 } });
    const account = await decryptKeystoreJson(json, PASS);
    expect(account.address).toBe(PY_ADDRESS);
  }, 20_000);

  it('stores no secret in the clear: the file holds neither the key nor the phrase', async () => {
    const v = newVault();
    await v.load();
    await v.create(PASS);
    await v.importPrivateKey(PY_KEY, master);
    await v.importMnemonic(JUNK, 0, { ...master, label: 'Phrase' });
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(PY_KEY.slice(2));
    expect(text).not.toContain('test test');
    expect(text).not.toContain(PASS);
  });
});

describe('damage and tampering', () => {
  it('a damaged file is reported, kept byte for byte, copied, and never written', async () => {
    const garbage = '{"format":"deltadesk-vault","version":1,"kdf":';
    await writeFile(file, garbage);
    const v = newVault();
    expect(await v.load()).toBe('damaged');
    expect(v.describe().problem).toMatch(/vault file is damaged \(not valid JSON/);
    await expect(v.create(PASS)).rejects.toThrow(/damaged/);
    await expect(v.unlock(PASS)).rejects.toThrow(/damaged/);
    expect(await readFile(file, 'utf8')).toBe(garbage);
    const names = await readdir(dir);
    expect(names.some((n) => n.startsWith('vault.json.damaged-'))).toBe(true);
  });

  it('a key record edited outside the app is flagged and will not sign', async () => {
    const v = newVault();
    await v.load();
    await v.create(PASS);
    const a = await v.importPrivateKey(PY_KEY, master);
    const saved = JSON.parse(await readFile(file, 'utf8')) as VaultFile;
    // Someone points the record at their own address, hoping the UI shows it as ours.
    saved.keys[0]!.address = '0x1d9470d4b963f552e6f671a81619d395877bf409';
    await writeFile(file, JSON.stringify(saved));
    const w = newVault();
    await w.load();
    await w.unlock(PASS);
    expect(w.key(a.id).damaged).toBe(true);
    expect(() => w.signDigest(a.id, hashMessage('x'))).toThrow(/damaged or was altered/);
  });

  it('a budget edited outside the app is no longer valid', async () => {
    const v = newVault();
    await v.load();
    await v.create(PASS);
    await v.setBudget({ maxOrderNotionalUsd: 10_000, maxPositionUsd: { '*': 50_000 }, maxDailyHedgeNotionalUsd: 100_000, maxDailyCollateralUsd: 0 }, { approvedWith: 'passphrase', ledgerAddress: null, signature: null });
    expect(v.budget().valid).toBe(true);
    const saved = JSON.parse(await readFile(file, 'utf8')) as VaultFile;
    saved.budget!.limits.maxOrderNotionalUsd = 10_000_000;
    await writeFile(file, JSON.stringify(saved));
    const w = newVault();
    await w.load();
    await w.unlock(PASS);
    expect(w.budget().valid).toBe(false);
  });
});

describe('a crash in the middle of a write', () => {
  it('leaves the old vault or the new one, never neither', async () => {
    const v = newVault();
    await v.load();
    await v.create(PASS);
    await v.importPrivateKey(PY_KEY, master);
    const vaultModule = path.join(here, '../../../electron/vault/vault.ts');
    const outcomes = new Set<number>();
    for (let round = 0; round < 10; round++) {
      // The child adds and deletes keys as fast as it can; it is killed at a different moment each round.
      const script = `import { Vault } from ${JSON.stringify(vaultModule)};
        const v = new Vault(${JSON.stringify(file)}, { scryptCost: ${JSON.stringify(TEST_COST)} });
        await v.load(); await v.unlock(${JSON.stringify(PASS)});
        process.stdout.write('go\\n');
        for (let i = 0; ; i++) {
          await v.generateKey({ label: 'k' + i, role: 'agent', venue: 'hyperliquid' });
          const keys = v.describe().keys;
          if (keys.length > 6) await v.deleteKey(keys[1].id);
        }`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise((r) => child.once('exit', r));
      await new Promise((r) => child.stdout.once('data', r));
      await new Promise((r) => setTimeout(r, 5 + round * 7));
      child.kill('SIGKILL');
      await exited;
      const w = newVault();
      expect(await w.load(), w.describe().problem ?? '').toBe('locked');
      await w.unlock(PASS);
      const keys = w.describe().keys;
      expect(keys.every((k) => !k.damaged)).toBe(true);
      expect(keys[0]?.address).toBe(PY_ADDRESS);
      outcomes.add(keys.length);
    }
    // The kills landed after different numbers of completed writes.
    expect(outcomes.size).toBeGreaterThan(1);
  }, 60_000);
});
