import { create } from 'zustand';
import { BOOK_GROUPINGS } from '../../../shared/domain/book-grouping.ts';
import { TIMEFRAMES, type Timeframe } from '../../../shared/domain/market.ts';
import { OPTION_UNDERLYINGS, type OptionKind, type OptionUnderlying } from '../../../shared/domain/options.ts';
import { LADDER_FIELDS, type LadderField } from '../../../shared/domain/portfolio.ts';

export type SizeUnit = 'coin' | 'usd';
/** Book grouping as a multiple of the instrument's tick: the steps the venue aggregates at. */
export const GROUPINGS = BOOK_GROUPINGS;

export type Workspace = 'market' | 'options' | 'portfolio' | 'vault' | 'journal';
const WORKSPACES: readonly Workspace[] = ['market', 'options', 'portfolio', 'vault', 'journal'];
export type PremiumUnit = 'coin' | 'usd';
export type ChainView = 'greeks' | 'venues';

export interface ViewStore {
  workspace: Workspace;
  /** Options workspace: underlying, expiry (ms), the cursor's strike and side, premium unit. */
  optionUnderlying: OptionUnderlying;
  optionExpiry: number | null;
  cursorStrike: number | null;
  cursorKind: OptionKind;
  premiumUnit: PremiumUnit;
  setWorkspace: (w: Workspace) => void;
  setOptionUnderlying: (u: OptionUnderlying) => void;
  setOptionExpiry: (e: number | null) => void;
  setCursor: (strike: number | null, kind?: OptionKind) => void;
  togglePremiumUnit: () => void;
  /** The chain's columns: our Greeks beside Deribit's quotes, or both venues' quotes side by side. */
  chainView: ChainView;
  toggleChainView: () => void;
  /** Portfolio workspace: underlying tab, ladder cursor (rows from spot, + = higher), unit, columns. */
  portfolioUnderlying: string | null;
  ladderCursor: number;
  ladderColumns: LadderField[];
  setPortfolioUnderlying: (u: string | null) => void;
  moveLadderCursor: (by: number | null) => void;
  toggleLadderColumn: (f: LadderField) => void;
  /** The ladder's margin-use columns, one per venue account. */
  ladderMargins: boolean;
  toggleLadderMargins: () => void;
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
  workspace?: Workspace;
  optionUnderlying?: OptionUnderlying;
  optionExpiry?: number;
  cursorStrike?: number;
  cursorKind?: OptionKind;
  premiumUnit?: PremiumUnit;
  chainView?: ChainView;
  selectedId?: string;
  timeframe?: Timeframe;
  grouping?: number;
  sizeUnit?: SizeUnit;
  portfolioUnderlying?: string;
  ladderColumns?: LadderField[];
  ladderMargins?: boolean;
}

/** View preferences survive a restart; a damaged entry is ignored, never trusted. */
function load(): Persisted {
  try {
    const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Persisted;
    return {
      ...(WORKSPACES.includes(raw.workspace as Workspace) ? { workspace: raw.workspace } : {}),
      // The option in view: its expiry and the cursor, checked against the chain when it loads (an
      // expired or delisted one falls back to the nearest expiry and the money).
      ...(Number.isFinite(raw.optionExpiry) ? { optionExpiry: raw.optionExpiry } : {}),
      ...(Number.isFinite(raw.cursorStrike) && raw.cursorStrike! > 0 ? { cursorStrike: raw.cursorStrike } : {}),
      ...(raw.cursorKind === 'call' || raw.cursorKind === 'put' ? { cursorKind: raw.cursorKind } : {}),
      ...(typeof raw.portfolioUnderlying === 'string' ? { portfolioUnderlying: raw.portfolioUnderlying } : {}),
      ...(Array.isArray(raw.ladderColumns) && raw.ladderColumns.every((c) => LADDER_FIELDS.includes(c)) ? { ladderColumns: raw.ladderColumns } : {}),
      ...(typeof raw.ladderMargins === 'boolean' ? { ladderMargins: raw.ladderMargins } : {}),
      ...(OPTION_UNDERLYINGS.includes(raw.optionUnderlying as OptionUnderlying) ? { optionUnderlying: raw.optionUnderlying } : {}),
      ...(raw.premiumUnit === 'coin' || raw.premiumUnit === 'usd' ? { premiumUnit: raw.premiumUnit } : {}),
      ...(raw.chainView === 'greeks' || raw.chainView === 'venues' ? { chainView: raw.chainView } : {}),
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
  workspace: saved.workspace ?? 'market',
  optionUnderlying: saved.optionUnderlying ?? 'BTC',
  optionExpiry: saved.optionExpiry ?? null,
  cursorStrike: saved.cursorStrike ?? null,
  cursorKind: saved.cursorKind ?? 'call',
  premiumUnit: saved.premiumUnit ?? 'coin',
  setWorkspace: (workspace) => set({ workspace }),
  setOptionUnderlying: (optionUnderlying) => set({ optionUnderlying, optionExpiry: null, cursorStrike: null }),
  setOptionExpiry: (optionExpiry) => set({ optionExpiry }),
  setCursor: (cursorStrike, kind) => set(kind ? { cursorStrike, cursorKind: kind } : { cursorStrike }),
  togglePremiumUnit: () => set({ premiumUnit: get().premiumUnit === 'coin' ? 'usd' : 'coin' }),
  chainView: saved.chainView ?? 'greeks',
  toggleChainView: () => set({ chainView: get().chainView === 'greeks' ? 'venues' : 'greeks' }),
  portfolioUnderlying: saved.portfolioUnderlying ?? null,
  ladderCursor: 0,
  ladderColumns: saved.ladderColumns ?? ['pnl', 'deltaCoin', 'gammaCoin', 'vegaUsd', 'thetaUsd'],
  setPortfolioUnderlying: (portfolioUnderlying) => set({ portfolioUnderlying, ladderCursor: 0 }),
  moveLadderCursor: (by) => set({ ladderCursor: by === null ? 0 : get().ladderCursor + by }),
  toggleLadderColumn: (f) => {
    const cols = get().ladderColumns;
    set({ ladderColumns: cols.includes(f) ? cols.filter((c) => c !== f) : LADDER_FIELDS.filter((c) => c === f || cols.includes(c)) });
  },
  ladderMargins: saved.ladderMargins ?? true,
  toggleLadderMargins: () => set({ ladderMargins: !get().ladderMargins }),
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
      JSON.stringify({
        workspace: s.workspace,
        optionUnderlying: s.optionUnderlying,
        optionExpiry: s.optionExpiry ?? undefined,
        cursorStrike: s.cursorStrike ?? undefined,
        cursorKind: s.cursorKind,
        premiumUnit: s.premiumUnit,
        chainView: s.chainView,
        selectedId: s.selectedId,
        timeframe: s.timeframe,
        grouping: s.grouping,
        sizeUnit: s.sizeUnit,
        portfolioUnderlying: s.portfolioUnderlying ?? undefined,
        ladderColumns: s.ladderColumns,
        ladderMargins: s.ladderMargins,
      }),
    );
  } catch {
    // Storage full or unavailable: preferences simply are not remembered.
  }
});
