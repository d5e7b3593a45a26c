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

  /** Edits the file as an attacker with disk access would, then opens it as the app would. */
  async function tampered(edit: (f: VaultFile) => void): Promise<Vault> {
    const saved = JSON.parse(await readFile(file, 'utf8')) as VaultFile;
    edit(saved);
    const text = JSON.stringify(saved);
    await writeFile(file, text);
    const w = newVault();
    await w.load();
    return w;
  }

  async function vaultWithAgent(): Promise<{ keyId: string; agentId: string }> {
    const v = newVault();
    await v.load();
    await v.create(PASS);
    const a = await v.importPrivateKey(PY_KEY, master);
    const agent = await v.generateKey({ label: 'hedger (agent)', role: 'agent', venue: 'hyperliquid', agent: { master: PY_ADDRESS.toLowerCase(), name: 'hedger', validUntil: clock + 86_400_000, approvedAt: clock, approvedWith: 'local', network: 'paper' } });
    await v.setBudget({ maxOrderNotionalUsd: 10_000, maxPositionUsd: { '*': 50_000 }, maxDailyHedgeNotionalUsd: 100_000, maxDailyCollateralUsd: 0 }, { approvedWith: 'passphrase', ledgerAddress: null, signature: null });
    return { keyId: a.id, agentId: agent.id };
  }

  const edits: [string, (f: VaultFile, ids: { keyId: string; agentId: string }) => void][] = [
    ['a key pointed at another address', (f) => void (f.keys[0]!.address = '0x1d9470d4b963f552e6f671a81619d395877bf409')],
    ['a label', (f) => void (f.keys[0]!.label = 'Cold storage')],
    ["an agent's expiry pushed out", (f) => void (f.keys[1]!.agent!.validUntil = clock + 365 * 86_400_000)],
    ["an agent's master", (f) => void (f.keys[1]!.agent!.master = '0x1d9470d4b963f552e6f671a81619d395877bf409')],
    ["an agent's network", (f) => void (f.keys[1]!.agent!.network = 'mainnet')],
    ['a looser budget', (f) => void (f.budget!.limits.maxOrderNotionalUsd = 10_000_000)],
    ['the budget removed', (f) => void (f.budget = null)],
    ['a key removed', (f) => void f.keys.splice(0, 1)],
    ['the idle lock lengthened', (f) => void (f.settings.idleLockMinutes = 720)],
    ['the burned agent addresses cleared', (f) => void (f.usedAgentAddresses = [])],
  ];
  for (const [what, edit] of edits) {
    it(`${what} outside the app: unlock refuses, nothing signs, the file is left as it was`, async () => {
      const ids = await vaultWithAgent();
      const w = await tampered((f) => edit(f, ids));
      const before = await readFile(file, 'utf8');
      await expect(w.unlock(PASS)).rejects.toThrow(/changed outside DeltaDesk/);
      expect(w.currentState).toBe('damaged');
      expect(w.budget()).toMatchObject({ valid: false });
      expect(() => w.signDigest(ids.keyId, hashMessage('x'))).toThrow();
      await expect(w.setIdleLockMinutes(5)).rejects.toThrow(/damaged/);
      expect(await readFile(file, 'utf8')).toBe(before);
    });
  }

  it('refuses two keys with one id, and a weak or memory-hungry key derivation, before any unlock', async () => {
    await vaultWithAgent();
    const dup = await tampered((f) => void (f.keys[1]!.id = f.keys[0]!.id));
    expect(dup.describe().problem).toMatch(/two keys share one id/);
    await rm(file);
    await vaultWithAgent();
    // The test vault runs at 2^10; a default vault (the product) refuses anything below 2^17/8/1.
    const product = new Vault(file);
    expect(await product.load()).toBe('damaged');
    expect(product.describe().problem).toMatch(/key derivation is weaker than DeltaDesk allows \(scrypt N=2\^10, r=8, p=1; at least N=2\^17, r=8, p=1\)/);
    await expect(product.unlock(PASS)).rejects.toThrow(/damaged/);
    await rm(file);
    await vaultWithAgent();
    const hungry = await tampered((f) => void (f.kdf = { ...f.kdf, N: 2 ** 22, r: 32 }));
    expect(hungry.describe().problem).toMatch(/more than 1 GiB of memory/);
  });

  it('an older vault file put back is caught: its budget is not trusted once a newer approval was journaled', async () => {
    const v = newVault();
    await v.load();
    await v.create(PASS);
    const loose = { maxOrderNotionalUsd: 1_000_000, maxPositionUsd: { '*': 5_000_000 }, maxDailyHedgeNotionalUsd: 10_000_000, maxDailyCollateralUsd: 0 };
    expect(await v.setBudget(loose, { approvedWith: 'passphrase', ledgerAddress: null, signature: null })).toBe(1);
    const older = await readFile(file, 'utf8');
    let journaled = 1;
    const tight = { ...loose, maxOrderNotionalUsd: 1_000 };
    const w = new Vault(file, { scryptCost: TEST_COST, now: () => clock, journaledBudgetGeneration: () => journaled });
    await w.load();
    await w.unlock(PASS);
    journaled = await w.setBudget(tight, { approvedWith: 'passphrase', ledgerAddress: null, signature: null });
    expect(journaled).toBe(2);
    await writeFile(file, older);
    const restored = new Vault(file, { scryptCost: TEST_COST, now: () => clock, journaledBudgetGeneration: () => journaled });
    await restored.load();
    await restored.unlock(PASS);
    expect(restored.budget()).toMatchObject({ valid: false });
    expect(restored.budget().problem).toMatch(/approval #1, but #2 was approved since/);
  });

  it('a format-1 vault is upgraded at its first unlock: keys kept, file authenticated, budget to approve again', async () => {
    const v = newVault();
    await v.load();
    await v.create(PASS);
    const a = await v.importPrivateKey(PY_KEY, master);
    // Rebuild the file as format 1 wrote it: keys sealed under the data key itself, no file MAC.
    const { createDecipheriv, createCipheriv, randomBytes, scrypt } = await import('node:crypto');
    const saved = JSON.parse(await readFile(file, 'utf8')) as VaultFile;
    const wrapping = await new Promise<Buffer>((res, rej) => scrypt(PASS.normalize('NFKC'), Buffer.from(saved.kdf.salt, 'hex'), 32, { N: saved.kdf.N, r: saved.kdf.r, p: saved.kdf.p, maxmem: 64 * 2 ** 20 }, (e, k) => (e ? rej(e) : res(k))));
    const d = createDecipheriv('aes-256-gcm', wrapping, Buffer.from(saved.wrappedKey.iv, 'hex'));
    d.setAAD(Buffer.from('deltadesk-vault-v1'));
    d.setAuthTag(Buffer.from(saved.wrappedKey.tag, 'hex'));
    const dataKey = Buffer.concat([d.update(Buffer.from(saved.wrappedKey.data, 'hex')), d.final()]);
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', dataKey, iv);
    const k = saved.keys[0]!;
    c.setAAD(Buffer.from(`deltadesk-key|${k.id}|${k.address.toLowerCase()}|${k.role}|${k.venue}`));
    const secret = Buffer.from(PY_KEY.slice(2), 'hex');
    const sealed = { iv: iv.toString('hex'), data: Buffer.concat([c.update(secret), c.final()]).toString('hex'), tag: c.getAuthTag().toString('hex') };
    const { mac: _mac, ...rest } = saved;
    await writeFile(file, JSON.stringify({ ...rest, version: 1, keys: [{ ...k, sealed }], budget: null }));
    const w = newVault();
    expect(await w.load()).toBe('locked');
    await w.unlock(PASS);
    const sig = w.signDigest(a.id, hashMessage('upgrade'));
    expect(recoverAddress(hashMessage('upgrade'), sig)).toBe(PY_ADDRESS);
    const upgraded = JSON.parse(await readFile(file, 'utf8')) as VaultFile;
    expect(upgraded.version).toBe(2);
    expect(upgraded.mac).toMatch(/^[0-9a-f]{64}$/);
    const again = newVault();
    await again.load();
    await again.unlock(PASS);
    expect(again.key(a.id).damaged).toBe(false);
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
