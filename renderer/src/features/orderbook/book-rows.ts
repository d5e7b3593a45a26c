import { askCount, bidCount, levelOffset } from '../../../../shared/stream/packed-book.ts';

export interface BookRow {
  price: number;
  size: number;
  orders: number;
  /** Cumulative size from the touch to this row, inclusive. */
  total: number;
}

/**
 * Groups one side of a packed book into buckets of `step` (a multiple of the tick): bids round
 * down and asks round up, so a bucket never shows a price better than any order in it.
 */
export function groupSide(packed: Float64Array, side: 'bid' | 'ask', step: number, maxRows: number): BookRow[] {
  const n = side === 'bid' ? bidCount(packed) : askCount(packed);
  const rows: BookRow[] = [];
  // Work in integer units of the step so 0.1-sized buckets do not drift by floating error.
  let bucketKey = NaN;
  for (let i = 0; i < n; i++) {
    const o = levelOffset(packed, side, i);
    const price = packed[o]!;
    const ratio = price / step;
    const key = side === 'bid' ? Math.floor(ratio + 1e-9) : Math.ceil(ratio - 1e-9);
    const last = rows[rows.length - 1];
    if (last && key === bucketKey) {
      last.size += packed[o + 1]!;
      last.orders += packed[o + 2]!;
    } else {
      if (rows.length === maxRows) break;
      bucketKey = key;
      rows.push({ price: key * step, size: packed[o + 1]!, orders: packed[o + 2]!, total: 0 });
    }
  }
  let total = 0;
  for (const r of rows) {
    total += r.size;
    r.total = total;
  }
  return rows;
}

export interface BookSummary {
  bestBid: number | null;
  bestAsk: number | null;
  mid: number | null;
  spread: number | null;
  /** Spread in basis points of the mid. */
  spreadBps: number | null;
}

export function summarise(packed: Float64Array): BookSummary {
  const bestBid = bidCount(packed) > 0 ? packed[levelOffset(packed, 'bid', 0)]! : null;
  const bestAsk = askCount(packed) > 0 ? packed[levelOffset(packed, 'ask', 0)]! : null;
  if (bestBid === null || bestAsk === null) return { bestBid, bestAsk, mid: null, spread: null, spreadBps: null };
  const mid = (bestBid + bestAsk) / 2;
  const spread = bestAsk - bestBid;
  return { bestBid, bestAsk, mid, spread, spreadBps: (spread / mid) * 10_000 };
}
