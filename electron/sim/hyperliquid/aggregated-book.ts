import { aggregationStep, type BookAggregation } from '../../../shared/domain/book-grouping.ts';
import type { SimCoin } from '../sim-market.ts';
import { wirePrice, wireSize } from '../wire-format.ts';
import { BOOK_LEVELS_PER_SIDE, bookLevels, l2Book, type WireLevel } from './payloads.ts';

/**
 * An l2Book aggregated as the venue does for `nSigFigs`/`mantissa`: prices rounded to the step of
 * the touch's magnitude — bids down, asks up, so the grouped touch never crosses — sizes and order
 * counts summed, still 20 levels a side. Buckets reaching past the depth the book model keeps are
 * filled from the model's profile carried on (BookModel.farSize), with a fixed per-bucket scatter
 * so a grouped book looks the same from one push to the next and has its walls.
 */
export function aggregatedLevels(coin: SimCoin, agg: BookAggregation): [WireLevel[], WireLevel[]] {
  const touch = coin.book.bestBidTicks * coin.tick;
  const stepTicks = Math.round(aggregationStep(touch, agg) / coin.tick);
  // A step at or under the tick is the raw book.
  if (stepTicks <= 1) return bookLevels(coin);
  return [side(coin, 'bid', stepTicks), side(coin, 'ask', stepTicks)];
}

/** An l2Book snapshot's data: aggregated as asked, or the raw book (no aggregation). */
export function l2BookFor(coin: SimCoin, time: number, agg: BookAggregation | null): { coin: string; time: number; levels: [WireLevel[], WireLevel[]] } {
  return agg ? { coin: coin.config.coin, time, levels: aggregatedLevels(coin, agg) } : l2Book(coin, time);
}

function side(coin: SimCoin, which: 'bid' | 'ask', stepTicks: number): WireLevel[] {
  const { book } = coin;
  const dir = which === 'bid' ? -1 : 1;
  const best = which === 'bid' ? book.bestBidTicks : book.bestAskTicks;
  const levels = book.sorted(which);
  let next = 0;
  // The bucket holding the touch: bids cover [edge, edge + step − 1], asks (edge − step, edge].
  let edge = which === 'bid' ? Math.floor(best / stepTicks) * stepTicks : Math.ceil(best / stepTicks) * stepTicks;
  const out: WireLevel[] = [];
  while (out.length < BOOK_LEVELS_PER_SIDE && edge > 0) {
    const lo = which === 'bid' ? edge : edge - stepTicks + 1;
    const hi = which === 'bid' ? edge + stepTicks - 1 : edge;
    let size = 0;
    let orders = 0;
    for (; next < levels.length && (which === 'bid' ? levels[next]!.ticks >= lo : levels[next]!.ticks <= hi); next++) {
      size += levels[next]!.size;
      orders += levels[next]!.orders;
    }
    // Distances from the touch this bucket spans, and the part of them past the kept depth.
    const near = Math.max(0, which === 'bid' ? best - hi : lo - best);
    const far = which === 'bid' ? best - lo : hi - best;
    const beyond = book.farSize(Math.max(near, book.depth), far);
    if (beyond.size > 0) {
      const scatter = scatterOf(edge, which);
      size += beyond.size * scatter;
      orders += Math.max(1, Math.round(beyond.orders * scatter));
    }
    if (size > 0) out.push({ px: wirePrice(edge * coin.tick, coin.priceDecimals), sz: wireSize(size, coin.config.szDecimals), n: orders });
    edge += dir * stepTicks;
  }
  return out;
}

/** A fixed factor per bucket (0.55–1.8, one in twenty a ×3 wall): the same bucket reads the same every push. */
function scatterOf(edge: number, which: 'bid' | 'ask'): number {
  let h = Math.imul(edge ^ (which === 'bid' ? 0x9e3779b9 : 0x7f4a7c15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  const u = (h >>> 0) / 2 ** 32;
  const wall = (h & 0xff) < 13 ? 3 : 1;
  return wall * Math.exp(1.2 * (u - 0.5));
}
