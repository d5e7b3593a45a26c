import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { COMMANDS, type CommandName } from '../../../shared/contract/commands.ts';
import { createCommandRouter } from '../../../electron/border/command-router.ts';
import { VaultHost } from '../../../electron/vault/vault-host.ts';
import { LedgerEmulator } from '../../support/ledger-emulator.ts';

/*
 * Every vault and Ledger command, through the same router the hosts use, with random payloads:
 * the answer is a result with a message (never a throw or a crash), and the vault file is left
 * byte for byte as it was.
 */
const PASS = 'orbit-canvas-tulip-87-ledger';
let dir: string;
let host: VaultHost;
let route: ReturnType<typeof createCommandRouter>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dd-fuzz-'));
  host = new VaultHost({
    dataDir: dir,
    network: 'paper',
    hyperliquidHttpUrl: () => Promise.reject(new Error('no venue in this test')),
    openLedger: () => Promise.resolve(new LedgerEmulator()),
    scryptCost: { N: 2 ** 10, r: 8, p: 1 },
  });
  await host.start();
  await host.vault.create(PASS);
  await host.vault.importPrivateKey('0x0123456789012345678901234567890123456789012345678901234567890123', { label: 'Main', role: 'master', venue: 'any' });
  route = createCommandRouter({ 'app.info': () => ({}), 'app.keymap': () => ({}), 'app.health': () => ({}), 'app.networks': () => ({}), 'app.setNetworks': () => ({}), ...host.handlers() }, () => Promise.reject(new Error('engine not used')));
});
afterAll(async () => {
  host.stop();
  await rm(dir, { recursive: true, force: true });
});

const names = (Object.keys(COMMANDS) as CommandName[]).filter((n) => n.startsWith('vault.') || n.startsWith('ledger.') || n === 'app.activity');
const fields = fc.constantFrom('passphrase', 'id', 'label', 'privateKey', 'mnemonic', 'accountIndex', 'limits', 'confirm', 'master', 'name', 'validDays', 'minutes', 'limit', '__proto__', 'constructor');
const payloads = fc.oneof(fc.anything({ withObjectString: true, withNullPrototype: true }), fc.dictionary(fields, fc.anything()), fc.record({ passphrase: fc.string(), id: fc.string() }, { requiredKeys: [] }));

describe('vault commands under random payloads', () => {
  for (const name of names) {
    it(`${name}: answers with a result and leaves the vault file alone`, async () => {
      const file = path.join(dir, 'vault.json');
      const before = await readFile(file);
      await fc.assert(
        fc.asyncProperty(payloads, async (payload) => {
          const result = await route(name, payload);
          expect(typeof result.ok).toBe('boolean');
          if (!result.ok) expect(result.error.message.length).toBeGreaterThan(3);
        }),
        { numRuns: 150, seed: 7 },
      );
      expect(await readFile(file)).toEqual(before);
      // Still works with the right passphrase afterwards (the throttle may ask to wait; reset it).
      host.vault.throttle.succeeded();
      await host.vault.unlock(PASS);
      expect(host.vault.describe().keys.map((k) => k.label)).toEqual(['Main']);
    }, 30_000);
  }
});
