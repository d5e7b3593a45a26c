import { decodeFrame, encodeFrame } from '../shared/stream/frame-codec.ts';
import type { StreamFrame } from '../shared/stream/frame.ts';
import { packBook, type BookLevel } from '../shared/stream/packed-book.ts';
import { ROW_FIELDS, ROW_STRIDE } from '../shared/domain/options.ts';
import { opsPerSecond, type Row } from './measure.ts';

/**
 * Across the stream border, packed typed arrays vs the same data as arrays of objects through JSON:
 * a 2×500-level book, and a 500-row chain update (every field of every row, as when a whole chain
 * is repriced). Target: ≥ 20× cheaper for both.
 */
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
  // 500 chain rows: [row, ...ROW_FIELDS] packed, or one object per row with the fields by name.
  const ROWS = 500;
  const optionRows = new Float64Array(ROWS * ROW_STRIDE);
  const rowObjects: Record<string, number>[] = [];
  for (let r = 0; r < ROWS; r++) {
    optionRows[r * ROW_STRIDE] = r;
    const o: Record<string, number> = { row: r };
    ROW_FIELDS.forEach((f, i) => {
      // Values like the chain's: prices of a few decimals, timestamps, IVs as fractions.
      const v = f === 'time' || f === 'receivedAt' || f === 'peerTime' ? 1_764_000_000_000 + r * 7 + i : (0.0123 + r * 1e-4) * (i + 1) * 1.37;
      optionRows[r * ROW_STRIDE + 1 + i] = v;
      o[f] = v;
    });
    rowObjects.push(o);
  }
  const chainPacked: StreamFrame = { ...base, books: [], optionRows };
  const chainObjects = { ...base, books: [], optionRows: rowObjects };
  const chainPackedRate = opsPerSecond(() => {
    const f = decodeFrame(encodeFrame(chainPacked));
    if (f.optionRows!.length !== ROWS * ROW_STRIDE) throw new Error('bad decode');
  }, 2000);
  const chainJsonRate = opsPerSecond(() => {
    const f = JSON.parse(JSON.stringify(chainObjects)) as typeof chainObjects;
    if (f.optionRows.length !== ROWS) throw new Error('bad decode');
  }, 200);
  const us = (rate: number): string => `${(1e6 / rate).toFixed(1)} µs`;
  return [
    {
      bench: 'stream frame, 2×500-level book: packed msgpack encode+decode',
      result: `${us(packedRate)} per frame (${encodeFrame(packed).byteLength.toLocaleString('en-US')} B)`,
      against: `target ≥ 20×; JSON objects ${us(jsonRate)} (${JSON.stringify(objects).length.toLocaleString('en-US')} B)`,
      ratio: `${(packedRate / jsonRate).toFixed(1)}× faster`,
    },
    {
      bench: `stream frame, ${ROWS}-row chain update (${ROW_FIELDS.length} fields): packed encode+decode`,
      result: `${us(chainPackedRate)} per frame (${encodeFrame(chainPacked).byteLength.toLocaleString('en-US')} B)`,
      against: `target ≥ 20×; JSON objects ${us(chainJsonRate)} (${JSON.stringify(chainObjects).length.toLocaleString('en-US')} B)`,
      ratio: `${(chainPackedRate / chainJsonRate).toFixed(1)}× faster`,
    },
    {
      bench: 'same book, packed vs structured clone of objects',
      result: us(packedRate),
      against: `structuredClone objects ${us(cloneRate)}`,
      ratio: `${(packedRate / cloneRate).toFixed(1)}× faster`,
    },
  ];
}
