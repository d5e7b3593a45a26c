import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatExpiryCode, futureName, optionName, parseExpiryCode, parseOptionName } from '../../../electron/venues/deribit/instrument-name.ts';
import { normaliseOption, normaliseTicker } from '../../../electron/venues/deribit/normalise.ts';
import { DeribitBook, type BookDelta } from '../../../electron/venues/deribit/order-book.ts';
import { wireInstrument, wireTicker } from '../../../electron/venues/deribit/wire-schemas.ts';
import { REAL_TICKER } from '../../fixtures/deribit-ticker.ts';

describe('Deribit instrument names', () => {
  it('reads the documented names: expiries at 08:00 UTC, no leading zero on the day, d as decimal point', () => {
    // venues.md §2.5: 27 Dec 2024 08:00 UTC = 1735286400000.
    expect(parseOptionName('BTC-27DEC24-100000-C')).toEqual({ base: 'BTC', settlement: 'inverse', expiry: 1735286400000, strike: 100000, kind: 'call' });
    expect(parseOptionName('XRP_USDC-30JUN23-0d625-C')).toMatchObject({ base: 'XRP_USDC', settlement: 'linear', strike: 0.625, kind: 'call' });
    expect(formatExpiryCode(Date.UTC(2023, 7, 5, 8))).toBe('5AUG23');
    expect(futureName('BTC', Date.UTC(2023, 7, 5, 8))).toBe('BTC-5AUG23');
  });

  it('refuses what is not an option name', () => {
    for (const bad of ['BTC-PERPETUAL', 'BTC-27DEC24', 'BTC-32DEC24-1000-C', 'BTC-30FEB24-1000-C', 'BTC-05AUG23-1000-C', 'BTC-27DEC24-1000-X', 'BTC-27DEC24-abc-C', 'BTC-27XYZ24-1000-P']) {
      expect(parseOptionName(bad), bad).toBeNull();
    }
  });

  it('round-trips any listed option', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3650 }), fc.integer({ min: 1, max: 400 }), fc.boolean(), (day, k, call) => {
        const expiry = Date.UTC(2024, 0, 1, 8) + day * 86_400_000;
        const strike = k * 500;
        const name = optionName('ETH', expiry, strike, call ? 'call' : 'put');
        expect(parseOptionName(name)).toEqual({ base: 'ETH', settlement: 'inverse', expiry, strike, kind: call ? 'call' : 'put' });
        expect(parseExpiryCode(name.split('-')[1]!)).toBe(expiry);
      }),
    );
  });
});

describe('Deribit book (change_id chain)', () => {
  it('applies the documented snapshot and change messages', () => {
    // venues.md §2.3.
    const b = new DeribitBook();
    b.snapshot(297217, 1734000000000, [['new', 0.0415, 12.5], ['new', 0.041, 30.0]], [['new', 0.0425, 8.0]]);
    const r = b.change(297217, 297218, 1734000000100, [['delete', 0.041, 0.0], ['change', 0.0415, 10.0]], [['new', 0.042, 3.0]]);
    expect(r.ok).toBe(true);
    expect(Array.from(b.pack(10))).toEqual([1, 2, 0.0415, 10, 0, 0.042, 3, 0, 0.0425, 8, 0]);
  });

  it('refuses a change whose prev_change_id is not the last change_id, until a new snapshot', () => {
    const b = new DeribitBook();
    b.snapshot(10, 0, [['new', 1, 1]], []);
    const r = b.change(11, 12, 0, [['new', 2, 1]], []);
    expect(r).toEqual({ ok: false, reason: 'change_id gap: expected prev_change_id 10, got 11' });
    expect(b.synced).toBe(false);
    expect(b.change(12, 13, 0, [], []).ok).toBe(false);
    b.snapshot(20, 0, [['new', 3, 1]], []);
    expect(b.change(20, 21, 0, [['change', 3, 2]], []).ok).toBe(true);
    expect(b.bids.size(0)).toBe(2);
  });

  it('matches a plain map of levels after any sequence of changes, best price first', () => {
    const level = fc.tuple(fc.constantFrom('new', 'change', 'delete'), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 50 }));
    fc.assert(
      fc.property(fc.array(fc.array(level, { maxLength: 8 }), { maxLength: 60 }), (batches) => {
        const b = new DeribitBook();
        b.snapshot(0, 0, [], []);
        const model = new Map<number, number>();
        batches.forEach((batch, i) => {
          const deltas = batch.map(([a, p, s]) => [a, p / 100, a === 'delete' ? 0 : s] as BookDelta);
          expect(b.change(i, i + 1, 0, deltas, []).ok).toBe(true);
          for (const [a, p, s] of deltas) {
            if (a === 'delete' || s === 0) model.delete(p);
            else model.set(p, s);
          }
        });
        const expected = [...model].sort((x, y) => y[0] - x[0]);
        const got = Array.from({ length: b.bids.length }, (_, i) => [b.bids.price(i), b.bids.size(i)]);
        expect(got).toEqual(expected);
      }),
    );
  });
});

describe('Deribit normalisation', () => {
  it('turns the real ticker into canonical units: IVs as fractions, premiums in coin, forward and index in USD', () => {
    const t = normaliseTicker(wireTicker.parse(REAL_TICKER), 1);
    expect(t).toMatchObject({ name: 'BTC-27SEP24-40000-C', bid: 0.214, ask: 0.2205, bidSize: 2.2, askSize: 9, mark: 0.2169, forward: 39165.86, index: 36707.05, openInterest: 368.8 });
    expect(t.bidIv).toBeCloseTo(0.6006, 12);
    expect(t.askIv).toBeCloseTo(0.6185, 12);
    expect(t.markIv).toBeCloseTo(0.6086, 12);
    expect(t.venue).toEqual({ delta: 0.59833, gamma: 0.00002, vega: 142.30124, theta: -13.4441 });
  });

  it('reads an empty side (price 0) as no quote rather than a free option', () => {
    const t = normaliseTicker(wireTicker.parse({ ...REAL_TICKER, best_bid_price: 0, best_bid_amount: 0, bid_iv: 0 }), 1);
    expect(Number.isNaN(t.bid)).toBe(true);
    expect(Number.isNaN(t.bidIv)).toBe(true);
    expect(t.bidSize).toBe(0);
  });

  it('rejects a ticker with a negative mark or a missing index, naming the field', () => {
    const r = wireTicker.safeParse({ ...REAL_TICKER, mark_price: -1 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['mark_price']);
    expect(wireTicker.safeParse({ ...REAL_TICKER, index_price: undefined }).success).toBe(false);
  });

  it('lists the documented option instrument with its tick steps, and skips futures', () => {
    const doc = {
      instrument_name: 'BTC-27DEC24-100000-C', instrument_id: 144613, kind: 'option', option_type: 'call', strike: 100000, expiration_timestamp: 1735286400000,
      creation_timestamp: 1671696002000, is_active: true, state: 'open', settlement_period: 'month', settlement_currency: 'BTC', base_currency: 'BTC',
      quote_currency: 'BTC', counter_currency: 'USD', price_index: 'btc_usd', instrument_type: 'reversed', contract_size: 1, min_trade_amount: 0.1,
      tick_size: 0.0001, tick_size_steps: [{ above_price: 0.005, tick_size: 0.0005 }], maker_commission: 0.0003, taker_commission: 0.0003,
    };
    expect(normaliseOption(wireInstrument.parse(doc), 7)).toEqual({
      row: 7, name: 'BTC-27DEC24-100000-C', underlying: 'BTC', expiry: 1735286400000, strike: 100000, kind: 'call', settlement: 'inverse',
      tick: 0.0001, tickStepAbove: 0.005, tickAbove: 0.0005, minTradeAmount: 0.1,
    });
    expect(normaliseOption(wireInstrument.parse({ ...doc, instrument_name: 'BTC-27DEC24', kind: 'future' }), 0)).toMatch(/not an option/);
  });
});
