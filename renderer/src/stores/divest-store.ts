import { create } from 'zustand';
import type { DivestPlan, DivestScope, DivestSnapshot, DivestVenue } from '../../../shared/domain/divest.ts';
import { call } from '../bridge/terminal.ts';

/*
 * The kill switch on screen: the key opens the plan (the engine's dry run, nothing sent); the
 * trader may pick one venue instead of everything, types the word, and the engine executes that
 * plan by its id. The run's progress and report come in the stream frames.
 */

export interface DivestStore {
  open: boolean;
  scope: DivestScope;
  /** Also take the Aave collateral back to the wallet once the debt is repaid. */
  withdraw: boolean;
  plan: DivestPlan | null;
  /** A plan is being asked for, or an execution started. */
  busy: boolean;
  typed: string;
  error: string | null;
  snapshot: DivestSnapshot | null;
  applyFrame: (s: DivestSnapshot | null) => void;
  /** Opens the overlay with a fresh plan for `scope` (everything by default). */
  show: (scope?: DivestScope, withdraw?: boolean) => Promise<void>;
  close: () => void;
  type: (text: string) => void;
  execute: () => Promise<void>;
  stop: () => Promise<void>;
  arm: (venue: DivestVenue, armed: boolean) => Promise<void>;
}

let generation = 0;
const NO_SNAPSHOT: DivestSnapshot = { run: null, armed: [], deadMan: { armedUntil: null, error: null }, stops: [] };

export const useDivestStore = create<DivestStore>((set, get) => ({
  open: false,
  scope: 'all',
  withdraw: false,
  plan: null,
  busy: false,
  typed: '',
  error: null,
  snapshot: null,
  applyFrame: (s) => {
    if (s) set({ snapshot: s });
  },
  show: async (scope = get().scope, withdraw = get().withdraw) => {
    const mine = ++generation;
    set({ open: true, scope, withdraw, busy: true, error: null, typed: '', plan: get().scope === scope ? get().plan : null });
    try {
      const plan = await call('divest.plan', { scope, withdraw });
      // A late answer after the overlay was closed, or a newer request, changes nothing.
      if (mine === generation && get().open) set({ plan, busy: false });
    } catch (err) {
      if (mine === generation) set({ busy: false, error: (err as Error).message });
    }
  },
  close: () => {
    generation++;
    set({ open: false, typed: '', error: null, busy: false });
  },
  type: (typed) => set({ typed }),
  execute: async () => {
    const { plan, typed } = get();
    if (!plan) return;
    set({ busy: true, error: null });
    try {
      const run = await call('divest.execute', { id: plan.id, confirm: typed });
      set({ busy: false, typed: '', plan: null, snapshot: { ...NO_SNAPSHOT, ...get().snapshot, run } });
    } catch (err) {
      set({ busy: false, error: (err as Error).message });
    }
  },
  stop: async () => {
    try {
      await call('divest.stop', {});
    } catch (err) {
      set({ error: (err as Error).message });
    }
  },
  arm: async (venue, armed) => {
    try {
      const list = await call('divest.arm', { venue, armed });
      set({ snapshot: { ...NO_SNAPSHOT, ...get().snapshot, armed: list } });
    } catch (err) {
      set({ error: (err as Error).message });
    }
  },
}));
