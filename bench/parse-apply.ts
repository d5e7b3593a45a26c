import { MarketState } from '../electron/engine/market/market-state.ts';
import { bookLevels } from '../electron/sim/hyperliquid/payloads.ts';
import { SimMarket } from '../electron/sim/sim-market.ts';
import { packL2Book } from '../electron/venues/hyperliquid/book-parse.ts';
import { scanL2BookFrame } from '../electron/venues/hyperliquid/book-scan.ts';
import { wireFrame, wireL2Book } from '../electron/venues/hyperliquid/wire-schemas.ts';
import { opsPerSecond, type Row } from './measure.ts';

/**
 * l2Book frames as the adapter handles them: the fast scan (book-scan.ts, every check of the
 * schema and the ordering, straight into the packed layout), then applied to the engine's market
 * state; against the general path (JSON.parse, envelope and book schemas, packing). Frames are real
 * simulator output (20 levels a side), cycled so no two consecutive frames are equal.
 */
export function benchParseApply(): Row[] {
  const market = new SimMarket({ seed: 1, now: Date.now(), historyMs: 60_000 });
  const frames: string[] = [];
  for (let i = 0; i < 512; i++) {
    market.advanceTo(Date.now() + i * 100);
    const coin = market.coin(i % 2 ? 'ETH' : 'BTC')!;
    frames.push(JSON.stringify({ channel: 'l2Book', data: { coin: coin.config.coin, time: i, levels: bookLevels(coin) } }));
  }
  const state = new MarketState();
  // What the adapter does with a frame: the scan, and the general path only for what it declines.
  const rate = opsPerSecond((i) => {
    const book = scanL2BookFrame(frames[i % frames.length]!);
    if (!book) throw new Error('the simulator sent a frame the scan declined');
    state.applyBook({ instrumentId: book.coin, time: book.time, receivedAt: 0, levels: book.levels });
  }, 20_000);
  // The general path every frame took before: JSON.parse, the envelope and book schemas, packing.
  const generalRate = opsPerSecond((i) => {
    const envelope = wireFrame.parse(JSON.parse(frames[i % frames.length]!));
    const book = wireL2Book.parse(envelope.data);
    const levels = packL2Book(book);
    if (typeof levels === 'string') throw new Error(levels);
    state.applyBook({ instrumentId: book.coin, time: book.time, receivedAt: 0, levels });
  }, 5000);
  const target = 100_000;
  // Hyperliquid allows 1000 subscriptions per IP and pushes a book at most every 0.5 s.
  const venueCeiling = 2000;
  return [
    {
      bench: 'l2Book frames parsed + validated + applied (20×2 levels)',
      result: `${Math.round(rate).toLocaleString('en-US')} frames/s`,
      against: `target ${target.toLocaleString('en-US')}/s; JSON.parse + schema ${Math.round(generalRate).toLocaleString('en-US')}/s; venue ceiling ${venueCeiling.toLocaleString('en-US')}/s`,
      ratio: `${(rate / target).toFixed(2)}× target; ${(rate / generalRate).toFixed(1)}× general; ${(rate / venueCeiling).toFixed(0)}× ceiling`,
    },
  ];
}
