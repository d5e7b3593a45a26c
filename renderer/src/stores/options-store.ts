import { create } from 'zustand';
import { ROW_FIELDS, ROW_STRIDE, rowIndex, type Mispricing, type OptionContract, type OptionUnderlying, type RowField, type SurfaceSnapshot } from '../../../shared/domain/options.ts';

const N = ROW_FIELDS.length;
/** Rows that arrive before the chain listing are kept (bounded) and applied when it lands. */
const PENDING_KEPT = 200;

export interface OptionsFrame {
  rows: Float64Array[];
  chainVersion: number | null;
  surfaces: SurfaceSnapshot[];
  mispricings: { underlying: OptionUnderlying; items: Mispricing[] }[];
}

export interface OptionsStore {
  contracts: OptionContract[];
  /** The chain version the listing came from, and the newest one announced by the stream. */
  chainVersion: number;
  announcedVersion: number;
  /** Live values, ROW_FIELDS per contract row; mutated in place, `tick` says it changed. */
  values: Float64Array;
  tick: number;
  surfaces: Partial<Record<OptionUnderlying, SurfaceSnapshot>>;
  mispricings: Partial<Record<OptionUnderlying, Mispricing[]>>;
  setChain: (contracts: OptionContract[], version: number) => void;
  applyFrame: (f: OptionsFrame) => void;
}

let pending: Float64Array[] = [];

function applyRows(values: Float64Array, rows: Float64Array): boolean {
  let any = false;
  for (let o = 0; o + ROW_STRIDE <= rows.length; o += ROW_STRIDE) {
    const row = rows[o]!;
    if (!(row >= 0) || (row + 1) * N > values.length) continue;
    values.set(rows.subarray(o + 1, o + ROW_STRIDE), row * N);
    any = true;
  }
  return any;
}

export const useOptionsStore = create<OptionsStore>((set, get) => ({
  contracts: [],
  chainVersion: 0,
  announcedVersion: 0,
  values: new Float64Array(0),
  tick: 0,
  surfaces: {},
  mispricings: {},
  setChain: (contracts, version) => {
    const values = new Float64Array(contracts.length * N).fill(NaN);
    // A new listing (a venue linked or delisted peers, an expiry left, a new one joined) keeps every
    // contract's live values on its row, wherever that row is now, or rows that rarely tick would
    // read "no price" until they do.
    const old = get();
    const oldRow = new Map(old.contracts.map((c) => [c.name, c.row]));
    for (const c of contracts) {
      const r = oldRow.get(c.name);
      if (r !== undefined) values.set(old.values.subarray(r * N, r * N + N), c.row * N);
    }
    for (const rows of pending) applyRows(values, rows);
    pending = [];
    set({ contracts, values, chainVersion: version, announcedVersion: Math.max(version, get().announcedVersion), tick: get().tick + 1 });
  },
  applyFrame: (f) => {
    const s = get();
    const next: Partial<OptionsStore> = {};
    if (f.chainVersion !== null && f.chainVersion !== s.announcedVersion) next.announcedVersion = f.chainVersion;
    // Rows after a new listing was announced are numbered for it: held until it has been read.
    const waiting = s.values.length === 0 || (next.announcedVersion ?? s.announcedVersion) > s.chainVersion;
    let changed = false;
    for (const rows of f.rows) {
      if (waiting) {
        pending.push(rows);
        if (pending.length > PENDING_KEPT) pending.shift();
      } else changed = applyRows(s.values, rows) || changed;
    }
    if (changed) next.tick = s.tick + 1;
    if (f.surfaces.length) {
      next.surfaces = { ...s.surfaces };
      for (const x of f.surfaces) next.surfaces[x.underlying] = x;
    }
    if (f.mispricings.length) {
      next.mispricings = { ...s.mispricings };
      for (const x of f.mispricings) next.mispricings[x.underlying] = x.items;
    }
    if (Object.keys(next).length) set(next);
  },
}));

/** One live value of a contract's row. */
export function rowValue(values: Float64Array, row: number, field: RowField): number {
  return values[rowIndex(row, field)] ?? NaN;
}
