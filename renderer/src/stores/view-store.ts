import { create } from 'zustand';
import { TIMEFRAMES, type Timeframe } from '../../../shared/domain/market.ts';

export type SizeUnit = 'coin' | 'usd';
/** Book grouping as a multiple of the instrument's tick. */
export const GROUPINGS = [1, 2, 5, 10, 25, 50, 100] as const;

export interface ViewStore {
  selectedId: string | null;
  timeframe: Timeframe;
  grouping: number;
  sizeUnit: SizeUnit;
  select: (id: string) => void;
  setTimeframe: (tf: Timeframe) => void;
  setGrouping: (g: number) => void;
  stepGrouping: (direction: 1 | -1) => void;
  toggleSizeUnit: () => void;
}

const STORAGE_KEY = 'deltadesk.view';

interface Persisted {
  selectedId?: string;
  timeframe?: Timeframe;
  grouping?: number;
  sizeUnit?: SizeUnit;
}

/** View preferences survive a restart; a damaged entry is ignored, never trusted. */
function load(): Persisted {
  try {
    const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Persisted;
    return {
      ...(typeof raw.selectedId === 'string' ? { selectedId: raw.selectedId } : {}),
      ...(TIMEFRAMES.includes(raw.timeframe as Timeframe) ? { timeframe: raw.timeframe } : {}),
      ...(GROUPINGS.includes(raw.grouping as (typeof GROUPINGS)[number]) ? { grouping: raw.grouping } : {}),
      ...(raw.sizeUnit === 'coin' || raw.sizeUnit === 'usd' ? { sizeUnit: raw.sizeUnit } : {}),
    };
  } catch {
    return {};
  }
}

const saved = typeof localStorage === 'undefined' ? {} : load();

export const useViewStore = create<ViewStore>((set, get) => ({
  selectedId: saved.selectedId ?? null,
  timeframe: saved.timeframe ?? '1m',
  grouping: saved.grouping ?? 1,
  sizeUnit: saved.sizeUnit ?? 'coin',
  select: (selectedId) => set({ selectedId }),
  setTimeframe: (timeframe) => set({ timeframe }),
  setGrouping: (grouping) => set({ grouping }),
  stepGrouping: (direction) => {
    const i = GROUPINGS.indexOf(get().grouping as (typeof GROUPINGS)[number]);
    const next = GROUPINGS[Math.max(0, Math.min(GROUPINGS.length - 1, i + direction))]!;
    set({ grouping: next });
  },
  toggleSizeUnit: () => set({ sizeUnit: get().sizeUnit === 'coin' ? 'usd' : 'coin' }),
}));

useViewStore.subscribe((s) => {
  try {
    localStorage.setItem(
      STORAGE_KEY,
      JSON.stringify({ selectedId: s.selectedId, timeframe: s.timeframe, grouping: s.grouping, sizeUnit: s.sizeUnit }),
    );
  } catch {
    // Storage full or unavailable: preferences simply are not remembered.
  }
});
