import { create } from 'zustand';
import type { HedgeDraft, HedgePlan, HedgePreview, HedgeRefusal } from '../../../shared/domain/hedge.ts';
import { call } from '../bridge/terminal.ts';

/*
 * Hedge to target from the keyboard (issue "Hedging", item 3): the first press asks the engine
 * for a plan (nothing is sent); the same key again while the preview is live sends it, by its
 * id, and the engine plans it again against the live book before it goes; Esc drops it. The
 * preview expires on the engine's clock; the overlay counts down to it.
 *
 * The engine streams a draft of each plan a few times a second: the first press shows the draft
 * at once (the same frame) and asks for the kept preview, which replaces it a round trip later;
 * only the kept one can be sent, and until it is here the key again does nothing.
 */
export type HedgeFraction = 1 | 0.5;

interface HedgeState {
  preview: HedgePreview | null;
  /** The streamed draft shown while the kept preview is asked for. */
  draft: HedgePlan | HedgeRefusal | null;
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

/** A draft older than this (the stream paused, a hidden page) is not shown; the key waits for the kept plan. */
const DRAFT_FRESH_MS = 1_000;
const drafts = new Map<string, { draft: HedgeDraft; receivedAt: number }>();

/** The frame loop's newest drafts; kept outside the store, as nothing renders them until a key is pressed. */
export function applyHedgeDrafts(list: readonly HedgeDraft[] | null, receivedAt = performance.now()): void {
  if (!list) return;
  drafts.clear();
  for (const d of list) drafts.set(`${d.underlying}:${d.fraction}`, { draft: d, receivedAt });
}

function freshDraft(underlying: string, fraction: HedgeFraction): HedgePlan | HedgeRefusal | null {
  const d = drafts.get(`${underlying}:${fraction}`);
  return d && performance.now() - d.receivedAt < DRAFT_FRESH_MS ? d.draft.result : null;
}

export const useHedgeStore = create<HedgeState>((set, get) => ({
  preview: null,
  draft: null,
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
    set({ phase: 'asking', fraction, preview: null, draft: freshDraft(underlying, fraction), message: null, sent: null });
    try {
      const preview = await call('hedge.preview', { underlying, fraction });
      if (still()) set({ preview, draft: null, phase: 'shown' });
    } catch (err) {
      if (still()) set({ preview: null, draft: null, phase: 'failed', message: (err as Error).message });
    }
  },
  dismiss: () => {
    generation++;
    set({ preview: null, draft: null, fraction: null, phase: 'idle', message: null, sent: null });
  },
}));
