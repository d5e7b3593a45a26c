import { describe, expect, it } from 'vitest';
import { ProtocolWatch, type PerpReading, type ProtocolReadings } from '../../../electron/engine/monitor/protocol-watch.ts';

/*
 * The "protocol broke" figures (issue "Kill switch", item 3): what each one measures, in the units
 * its rule's thresholds use, and the oracle that only counts as frozen once its market has moved.
 */
const perp = (over: Partial<PerpReading> = {}): PerpReading => ({ venue: 'hyperliquid', underlying: 'BTC', instrument: 'BTC-PERP', bid: 99_990, ask: 100_010, depthUsd: 2_000_000, index: 100_000, indexName: 'Deribit index', ...over });
const readings = (over: Partial<ProtocolReadings> = {}): ProtocolReadings => ({ perps: [], oracles: [], marketMid: () => 3_000, ...over });
const value = (m: { rule: string; subject: string; value: number }[], rule: string) => m.find((x) => x.rule === rule)?.value;

describe('protocol health figures', () => {
  it('a perp book: spread and deviation in bps of the mid, depth in USD, subjects led by the venue', () => {
    const m = new ProtocolWatch().measure(readings({ perps: [perp({ bid: 102_900, ask: 103_100, depthUsd: 8_000 })] }), 0);
    expect(value(m, 'book-spread')).toBeCloseTo((200 / 103_000) * 10_000, 9);
    expect(value(m, 'mark-deviation')).toBeCloseTo(300, 9);
    expect(value(m, 'book-depth')).toBe(8_000);
    expect(m.map((x) => x.subject)).toEqual(['hyperliquid:BTC-PERP', 'hyperliquid:BTC-PERP', 'hyperliquid:BTC']);
    expect(m.find((x) => x.rule === 'mark-deviation')!.describe(200)).toBe('Hyperliquid BTC-PERP: mid 103000.0 is 300 bps above the Deribit index 100000.0 (alert above 200 bps)');
  });

  it('a crossed or one-sided book is not judged (no false spread), and no index means no deviation', () => {
    expect(new ProtocolWatch().measure(readings({ perps: [perp({ ask: null }), perp({ bid: 100, ask: 99 })] }), 0)).toEqual([]);
    expect(value(new ProtocolWatch().measure(readings({ perps: [perp({ index: null })] }), 0), 'mark-deviation')).toBeUndefined();
  });

  it('a stablecoin at Aave’s oracle: bps off $1', () => {
    const m = new ProtocolWatch().measure(readings({ oracles: [{ symbol: 'USDC', priceUsd: 0.975, tracks: null }] }), 0);
    expect(value(m, 'stablecoin-depeg')).toBeCloseTo(250, 9);
    expect(m[0]!.subject).toBe('aave:USDC');
  });

  it('an oracle is frozen only while its market has moved 1 % since it last changed', () => {
    const w = new ProtocolWatch();
    let market = 3_000;
    const at = (t: number, price: number) => value(w.measure(readings({ oracles: [{ symbol: 'WETH', priceUsd: price, tracks: 'ETH' }], marketMid: () => market }), t), 'oracle-frozen');
    expect(at(0, 3_000)).toBe(0);
    market = 3_020; // 0.67 %: a quiet market, an unchanged oracle is fine
    expect(at(300_000, 3_000)).toBe(0);
    market = 3_060; // 2 %: now it counts, from when the oracle last changed
    expect(at(700_000, 3_000)).toBe(700);
    // It moves again: frozen no more.
    expect(at(701_000, 3_058)).toBe(0);
  });
});
