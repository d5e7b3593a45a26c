/**
 * An L2 book packed into one Float64Array so it crosses process and thread borders as a single
 * memcpy instead of hundreds of small objects (structured clone of objects costs ~40x more).
 *
 * Layout: [bidCount, askCount, (price, size, orders) × bidCount, (price, size, orders) × askCount]
 * Bids best (highest) first, asks best (lowest) first. Prices in quote currency, sizes in coin.
 */
export const LEVEL_STRIDE = 3;
const HEADER = 2;

export interface BookLevel {
  price: number;
  size: number;
  orders: number;
}

export function packedLength(bidCount: number, askCount: number): number {
  return HEADER + (bidCount + askCount) * LEVEL_STRIDE;
}

export function packBook(bids: readonly BookLevel[], asks: readonly BookLevel[]): Float64Array {
  const out = new Float64Array(packedLength(bids.length, asks.length));
  out[0] = bids.length;
  out[1] = asks.length;
  let o = HEADER;
  for (const side of [bids, asks]) {
    for (const l of side) {
      out[o++] = l.price;
      out[o++] = l.size;
      out[o++] = l.orders;
    }
  }
  return out;
}

export function bidCount(packed: Float64Array): number {
  return packed[0] ?? 0;
}

export function askCount(packed: Float64Array): number {
  return packed[1] ?? 0;
}

/** Offset of level `i` (0 = best) on one side. */
export function levelOffset(packed: Float64Array, side: 'bid' | 'ask', i: number): number {
  return HEADER + (side === 'bid' ? i : bidCount(packed) + i) * LEVEL_STRIDE;
}

/** Mid of the best bid and ask, or null when either side is empty. */
export function packedMid(packed: Float64Array): number | null {
  if (!(bidCount(packed) > 0 && askCount(packed) > 0)) return null;
  return (packed[levelOffset(packed, 'bid', 0)]! + packed[levelOffset(packed, 'ask', 0)]!) / 2;
}

export function unpackSide(packed: Float64Array, side: 'bid' | 'ask'): BookLevel[] {
  const n = side === 'bid' ? bidCount(packed) : askCount(packed);
  const out: BookLevel[] = [];
  for (let i = 0; i < n; i++) {
    const o = levelOffset(packed, side, i);
    out.push({ price: packed[o]!, size: packed[o + 1]!, orders: packed[o + 2]! });
  }
  return out;
}

/** Checks the header against the array length; a packed book that fails this is rejected whole. */
export function isWellFormedPackedBook(packed: Float64Array): boolean {
  if (packed.length < HEADER) return false;
  const b = packed[0]!;
  const a = packed[1]!;
  return Number.isInteger(b) && Number.isInteger(a) && b >= 0 && a >= 0 && packed.length === packedLength(b, a);
}
