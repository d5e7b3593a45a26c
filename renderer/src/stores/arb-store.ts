import { create } from 'zustand';
import type { ArbPreview, ArbRun } from '../../../shared/contract/arb-schemas.ts';
import { call } from '../bridge/terminal.ts';
import { useVaultStore } from './vault-store.ts';

/*
 * A mispricing traded from the list (issue "Derive", item 4): "Trade" asks the engine for the
 * combination (nothing is sent); "Arm" and then "Send" within the arm window send it by its id;
 * the engine plans it again on the live quotes before the first leg goes. A leg left open without
 * its partner is shown at once with its unwind. Esc drops a preview; a run stays until closed.
 */
export const ARM_MS = 4_000;

interface ArbState {
  preview: ArbPreview | null;
  run: ArbRun | null;
  phase: 'idle' | 'asking' | 'shown' | 'sending' | 'ran' | 'unwinding' | 'failed';
  armedUntil: number | null;
  message: string | null;
  open: (key: string) => Promise<void>;
  arm: (now?: number) => void;
  send: (now?: number) => Promise<void>;
  unwind: () => Promise<void>;
  dismiss: () => void;
}

/** Bumped by every dismissal: a late answer belongs to an overlay the trader closed. */
let generation = 0;

export const useArbStore = create<ArbState>((set, get) => ({
  preview: null,
  run: null,
  phase: 'idle',
  armedUntil: null,
  message: null,
  open: async (key) => {
    const s = get();
    // A trade in flight or a leg left open keeps the overlay: the trader must see it through.
    if (s.phase === 'sending' || s.phase === 'unwinding' || s.run?.state === 'legged') return;
    const mine = ++generation;
    set({ phase: 'asking', preview: null, run: null, armedUntil: null, message: null });
    try {
      // Sized so no leg goes past the budget's order limit (main would refuse it).
      const status = useVaultStore.getState().status;
      const maxNotionalUsd = status?.budget?.valid ? status.budget.limits.maxOrderNotionalUsd : null;
      const preview = await call('arb.preview', { key, size: null, maxNotionalUsd });
      if (mine === generation) set({ preview, phase: 'shown' });
    } catch (err) {
      if (mine === generation) set({ phase: 'failed', message: (err as Error).message });
    }
  },
  arm: (now = Date.now()) => {
    const s = get();
    if (s.phase !== 'shown' || !s.preview?.result.ok) return;
    set({ armedUntil: Math.min(now + ARM_MS, s.preview.expiresAt) });
  },
  send: async (now = Date.now()) => {
    const s = get();
    if (s.phase !== 'shown' || !s.preview || s.armedUntil === null || now > s.armedUntil) {
      if (s.armedUntil !== null) set({ armedUntil: null, message: 'the arm window closed: arm again to send' });
      return;
    }
    const mine = generation;
    set({ phase: 'sending', armedUntil: null, message: null });
    try {
      const run = await call('arb.send', { id: s.preview.id });
      if (mine === generation) set({ run, phase: 'ran' });
    } catch (err) {
      if (mine === generation) set({ phase: 'failed', message: (err as Error).message });
    }
  },
  unwind: async () => {
    const s = get();
    if (!s.run || s.run.state !== 'legged') return;
    set({ phase: 'unwinding', message: null });
    try {
      set({ run: await call('arb.unwind', { id: s.run.id }), phase: 'ran' });
    } catch (err) {
      set({ phase: 'ran', message: (err as Error).message });
    }
  },
  dismiss: () => {
    const s = get();
    // An open leg is not dismissed by accident: it stays until unwound (or closed by hand elsewhere).
    if (s.phase === 'sending' || s.phase === 'unwinding') return;
    generation++;
    set({ preview: null, run: null, phase: 'idle', armedUntil: null, message: null });
  },
}));
