import { describe, expect, it } from 'vitest';
import { mergeFrames } from '../../../renderer/src/frame-loop/frame-loop.ts';
import { encodeFrame } from '../../../shared/stream/frame-codec.ts';
import type { StreamFrame } from '../../../shared/stream/frame.ts';
import { packBook } from '../../../shared/stream/packed-book.ts';

const id = 'hyperliquid:BTC-PERP';
const f = (seq: number, px: number): StreamFrame => ({
  seq,
  time: seq,
  books: [{ instrumentId: id, time: seq, receivedAt: seq, levels: packBook([{ price: px, size: 1, orders: 1 }], []) }],
  mids: { [id]: px },
  trades: [{ instrumentId: id, time: seq, price: px, size: 1, side: 'buy', id: String(seq) }],
  candles: [{ instrumentId: id, timeframe: '1m', candle: { time: 0, open: 1, high: px, low: 1, close: px, volume: seq } }],
  ...(seq === 2 ? { venues: [{ venue: 'hyperliquid', state: 'stale', paper: true, detail: '', since: 0, lastMessageAt: 0, attempt: 0 }] } : {}),
});

describe('frame loop merge', () => {
  it('keeps the latest book, mid and candle per key and every trade, in order', () => {
    const { frame, candles } = mergeFrames([encodeFrame(f(1, 100)), encodeFrame(f(2, 101)), encodeFrame(f(3, 102))]);
    expect(frame.books.get(id)!.levels[2]).toBe(102);
    expect(frame.mids[id]).toBe(102);
    expect(frame.trades.map((t) => t.price)).toEqual([100, 101, 102]);
    expect(candles.get(`${id}|1m`)!.candle.close).toBe(102);
    expect(frame.venues?.[0]?.state).toBe('stale');
  });

  it('skips an unreadable frame, counts it, and keeps the good ones', () => {
    const { frame } = mergeFrames([encodeFrame(f(1, 100)), new Uint8Array([0xc1, 0x00]), encodeFrame(f(2, 101))]);
    expect(frame.decodeErrors).toBe(1);
    expect(frame.lastDecodeError).toMatch(/msgpack/);
    expect(frame.trades).toHaveLength(2);
  });
});
