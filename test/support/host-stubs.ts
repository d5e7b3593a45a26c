import type { VaultHandlers } from '../../electron/vault/vault-host.ts';

/** Vault commands for border tests that do not exercise the vault: each says so if called. */
export const unusedVaultHandlers = new Proxy({} as VaultHandlers, {
  get: (_t, name) => () => {
    throw new Error(`${String(name)} is not part of this test`);
  },
  has: () => true,
  ownKeys: () => [],
});
