import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../shared/domain/instruments.ts';
import type { OrderRow } from '../../shared/domain/orders.ts';
import { ownAtLevels } from '../../renderer/src/features/orderbook/OrderBook.tsx';

const btc: Instrument = { id: 'hyperliquid:BTC-PERP', venue: 'hyperliquid', kind: 'perp', venueSymbol: 'BTC', symbol: 'BTC-PERP', base: 'BTC', quote: 'USD', sizeDecimals: 5, maxPriceDecimals: 1, priceSigFigs: 5, maxLeverage: 40 };
const row = (o: Partial<OrderRow>): OrderRow => ({ venue: 'hyperliquid', intentId: 'i', clientId: 'c', venueOrderId: 'v', instrument: 'BTC', side: 'buy', size: 0.01, filled: 0, price: 97_003, avgPrice: 0, tif: 'Gtc', reduceOnly: false, purpose: 'manual', state: 'accepted', reason: null, updatedAt: 0, ...o });

describe('our orders on the book', () => {
  it('sit in the row the book draws them in: bids rounded down and asks up to the grouping, what is left to fill summed', () => {
    const orders = [row({ price: 97_003 }), row({ price: 97_007, size: 0.03, filled: 0.01 }), row({ side: 'sell', price: 97_011 }), row({ side: 'sell', price: 97_020, state: 'partially-filled', size: 0.02, filled: 0.005 })];
    const at10 = ownAtLevels(orders, btc, 10);
    expect([...at10.entries()]).toEqual([
      ['bid:97000', 0.03],
      ['ask:97020', 0.025],
    ]);
    expect(ownAtLevels(orders, btc, 1).get('bid:97003')).toBeCloseTo(0.01, 12);
  });

  it('leave out what is not working here: finished or unsent orders, another coin, another venue', () => {
    const orders = [row({ state: 'filled' }), row({ state: 'cancelled' }), row({ state: 'created' }), row({ instrument: 'ETH' }), row({ venue: 'deribit', instrument: 'BTC-PERPETUAL' })];
    expect(ownAtLevels(orders, btc, 1).size).toBe(0);
  });
});
