import { MarketState } from '../electron/engine/market/market-state.ts';
import { bookLevels } from '../electron/sim/hyperliquid/payloads.ts';
import { SimMarket } from '../electron/sim/sim-market.ts';
import { packL2Book } from '../electron/venues/hyperliquid/book-parse.ts';
import { wireFrame, wireL2Book } from '../electron/venues/hyperliquid/wire-schemas.ts';
import { opsPerSecond, type Row } from './measure.ts';

/**
 * l2Book frames as the adapter handles them: JSON.parse, envelope and book schema validation,
 * ordering check and packing, then applied to the engine's market state. Frames are real
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
  const rate = opsPerSecond((i) => {
    const envelope = wireFrame.parse(JSON.parse(frames[i % frames.length]!));
    const book = wireL2Book.parse(envelope.data);
    const levels = packL2Book(book);
    if (typeof levels === 'string') throw new Error(levels);
    state.applyBook({ instrumentId: book.coin, time: book.time, receivedAt: 0, levels });
  }, 5000);
  // Hyperliquid allows 1000 subscriptions per IP and pushes a book at most every 0.5 s.
  const venueCeiling = 2000;
  return [
    {
      bench: 'l2Book frames parsed + validated + applied (20×2 levels)',
      result: `${Math.round(rate).toLocaleString('en-US')} frames/s`,
      against: `venue ceiling ${venueCeiling.toLocaleString('en-US')} frames/s (1000 subs × 2/s)`,
      ratio: `${(rate / venueCeiling).toFixed(1)}× headroom`,
    },
  ];
}
