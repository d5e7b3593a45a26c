import type { Random } from './random.ts';

export interface SimLevel {
  /** Price as an integer number of ticks (avoids float keys). */
  ticks: number;
  size: number;
  orders: number;
}

/** Resting size a tick beyond the kept depth, in touch sizes. */
const FAR_DENSITY = 1;

export interface BookShape {
  /** Levels kept per side. */
  depth: number;
  /** Median resting size at the touch, in coin. */
  touchSize: number;
  /** How much the median size grows per level away from the touch (0.12 = +12 % a level). */
  growthPerLevel: number;
  /** Typical size of one resting order, in coin; sets the order count per level. */
  orderSize: number;
  /** Chance per step that a given level near the touch is amended. */
  churn: number;
}

/**
 * A persistent L2 book around a moving mid: levels keep their size between steps and are amended
 * at random, more often near the touch, so a screen shows realistic flicker rather than noise.
 * Sizes grow away from the touch and the occasional large "wall" appears.
 */
export class BookModel {
  readonly bids = new Map<number, SimLevel>();
  readonly asks = new Map<number, SimLevel>();
  private bestBid = 0;
  private bestAsk = 0;

  private readonly shape: BookShape;
  private readonly rng: Random;

  constructor(shape: BookShape, rng: Random) {
    this.shape = shape;
    this.rng = rng;
  }

  get bestBidTicks(): number {
    return this.bestBid;
  }

  get bestAskTicks(): number {
    return this.bestAsk;
  }

  /** Re-centres the book on `midTicks` (mid price in ticks, fractional allowed). */
  update(midTicks: number): void {
    const spread = 1 + this.rng.poisson(0.5);
    this.bestBid = Math.floor(midTicks - spread / 2);
    this.bestAsk = this.bestBid + spread;
    this.refreshSide(this.bids, this.bestBid, -1);
    this.refreshSide(this.asks, this.bestAsk, +1);
  }

  /** Removes `size` from the touch on one side (a taker trade), dropping an emptied level. */
  consume(side: 'bid' | 'ask', size: number): void {
    const book = side === 'bid' ? this.bids : this.asks;
    const level = book.get(side === 'bid' ? this.bestBid : this.bestAsk);
    if (!level) return;
    level.size = Math.max(level.size - size, this.shape.orderSize * 0.1);
    level.orders = Math.max(1, Math.round(level.size / this.shape.orderSize));
  }

  /** Levels kept per side: the depth the model amends tick by tick. */
  get depth(): number {
    return this.shape.depth;
  }

  /**
   * Resting size beyond the kept depth, from `from` to `to` ticks from the touch (both included):
   * a flat density of one touch-sized order a tick, on average — thinner than the kept levels,
   * which grow away from the touch, so a grouped book's far buckets stay in proportion (BTC: about
   * 35 coin per $100, 350 per $1,000). Grouped books read it; nothing trades against it.
   */
  farSize(from: number, to: number): { size: number; orders: number } {
    const n = to - from + 1;
    if (n <= 0) return { size: 0, orders: 0 };
    const size = FAR_DENSITY * this.shape.touchSize * n;
    return { size, orders: Math.max(1, Math.round(size / this.shape.orderSize)) };
  }

  /** Levels best first. */
  sorted(side: 'bid' | 'ask'): SimLevel[] {
    const levels = [...(side === 'bid' ? this.bids : this.asks).values()];
    return levels.sort((a, b) => (side === 'bid' ? b.ticks - a.ticks : a.ticks - b.ticks));
  }

  private refreshSide(book: Map<number, SimLevel>, best: number, dir: -1 | 1): void {
    const { depth } = this.shape;
    const far = best + dir * (depth - 1);
    for (const ticks of book.keys()) {
      const inside = dir < 0 ? ticks <= best && ticks >= far : ticks >= best && ticks <= far;
      if (!inside) book.delete(ticks);
    }
    for (let i = 0; i < depth; i++) {
      const ticks = best + dir * i;
      const existing = book.get(ticks);
      if (!existing) {
        book.set(ticks, this.freshLevel(ticks, i));
      } else if (this.rng.next() < this.shape.churn / (1 + i * 0.15)) {
        // Amendments pull the level back toward the profile for its distance, so sizes stay
        // plausible however long the session runs.
        const target = this.targetSize(i) * this.rng.logNormal(1, 0.5);
        existing.size = Math.max(this.shape.orderSize * 0.1, 0.6 * existing.size + 0.4 * target);
        existing.orders = Math.max(1, Math.round(existing.size / this.shape.orderSize));
      }
    }
  }

  private targetSize(distance: number): number {
    return this.shape.touchSize * (1 + this.shape.growthPerLevel * distance);
  }

  private freshLevel(ticks: number, distance: number): SimLevel {
    const { orderSize } = this.shape;
    const wall = this.rng.next() < 0.04 ? 4 : 1;
    const size = this.targetSize(distance) * wall * this.rng.logNormal(1, 0.5);
    return { ticks, size, orders: Math.max(1, Math.round(size / orderSize + this.rng.next())) };
  }
}
