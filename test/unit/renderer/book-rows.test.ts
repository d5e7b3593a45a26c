import { describe, expect, it } from 'vitest';
import { groupSide, summarise } from '../../../renderer/src/features/orderbook/book-rows.ts';
import { packBook } from '../../../shared/stream/packed-book.ts';

const book = packBook(
  [
    { price: 3650.3, size: 1, orders: 1 },
    { price: 3650.1, size: 2, orders: 2 },
    { price: 3649.9, size: 3, orders: 1 },
    { price: 3649.0, size: 4, orders: 5 },
  ],
  [
    { price: 3650.4, size: 1.5, orders: 1 },
    { price: 3650.6, size: 2.5, orders: 3 },
    { price: 3651.1, size: 1, orders: 1 },
  ],
);

describe('order book rows', () => {
  it('keeps levels as they are at grouping 1 with running totals', () => {
    const rows = groupSide(book, 'bid', 0.1, 20);
    expect(rows.map((r) => [r.price.toFixed(1), r.size, r.total])).toEqual([
      ['3650.3', 1, 1],
      ['3650.1', 2, 3],
      ['3649.9', 3, 6],
      ['3649.0', 4, 10],
    ]);
  });

  it('groups bids down and asks up so a bucket never shows a better price than its orders', () => {
    const bids = groupSide(book, 'bid', 1, 20);
    expect(bids.map((r) => [r.price, r.size, r.orders])).toEqual([
      [3650, 3, 3],
      [3649, 7, 6],
    ]);
    const asks = groupSide(book, 'ask', 1, 20);
    expect(asks.map((r) => [r.price, r.size])).toEqual([
      [3651, 4],
      [3652, 1],
    ]);
  });

  it('limits rows and summarises the touch', () => {
    expect(groupSide(book, 'bid', 0.1, 2)).toHaveLength(2);
    const s = summarise(book);
    expect(s.bestBid).toBe(3650.3);
    expect(s.bestAsk).toBe(3650.4);
    expect(s.spread).toBeCloseTo(0.1, 10);
    expect(s.spreadBps).toBeCloseTo((0.1 / 3650.35) * 1e4, 8);
    expect(summarise(packBook([], [])).mid).toBeNull();
  });
});
