import { create } from 'zustand';
import type { LadderSnapshot, PortfolioSnapshot } from '../../../shared/domain/portfolio.ts';

export interface PortfolioFrame {
  snapshot: PortfolioSnapshot | null;
  ladders: LadderSnapshot[] | null;
}

export interface PortfolioStore {
  snapshot: PortfolioSnapshot | null;
  /** Latest ladder per underlying. */
  ladders: Record<string, LadderSnapshot>;
  applyFrame: (f: PortfolioFrame) => void;
}

/** The engine's portfolio as last published: positions with risk, totals, and the ladders. */
export const usePortfolioStore = create<PortfolioStore>((set) => ({
  snapshot: null,
  ladders: {},
  applyFrame: (f) => {
    if (!f.snapshot && !f.ladders) return;
    set((s) => ({
      snapshot: f.snapshot ?? s.snapshot,
      ladders: f.ladders ? Object.fromEntries(f.ladders.map((l) => [l.spec.underlying, l])) : s.ladders,
    }));
  },
}));
