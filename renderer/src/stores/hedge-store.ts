import { create } from 'zustand';
import type { HedgePlan, HedgePreview } from '../../../shared/domain/hedge.ts';
import { call } from '../bridge/terminal.ts';

/*
 * Hedge to target from the keyboard (issue "Hedging", item 3): the first press asks the engine
 * for a plan (nothing is sent); the same key again while the preview is live sends it, by its
 * id, and the engine plans it again against the live book before it goes; Esc drops it. The
 * preview expires on the engine's clock; the overlay counts down to it.
 */
export type HedgeFraction = 1 | 0.5;

interface HedgeState {
  preview: HedgePreview | null;
  fraction: HedgeFraction | null;
  /** 'asking' a plan, 'sending' it, 'sent', or what went wrong. */
  phase: 'idle' | 'asking' | 'shown' | 'sending' | 'sent' | 'failed';
  message: string | null;
  sent: { plan: HedgePlan; state: string; filled: number; avgPrice: number } | null;
  /** The key pressed for `fraction` of `underlying`: preview, or send the live preview. */
  press: (underlying: string, fraction: HedgeFraction, now?: number) => Promise<void>;
  dismiss: () => void;
}

/**
 * Bumped by every dismissal: an answer that arrives after Esc belongs to an overlay the trader
 * closed and must not open it again (a hedge already sent shows in the orders panel).
 */
let generation = 0;

export const useHedgeStore = create<HedgeState>((set, get) => ({
  preview: null,
  fraction: null,
  phase: 'idle',
  message: null,
  sent: null,
  press: async (underlying, fraction, now = Date.now()) => {
    const s = get();
    if (s.phase === 'asking' || s.phase === 'sending') return;
    const live = s.preview && s.phase === 'shown' && s.fraction === fraction && s.preview.result.ok && s.preview.result.underlying === underlying && now < s.preview.expiresAt;
    const mine = generation;
    const still = (): boolean => mine === generation;
    if (live) {
      set({ phase: 'sending', message: null });
      try {
        const { plan, order } = await call('hedge.confirm', { id: s.preview!.id });
        if (still()) set({ phase: 'sent', sent: { plan, state: order.state, filled: order.filled, avgPrice: order.avgPrice }, message: null });
      } catch (err) {
        if (still()) set({ phase: 'failed', message: (err as Error).message });
      }
      return;
    }
    set({ phase: 'asking', fraction, message: null, sent: null });
    try {
      const preview = await call('hedge.preview', { underlying, fraction });
      if (still()) set({ preview, phase: 'shown' });
    } catch (err) {
      if (still()) set({ preview: null, phase: 'failed', message: (err as Error).message });
    }
  },
  dismiss: () => {
    generation++;
    set({ preview: null, fraction: null, phase: 'idle', message: null, sent: null });
  },
}));
