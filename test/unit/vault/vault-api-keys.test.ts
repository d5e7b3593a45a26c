import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hmacSha256Hex } from '../../../electron/venues/deribit/auth-signature.ts';
import { Vault } from '../../../electron/vault/vault.ts';
import type { VaultFile } from '../../../electron/vault/vault-file.ts';

/*
 * Deribit API keys in the vault (Orders, part 2, item 2): the secret is sealed like a private key,
 * never shown again, and used only for an HMAC inside main; a changed record is caught, and a file
 * written before API keys existed still opens.
 */
const COST = { N: 2 ** 10, r: 8, p: 1 };
const PASS = 'orbit-canvas-tulip-87-ledger';
const SECRET = 'sKb9-Qw2_mP7zXc4';
let dir: string;
let file: string;
const open = (): Vault => new Vault(file, { scryptCost: COST });

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dd-apikeys-'));
  file = path.join(dir, 'vault.json');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function withKey(): Promise<{ v: Vault; id: string }> {
  const v = open();
  await v.load();
  await v.create(PASS);
  const k = await v.addApiKey({ venue: 'deribit', network: 'testnet', clientId: 'AbC123xy', clientSecret: SECRET, label: 'desk' });
  return { v, id: k.id };
}

describe('Deribit API keys in the vault', () => {
  it('keeps the client id readable and the secret sealed; the HMAC is the secret’s, and nothing shows it', async () => {
    const { v, id } = await withKey();
    const raw = await readFile(file, 'utf8');
    expect(raw).not.toContain(SECRET);
    expect(raw).toContain('AbC123xy');
    expect(JSON.stringify(v.describe())).not.toContain(SECRET);
    expect(v.apiKeys()).toEqual([expect.objectContaining({ id, venue: 'deribit', network: 'testnet', clientId: 'AbC123xy', label: 'desk', damaged: false })]);
    expect(v.hmacWithApiKey(id, 'hello')).toBe(hmacSha256Hex(SECRET, 'hello'));
    // Locked: the key is listed (for the screen) but cannot sign.
    v.lock('test');
    expect(v.apiKeys().map((k) => k.clientId)).toEqual(['AbC123xy']);
    expect(() => v.hmacWithApiKey(id, 'hello')).toThrow(/locked/);
  });

  it('survives a restart, refuses the same key twice and a secret that is not one, and deletes', async () => {
    const { id } = await withKey();
    const v = open();
    await v.load();
    await v.unlock(PASS);
    expect(v.hmacWithApiKey(id, 'x')).toBe(hmacSha256Hex(SECRET, 'x'));
    await expect(v.addApiKey({ venue: 'deribit', network: 'testnet', clientId: 'AbC123xy', clientSecret: 'other-secret-1', label: 'again' })).rejects.toThrow(/already in the vault as "desk"/);
    await expect(v.addApiKey({ venue: 'deribit', network: 'mainnet', clientId: 'AbC123xy', clientSecret: 'short', label: 'x' })).rejects.toThrow(/8–128 printable/);
    await expect(v.addApiKey({ venue: 'deribit', network: 'mainnet', clientId: 'AbC123xy', clientSecret: 'has a space in it', label: 'x' })).rejects.toThrow(/without spaces/);
    // The same client id on another network is another key.
    await v.addApiKey({ venue: 'deribit', network: 'mainnet', clientId: 'AbC123xy', clientSecret: 'mainnet-secret-9', label: 'main' });
    await v.deleteApiKey(id);
    expect(v.apiKeys().map((k) => k.network)).toEqual(['mainnet']);
    await expect(v.deleteApiKey(id)).rejects.toThrow(/no API key/);
  });

  it('a record edited outside DeltaDesk (its network switched) makes the whole file untrusted', async () => {
    await withKey();
    const f = JSON.parse(await readFile(file, 'utf8')) as VaultFile;
    f.apiKeys![0]!.network = 'mainnet';
    await writeFile(file, JSON.stringify(f));
    const v = open();
    await v.load();
    await expect(v.unlock(PASS)).rejects.toThrow(/changed outside DeltaDesk/);
    expect(v.currentState).toBe('damaged');
  });

  it('a file written before API keys existed opens, verifies and takes its first key', async () => {
    const v0 = open();
    await v0.load();
    await v0.create(PASS);
    const f = JSON.parse(await readFile(file, 'utf8')) as VaultFile;
    expect(f.apiKeys).toBeUndefined();
    const v = open();
    await v.load();
    await v.unlock(PASS);
    await v.addApiKey({ venue: 'deribit', network: 'testnet', clientId: 'Zz99zz99', clientSecret: SECRET, label: 'first' });
    expect(v.apiKeys()).toHaveLength(1);
  });

  it('ten keys added at once are all kept', async () => {
    const v = open();
    await v.load();
    await v.create(PASS);
    await Promise.all(Array.from({ length: 10 }, (_, i) => v.addApiKey({ venue: 'deribit', network: 'testnet', clientId: `client-${i}`, clientSecret: `${SECRET}-${i}`, label: `k${i}` })));
    const again = open();
    await again.load();
    await again.unlock(PASS);
    expect(again.apiKeys().map((k) => k.clientId).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `client-${i}`).sort());
  });
});
