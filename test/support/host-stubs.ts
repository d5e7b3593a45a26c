import type { HostHandlers } from '../../electron/border/command-router.ts';

/** Host commands (vault, health) for border tests that do not exercise them: each says so if called. */
export const unusedVaultHandlers = new Proxy({} as Omit<HostHandlers, 'app.info' | 'app.keymap'>, {
  get: (_t, name) => () => {
    throw new Error(`${String(name)} is not part of this test`);
  },
  has: () => true,
  ownKeys: () => [],
});
