import { decodeFrame, encodeFrame } from '../shared/stream/frame-codec.ts';
import type { StreamFrame } from '../shared/stream/frame.ts';
import { packBook, type BookLevel } from '../shared/stream/packed-book.ts';
import { opsPerSecond, type Row } from './measure.ts';

/** A 2×500-level book across the stream border: packed typed array vs an array of objects as JSON. */
export function benchStreamCodec(): Row[] {
  const bids: BookLevel[] = [];
  const asks: BookLevel[] = [];
  for (let i = 0; i < 500; i++) {
    bids.push({ price: 97_000 - i, size: 0.1 + (i % 17) * 0.37, orders: 1 + (i % 9) });
    asks.push({ price: 97_001 + i, size: 0.1 + (i % 13) * 0.41, orders: 1 + (i % 7) });
  }
  const base = { seq: 1, time: 1, mids: {}, trades: [], candles: [] };
  const packed: StreamFrame = { ...base, books: [{ instrumentId: 'hyperliquid:BTC-PERP', time: 1, receivedAt: 1, levels: packBook(bids, asks) }] };
  const objects = { ...base, books: [{ instrumentId: 'hyperliquid:BTC-PERP', time: 1, receivedAt: 1, bids, asks }] };

  const packedRate = opsPerSecond(() => {
    const f = decodeFrame(encodeFrame(packed));
    if (f.books[0]!.levels.length !== 3002) throw new Error('bad decode');
  }, 2000);
  const jsonRate = opsPerSecond(() => {
    const f = JSON.parse(JSON.stringify(objects)) as typeof objects;
    if (f.books[0]!.bids.length !== 500) throw new Error('bad decode');
  }, 500);
  const cloneRate = opsPerSecond(() => {
    const f = structuredClone(objects);
    if (f.books[0]!.bids.length !== 500) throw new Error('bad clone');
  }, 500);
  const us = (rate: number): string => `${(1e6 / rate).toFixed(1)} µs`;
  return [
    {
      bench: 'stream frame, 2×500-level book: packed msgpack encode+decode',
      result: `${us(packedRate)} per frame (${encodeFrame(packed).byteLength.toLocaleString('en-US')} B)`,
      against: `JSON objects ${us(jsonRate)} (${JSON.stringify(objects).length.toLocaleString('en-US')} B)`,
      ratio: `${(packedRate / jsonRate).toFixed(1)}× faster`,
    },
    {
      bench: 'same book, packed vs structured clone of objects',
      result: us(packedRate),
      against: `structuredClone objects ${us(cloneRate)}`,
      ratio: `${(packedRate / cloneRate).toFixed(1)}× faster`,
    },
  ];
}
