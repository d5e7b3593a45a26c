import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../shared/domain/instruments.ts';
import type { OptionContract } from '../../shared/domain/options.ts';
import { deribitPerpDraft, deribitPerpMarginCoin } from '../../renderer/src/features/ticket/deribit-perp-math.ts';
import { optionDraft, optionFeeCoin, shortOptionMarginCoin } from '../../renderer/src/features/ticket/option-ticket-math.ts';
import { draftOf } from '../../renderer/src/features/ticket/OrderTicket.tsx';

const base = { side: 'buy' as const, sizeUnit: 'coin' as const, tif: 'Gtc' as const, postOnly: false, reduceOnly: false };
const btc: Instrument = { id: 'hyperliquid:BTC-PERP', venue: 'hyperliquid', kind: 'perp', venueSymbol: 'BTC', symbol: 'BTC-PERP', base: 'BTC', quote: 'USD', sizeDecimals: 5, maxPriceDecimals: 1, priceSigFigs: 5, maxLeverage: 40 };
const call: OptionContract = { row: 0, name: 'BTC-25DEC26-100000-C', underlying: 'BTC', expiry: 0, strike: 100_000, kind: 'call', settlement: 'inverse', tick: 0.0001, tickStepAbove: 0.005, tickAbove: 0.0005, minTradeAmount: 0.1 };

describe('what the tickets send, from what is typed', () => {
  it('Hyperliquid: a USD size becomes coins at the limit, floored to the size step; off-tick prices are said, not rounded', () => {
    expect(draftOf(btc, { ...base, sizeUnit: 'usd', sizeText: '1000', priceText: '97000' }).order).toMatchObject({ venue: 'hyperliquid', instrument: 'BTC', size: 0.01030, limit: 97_000, tif: 'Gtc' });
    expect(draftOf(btc, { ...base, sizeText: '0.05', priceText: '97000.5' }).problem).toMatch(/on the tick \(1 here\)/);
    expect(draftOf(btc, { ...base, sizeText: '0.000001', priceText: '97000' }).problem).toMatch(/under the smallest step/);
    expect(draftOf(btc, { ...base, sizeText: '0.05', priceText: '97000', postOnly: true }).order?.tif).toBe('Alo');
  });

  it('Deribit perpetual: whole USD contracts (coins typed are converted at the limit), the 0.5 tick', () => {
    expect(deribitPerpDraft('BTC', { ...base, sizeUnit: 'usd', sizeText: '205', priceText: '97000.5' }).order).toMatchObject({ venue: 'deribit', instrument: 'BTC-PERPETUAL', size: 200 });
    expect(deribitPerpDraft('BTC', { ...base, sizeText: '0.01', priceText: '97000' }).order?.size).toBe(970);
    expect(deribitPerpDraft('ETH', { ...base, sizeUnit: 'usd', sizeText: '7', priceText: '3500.05' }).order?.size).toBe(7);
    expect(deribitPerpDraft('BTC', { ...base, sizeUnit: 'usd', sizeText: '200', priceText: '97000.25' }).problem).toMatch(/tick \(0\.5/);
    expect(deribitPerpDraft('BTC', { ...base, sizeUnit: 'usd', sizeText: '5', priceText: '97000' }).problem).toMatch(/under one contract \(10 USD\)/);
    // Standard margin: 1 BTC of perpetual needs 2 % + 0.005 % of a coin.
    expect(deribitPerpMarginCoin('BTC', 97_000, 97_000)).toBeCloseTo(0.02005, 12);
  });

  it("Deribit option: the premium on the option's two-step tick, contracts in steps of its minimum; the fee and a short's margin", () => {
    expect(optionDraft(call, { ...base, sizeText: '0.3', priceText: '0.0123' }).problem).toMatch(/on the tick \(0\.0005/);
    expect(optionDraft(call, { ...base, sizeText: '0.3', priceText: '0.0043' }).order).toMatchObject({ venue: 'deribit', instrument: call.name, size: 0.3, limit: 0.0043 });
    expect(optionDraft(call, { ...base, sizeText: '0.25', priceText: '0.0125' }).problem).toMatch(/steps of 0\.1/);
    // 0.03 % of the underlying per contract, capped at 12.5 % of the premium.
    expect(optionFeeCoin(1, 0.1)).toBeCloseTo(0.0003, 12);
    expect(optionFeeCoin(1, 0.001)).toBeCloseTo(0.000125, 12);
    // A call 10 % out of the money: max(0.15 − 0.10, 0.1) + mark.
    expect(shortOptionMarginCoin(call, 100_000 / 1.1, 0.004)).toBeCloseTo(0.104, 9);
  });
});
