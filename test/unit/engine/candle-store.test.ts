import { describe, expect, it } from 'vitest';
import { CandleStore } from '../../../electron/engine/market/candle-store.ts';
import type { Trade } from '../../../shared/domain/market.ts';

const id = 'hyperliquid:BTC-PERP';
const t = (time: number, price: number, size = 1): Trade => ({ instrumentId: id, time, price, size, side: 'buy', id: String(time) });

describe('candle store', () => {
  it('extends loaded series from trades, bucketed per timeframe', () => {
    const store = new CandleStore();
    store.load(id, '1m', [{ time: 0, open: 10, high: 11, low: 9, close: 10, volume: 5 }]);
    store.load(id, '5m', [{ time: 0, open: 10, high: 11, low: 9, close: 10, volume: 5 }]);
    store.applyTrade(t(30_000, 12, 2));
    store.applyTrade(t(61_000, 8, 1));
    expect(store.get(id, '1m')).toEqual([
      { time: 0, open: 10, high: 12, low: 9, close: 12, volume: 7 },
      { time: 60_000, open: 8, high: 8, low: 8, close: 8, volume: 1 },
    ]);
    expect(store.get(id, '5m')).toEqual([{ time: 0, open: 10, high: 12, low: 8, close: 8, volume: 8 }]);
    const dirty = store.takeDirty();
    expect(dirty.map((d) => d.timeframe).sort()).toEqual(['1m', '5m']);
    expect(store.takeDirty()).toEqual([]);
  });

  it('ignores late trades for closed bars and other instruments', () => {
    const store = new CandleStore();
    store.load(id, '1m', [{ time: 120_000, open: 10, high: 10, low: 10, close: 10, volume: 1 }]);
    store.applyTrade(t(30_000, 99));
    store.applyTrade({ ...t(130_000, 99), instrumentId: 'hyperliquid:ETH-PERP' });
    expect(store.get(id, '1m')).toHaveLength(1);
    expect(store.get(id, '1m')[0]!.high).toBe(10);
  });

  it('keeps live bars built while history was loading', () => {
    const store = new CandleStore();
    store.open(id, '1m');
    store.applyTrade(t(125_000, 15));
    store.load(id, '1m', [{ time: 120_000, open: 10, high: 11, low: 9, close: 10, volume: 1 }]);
    expect(store.get(id, '1m')[0]).toMatchObject({ high: 15, low: 9, close: 15 });
  });
});
