import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, StreamDecodeError } from '../../../shared/stream/frame-codec.ts';
import type { StreamFrame } from '../../../shared/stream/frame.ts';
import { isWellFormedPackedBook, packBook, unpackSide } from '../../../shared/stream/packed-book.ts';

const bids = [
  { price: 97000.5, size: 1.25, orders: 3 },
  { price: 96999, size: 0.00001, orders: 1 },
];
const asks = [{ price: 97001, size: 2, orders: 4 }];

function frame(): StreamFrame {
  return {
    seq: 7,
    time: 1_737_000_000_000,
    books: [{ instrumentId: 'hyperliquid:BTC-PERP', time: 1_737_000_000_000, receivedAt: 1_737_000_000_000.25, levels: packBook(bids, asks) }],
    mids: { 'hyperliquid:BTC-PERP': 97000.75 },
    trades: [{ instrumentId: 'hyperliquid:BTC-PERP', time: 1, price: 97001, size: 0.5, side: 'buy', id: '812345678901234' }],
    candles: [],
  };
}

describe('packed book', () => {
  it('round-trips levels exactly', () => {
    const packed = packBook(bids, asks);
    expect(unpackSide(packed, 'bid')).toEqual(bids);
    expect(unpackSide(packed, 'ask')).toEqual(asks);
  });

  it('rejects a header that does not match the length', () => {
    const packed = packBook(bids, asks);
    packed[0] = 5;
    expect(isWellFormedPackedBook(packed)).toBe(false);
    expect(isWellFormedPackedBook(new Float64Array([1.5, 0]))).toBe(false);
  });
});

describe('stream frame codec', () => {
  it('round-trips a frame with typed-array books bit for bit', () => {
    const decoded = decodeFrame(encodeFrame(frame()));
    expect(decoded.books[0]!.levels).toBeInstanceOf(Float64Array);
    expect([...decoded.books[0]!.levels]).toEqual([...packBook(bids, asks)]);
    expect(decoded.books[0]!.receivedAt).toBe(1_737_000_000_000.25);
    expect(decoded.trades).toEqual(frame().trades);
    expect(decoded.mids).toEqual(frame().mids);
  });

  it('gives each encoded frame its own exact-size buffer (safe to transfer)', () => {
    const a = encodeFrame(frame());
    const b = encodeFrame(frame());
    expect(a.buffer).not.toBe(b.buffer);
    expect(a.byteLength).toBe(a.buffer.byteLength);
  });

  it('rejects garbage and malformed frames with a reason', () => {
    expect(() => decodeFrame(new Uint8Array([0xc1]))).toThrow(StreamDecodeError);
    const bad = frame();
    bad.books[0]!.levels = new Float64Array([3, 0, 1]);
    expect(() => decodeFrame(encodeFrame(bad))).toThrow(/books\[0\]\.levels/);
    const noSeq = { ...frame(), seq: 'x' } as unknown as StreamFrame;
    expect(() => decodeFrame(encodeFrame(noSeq))).toThrow(/seq/);
  });

  it('carries the venue-grouped book with its step, and refuses one without a step or with a broken book', () => {
    const grouped = { ...frame().books[0]!, step: 100 };
    const decoded = decodeFrame(encodeFrame({ ...frame(), groupedBooks: [grouped] }));
    expect(decoded.groupedBooks?.[0]?.step).toBe(100);
    expect([...decoded.groupedBooks![0]!.levels]).toEqual([...packBook(bids, asks)]);
    expect(() => decodeFrame(encodeFrame({ ...frame(), groupedBooks: [{ ...grouped, step: 0 }] }))).toThrow(/groupedBooks\[0\]\.step/);
    expect(() => decodeFrame(encodeFrame({ ...frame(), groupedBooks: [{ ...grouped, levels: new Float64Array([2, 0, 1]) }] }))).toThrow(/groupedBooks\[0\]\.levels/);
    expect(() => decodeFrame(encodeFrame({ ...frame(), groupedBooks: 'x' } as unknown as StreamFrame))).toThrow(/groupedBooks: expected an array/);
  });
});
