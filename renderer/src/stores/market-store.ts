import { create } from 'zustand';
import type { Instrument } from '../../../shared/domain/instruments.ts';
import type { Trade } from '../../../shared/domain/market.ts';
import type { VenueStatus } from '../../../shared/domain/venues.ts';
import type { BookUpdate, GroupedBookUpdate } from '../../../shared/stream/frame.ts';

const TRADES_KEPT = 60;

export interface MarketFrame {
  books: Map<string, BookUpdate>;
  groupedBook: GroupedBookUpdate | null;
  mids: Record<string, number>;
  trades: Trade[];
  venues: VenueStatus[] | null;
  /** Frames the renderer failed to decode in this batch, with the last reason. */
  decodeErrors: number;
  lastDecodeError: string | null;
}

export interface MarketStore {
  instruments: Instrument[];
  books: Record<string, BookUpdate>;
  /** The book in view as the venue grouped it (market.groupBook); the raw book stays in `books`. */
  groupedBook: GroupedBookUpdate | null;
  mids: Record<string, number>;
  /** Newest first, per instrument. */
  trades: Record<string, Trade[]>;
  venues: VenueStatus[];
  streamErrors: number;
  lastStreamError: string | null;
  setInstruments: (list: Instrument[]) => void;
  setVenues: (list: VenueStatus[]) => void;
  applyFrame: (frame: MarketFrame) => void;
}

export const useMarketStore = create<MarketStore>((set) => ({
  instruments: [],
  books: {},
  groupedBook: null,
  mids: {},
  trades: {},
  venues: [],
  streamErrors: 0,
  lastStreamError: null,
  setInstruments: (instruments) => set({ instruments }),
  setVenues: (venues) => set({ venues }),
  applyFrame: (f) =>
    set((s) => {
      const next: Partial<MarketStore> = {};
      if (f.books.size) {
        const books = { ...s.books };
        for (const [id, b] of f.books) books[id] = b;
        next.books = books;
      }
      if (f.groupedBook) next.groupedBook = f.groupedBook;
      if (Object.keys(f.mids).length) next.mids = { ...s.mids, ...f.mids };
      if (f.trades.length) {
        const trades = { ...s.trades };
        for (const t of f.trades) {
          const list = [t, ...(trades[t.instrumentId] ?? [])];
          trades[t.instrumentId] = list.length > TRADES_KEPT ? list.slice(0, TRADES_KEPT) : list;
        }
        next.trades = trades;
      }
      if (f.venues) next.venues = f.venues;
      if (f.decodeErrors) {
        next.streamErrors = s.streamErrors + f.decodeErrors;
        next.lastStreamError = f.lastDecodeError;
      }
      return next;
    }),
}));
