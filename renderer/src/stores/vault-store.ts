import { create } from 'zustand';
import type { VaultStatus } from '../../../shared/contract/vault-schemas.ts';
import { call } from '../bridge/terminal.ts';

/**
 * The vault as main describes it: state, public keys, Ledger, budget. Main owns every decision;
 * this store only mirrors it (polled every second, and refreshed after each action), so an
 * auto-lock in main shows up here within a second.
 */
export interface VaultStore {
  status: VaultStatus | null;
  error: string | null;
  unlockOpen: boolean;
  refresh: () => Promise<void>;
  /** Runs a vault action and adopts the status it returns; the error stays on screen until the next action. */
  act: (run: () => Promise<unknown>) => Promise<boolean>;
  lock: () => Promise<void>;
  setUnlockOpen: (open: boolean) => void;
}

export const useVaultStore = create<VaultStore>((set, get) => ({
  status: null,
  error: null,
  unlockOpen: false,
  refresh: async () => {
    try {
      set({ status: await call('vault.status', {}) });
    } catch {
      /* the host is restarting; the next poll tries again */
    }
  },
  act: async (run) => {
    set({ error: null });
    try {
      await run();
      await get().refresh();
      return true;
    } catch (e) {
      set({ error: (e as Error).message });
      await get().refresh();
      return false;
    }
  },
  lock: async () => {
    await get().act(() => call('vault.lock', {}));
  },
  setUnlockOpen: (unlockOpen) => set({ unlockOpen, error: null }),
}));

export function startVaultPolling(): () => void {
  void useVaultStore.getState().refresh();
  const timer = setInterval(() => void useVaultStore.getState().refresh(), 1000);
  // Tell main someone is here, at most every 20 s, so the idle lock counts real activity only.
  let last = 0;
  const activity = (): void => {
    const now = Date.now();
    if (now - last < 20_000) return;
    last = now;
    void call('app.activity', {}).catch(() => undefined);
  };
  window.addEventListener('keydown', activity, true);
  window.addEventListener('pointerdown', activity, true);
  return () => {
    clearInterval(timer);
    window.removeEventListener('keydown', activity, true);
    window.removeEventListener('pointerdown', activity, true);
  };
}
