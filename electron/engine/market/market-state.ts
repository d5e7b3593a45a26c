import type { Trade } from '../../../shared/domain/market.ts';
import type { VenueStatus } from '../../../shared/domain/venues.ts';
import type { BookUpdate, GroupedBookUpdate, StreamFrame } from '../../../shared/stream/frame.ts';
import { CandleStore } from './candle-store.ts';

/** Frames carry at most this many trades; a burst beyond it keeps the newest. */
const MAX_TRADES_PER_FRAME = 500;

/**
 * Everything the screen shows about markets, mutated in place as venue frames arrive and
 * drained into one coalesced frame: latest book and mid per instrument, trades since last frame.
 */
/** Another part of the engine that adds to each frame (the options desk). */
export interface FramePart {
  readonly dirty: boolean;
  contribute(frame: StreamFrame): void;
}

export class MarketState {
  readonly candles = new CandleStore();
  readonly books = new Map<string, BookUpdate>();
  readonly mids = new Map<string, number>();
  readonly venues = new Map<string, VenueStatus>();
  /** The book in view as the venue grouped it, for the screen only. */
  grouped: GroupedBookUpdate | null = null;
  private groupedDirty = false;
  private readonly dirtyBooks = new Set<string>();
  private readonly dirtyMids = new Set<string>();
  private pendingTrades: Trade[] = [];
  private venuesDirty = false;
  private seq = 0;
  private readonly parts: FramePart[] = [];

  addPart(part: FramePart): void {
    this.parts.push(part);
  }

  applyBook(update: BookUpdate): void {
    this.books.set(update.instrumentId, update);
    this.dirtyBooks.add(update.instrumentId);
  }

  applyGroupedBook(update: GroupedBookUpdate | null): void {
    this.grouped = update;
    this.groupedDirty = update !== null;
  }

  applyMids(mids: Record<string, number>): void {
    for (const [id, px] of Object.entries(mids)) {
      if (this.mids.get(id) === px) continue;
      this.mids.set(id, px);
      this.dirtyMids.add(id);
    }
  }

  applyTrades(trades: Trade[]): void {
    for (const t of trades) {
      this.candles.applyTrade(t);
      this.pendingTrades.push(t);
    }
    if (this.pendingTrades.length > MAX_TRADES_PER_FRAME) {
      this.pendingTrades = this.pendingTrades.slice(-MAX_TRADES_PER_FRAME);
    }
  }

  applyVenueStatus(status: VenueStatus): void {
    this.venues.set(status.venue, status);
    this.venuesDirty = true;
  }

  get dirty(): boolean {
    return this.dirtyBooks.size > 0 || this.groupedDirty || this.dirtyMids.size > 0 || this.pendingTrades.length > 0 || this.venuesDirty || this.parts.some((p) => p.dirty);
  }

  /** Builds the next frame from what changed and clears the dirty marks. */
  takeFrame(now: number): StreamFrame {
    const frame: StreamFrame = {
      seq: ++this.seq,
      time: now,
      books: [...this.dirtyBooks].map((id) => this.books.get(id)!),
      mids: Object.fromEntries([...this.dirtyMids].map((id) => [id, this.mids.get(id)!])),
      trades: this.pendingTrades,
      candles: this.candles.takeDirty(),
    };
    if (this.venuesDirty) frame.venues = [...this.venues.values()];
    if (this.groupedDirty && this.grouped) frame.groupedBooks = [this.grouped];
    this.groupedDirty = false;
    for (const p of this.parts) if (p.dirty) p.contribute(frame);
    this.dirtyBooks.clear();
    this.dirtyMids.clear();
    this.pendingTrades = [];
    this.venuesDirty = false;
    return frame;
  }
}
