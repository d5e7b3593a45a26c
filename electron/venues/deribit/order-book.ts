import { LEVEL_STRIDE, packedLength } from '../../../shared/stream/packed-book.ts';

export type BookAction = 'new' | 'change' | 'delete';
export type BookDelta = [action: BookAction, price: number, amount: number];

/**
 * One side of a price-level book kept sorted in flat typed arrays, best price first. Deribit sends
 * level changes (not snapshots), so each change is a binary search plus a short memmove; there is no
 * per-level object to allocate or collect. No npm order book does this for level deltas without
 * per-level objects, hence our own (bench/ compares it with a plain sorted array of tuples).
 */
export class BookSide {
  private prices: Float64Array;
  private sizes: Float64Array;
  private n = 0;
  private readonly descending: boolean;

  constructor(descending: boolean, capacity = 64) {
    this.descending = descending;
    this.prices = new Float64Array(capacity);
    this.sizes = new Float64Array(capacity);
  }

  get length(): number {
    return this.n;
  }

  price(i: number): number {
    return this.prices[i]!;
  }

  size(i: number): number {
    return this.sizes[i]!;
  }

  clear(): void {
    this.n = 0;
  }

  /** Sets the total at `price`; 0 removes the level. */
  set(price: number, amount: number): void {
    const i = this.search(price);
    const found = i < this.n && this.prices[i] === price;
    if (amount <= 0) {
      if (found) {
        this.prices.copyWithin(i, i + 1, this.n);
        this.sizes.copyWithin(i, i + 1, this.n);
        this.n--;
      }
      return;
    }
    if (found) {
      this.sizes[i] = amount;
      return;
    }
    if (this.n === this.prices.length) this.grow();
    this.prices.copyWithin(i + 1, i, this.n);
    this.sizes.copyWithin(i + 1, i, this.n);
    this.prices[i] = price;
    this.sizes[i] = amount;
    this.n++;
  }

  /** First index whose price is not better than `price`. */
  private search(price: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const p = this.prices[mid]!;
      if (this.descending ? p > price : p < price) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private grow(): void {
    const p = new Float64Array(this.prices.length * 2);
    const s = new Float64Array(this.sizes.length * 2);
    p.set(this.prices);
    s.set(this.sizes);
    this.prices = p;
    this.sizes = s;
  }
}

export type ApplyResult = { ok: true } | { ok: false; reason: string };

/**
 * A Deribit book built from `book.{instrument}.{interval}` messages: a snapshot, then changes whose
 * `prev_change_id` must equal the previous `change_id`. A broken chain leaves the book unusable until
 * the next snapshot; the caller resubscribes.
 */
export class DeribitBook {
  readonly bids = new BookSide(true);
  readonly asks = new BookSide(false);
  changeId: number | null = null;
  time = 0;

  get synced(): boolean {
    return this.changeId !== null;
  }

  snapshot(changeId: number, time: number, bids: readonly BookDelta[], asks: readonly BookDelta[]): void {
    this.bids.clear();
    this.asks.clear();
    for (const [, p, a] of bids) this.bids.set(p, a);
    for (const [, p, a] of asks) this.asks.set(p, a);
    this.changeId = changeId;
    this.time = time;
  }

  change(prevChangeId: number, changeId: number, time: number, bids: readonly BookDelta[], asks: readonly BookDelta[]): ApplyResult {
    if (this.changeId === null) return { ok: false, reason: 'change before snapshot' };
    if (prevChangeId !== this.changeId) {
      const reason = `change_id gap: expected prev_change_id ${this.changeId}, got ${prevChangeId}`;
      this.changeId = null;
      return { ok: false, reason };
    }
    for (const [action, p, a] of bids) this.bids.set(p, action === 'delete' ? 0 : a);
    for (const [action, p, a] of asks) this.asks.set(p, action === 'delete' ? 0 : a);
    this.changeId = changeId;
    this.time = time;
    return { ok: true };
  }

  /** The top `depth` levels a side in the app's packed layout (orders unknown on Deribit: 0). */
  pack(depth: number): Float64Array {
    const nb = Math.min(depth, this.bids.length);
    const na = Math.min(depth, this.asks.length);
    const out = new Float64Array(packedLength(nb, na));
    out[0] = nb;
    out[1] = na;
    let o = 2;
    for (const [side, n] of [[this.bids, nb], [this.asks, na]] as const) {
      for (let i = 0; i < n; i++, o += LEVEL_STRIDE) {
        out[o] = side.price(i);
        out[o + 1] = side.size(i);
      }
    }
    return out;
  }
}
