import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MarketState } from '../../../electron/engine/market/market-state.ts';
import { Publisher } from '../../../electron/engine/publisher.ts';
import { decodeFrame } from '../../../shared/stream/frame-codec.ts';
import { packBook } from '../../../shared/stream/packed-book.ts';

const id = 'hyperliquid:BTC-PERP';
const book = (px: number) => ({ instrumentId: id, time: px, receivedAt: px, levels: packBook([{ price: px, size: 1, orders: 1 }], []) });

describe('publisher', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance', 'Date'] }));
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

  it('a screen with credit gets each change at once; out of credit the changes coalesce until it draws, then the latest goes out at once', () => {
    const state = new MarketState();
    const pub = new Publisher(state, 16);
    const frames: Uint8Array[] = [];
    const screen = pub.addMeteredSink((b) => frames.push(b), 2);
    state.applyMids({ [id]: 1 });
    pub.changed();
    vi.advanceTimersByTime(0);
    expect(frames).toHaveLength(1); // no 16 ms window: the next turn of the loop
    state.applyMids({ [id]: 2 });
    pub.changed();
    vi.advanceTimersByTime(0);
    expect(frames).toHaveLength(1); // within 2 ms of the last frame: folded into the next
    vi.advanceTimersByTime(2);
    expect(frames).toHaveLength(2);
    // No credit left: a burst waits, however long, and nothing queues.
    for (let i = 3; i <= 50; i++) {
      state.applyMids({ [id]: i });
      pub.changed();
      vi.advanceTimersByTime(10);
    }
    expect(frames).toHaveLength(2);
    screen.drawn(1);
    vi.advanceTimersByTime(0);
    expect(frames).toHaveLength(3); // the last frame is long past: at once
    expect(decodeFrame(frames[2]!).mids[id]).toBe(50);
  });

  it('a screen that stopped drawing no longer holds another back, and gets the whole state when it draws again', () => {
    const state = new MarketState();
    const pub = new Publisher(state, 16);
    let wholeState = 0;
    pub.onNeedsWholeState = () => wholeState++;
    const fast: Uint8Array[] = [];
    const hidden: Uint8Array[] = [];
    const a = pub.addMeteredSink((b) => fast.push(b), 1);
    const b = pub.addMeteredSink((x) => hidden.push(x), 1);
    state.applyMids({ [id]: 1 });
    pub.changed();
    vi.advanceTimersByTime(0);
    expect([fast.length, hidden.length]).toEqual([1, 1]);
    a.drawn(1); // only the visible screen draws
    state.applyMids({ [id]: 2 });
    pub.changed();
    vi.advanceTimersByTime(500);
    expect(fast).toHaveLength(1); // the hidden one might still draw: it is waited for
    vi.advanceTimersByTime(600);
    expect(fast).toHaveLength(2); // past a second it counts as stalled
    expect(hidden).toHaveLength(1);
    b.drawn(1);
    expect(wholeState).toBe(1);
  });
});
