import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MarketState } from '../../../electron/engine/market/market-state.ts';
import { Publisher } from '../../../electron/engine/publisher.ts';
import { decodeFrame } from '../../../shared/stream/frame-codec.ts';
import { packBook } from '../../../shared/stream/packed-book.ts';

const id = 'hyperliquid:BTC-PERP';
const book = (px: number) => ({ instrumentId: id, time: px, receivedAt: px, levels: packBook([{ price: px, size: 1, orders: 1 }], []) });

describe('publisher', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it('coalesces a burst into one frame per 16 ms carrying the latest value per key', () => {
    const state = new MarketState();
    const pub = new Publisher(state, 16);
    const frames: Uint8Array[] = [];
    pub.addSink((b) => frames.push(b));
    for (let i = 1; i <= 100; i++) {
      state.applyBook(book(100 + i));
      state.applyMids({ [id]: 100 + i });
      state.applyTrades([{ instrumentId: id, time: i, price: 100 + i, size: 1, side: 'buy', id: String(i) }]);
      pub.changed();
    }
    vi.advanceTimersByTime(0);
    expect(frames).toHaveLength(1);
    const f = decodeFrame(frames[0]!);
    expect(f.books).toHaveLength(1);
    expect(f.books[0]!.levels[2]).toBe(200);
    expect(f.mids[id]).toBe(200);
    expect(f.trades).toHaveLength(100);

    // Changes arriving right after a flush wait for the 16 ms window.
    for (let ms = 0; ms < 48; ms++) {
      state.applyMids({ [id]: 300 + ms });
      pub.changed();
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(16);
    expect(frames.length).toBeGreaterThanOrEqual(3);
    expect(frames.length).toBeLessThanOrEqual(5);
    expect(decodeFrame(frames[frames.length - 1]!).mids[id]).toBe(347);
  });

  it('sends nothing when nothing changed, and survives a failing sink', () => {
    const state = new MarketState();
    const pub = new Publisher(state, 16);
    const good: Uint8Array[] = [];
    pub.addSink(() => {
      throw new Error('window closed');
    });
    pub.addSink((b) => good.push(b));
    pub.changed();
    vi.advanceTimersByTime(50);
    expect(good).toHaveLength(0);
    state.applyMids({ [id]: 1 });
    pub.changed();
    vi.advanceTimersByTime(50);
    expect(good).toHaveLength(1);
  });
});
