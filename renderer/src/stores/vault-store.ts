import { create } from 'zustand';
import type { VaultStatus } from '../../../shared/contract/vault-schemas.ts';
import { TerminalError } from '../../../shared/contract/result.ts';
import { call } from '../bridge/terminal.ts';

/**
 * The vault as main describes it: state, public keys, Ledger, budget. Main owns every decision;
 * this store only mirrors it (polled every second, and refreshed after each action), so an
 * auto-lock in main shows up here within a second.
 */
/** Each form shows its own error, beside it, never in another panel. */
export type VaultForm = 'create' | 'unlock' | 'lock' | 'import' | 'agent' | 'budget' | 'idle' | 'keys' | 'ledger' | 'apiKeys' | 'revoke' | 'session-key';

export interface VaultStore {
  status: VaultStatus | null;
  errors: Partial<Record<VaultForm, string>>;
  unlockOpen: boolean;
  refresh: () => Promise<void>;
  /**
   * Runs a vault action for one form and adopts the status it returns; the form's error stays
   * beside it until its next action.
   */
  act: (form: VaultForm, run: () => Promise<unknown>) => Promise<boolean>;
  lock: () => Promise<void>;
  setUnlockOpen: (open: boolean) => void;
}

export const useVaultStore = create<VaultStore>((set, get) => ({
  status: null,
  errors: {},
  unlockOpen: false,
  refresh: async () => {
    try {
      set({ status: await call('vault.status', {}) });
    } catch {
      /* the host is restarting; the next poll tries again */
    }
  },
  act: async (form, run) => {
    set((s) => ({ errors: { ...s.errors, [form]: undefined } }));
    try {
      await run();
      await get().refresh();
      return true;
    } catch (e) {
      set((s) => ({ errors: { ...s.errors, [form]: errorText(e) } }));
      await get().refresh();
      return false;
    }
  },
  lock: async () => {
    await get().act('lock', () => call('vault.lock', {}));
  },
  setUnlockOpen: (unlockOpen) => set((s) => ({ unlockOpen, errors: { ...s.errors, unlock: undefined } })),
}));

/** The host's words, with the Ledger's state named first where the device said no. */
function errorText(e: unknown): string {
  const message = (e as Error).message;
  const code = e instanceof TerminalError ? e.code : null;
  if (code === 'ledger-rejected') return `Rejected on the Ledger: nothing was signed. ${message}`;
  if (code && code.startsWith('ledger-')) return `Ledger: ${message}`;
  return message;
}

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
