import { describe, expect, it } from 'vitest';
import { deriveSimFee } from '../../../../electron/sim/derive/derive-options.ts';
import { deriveBook, deriveInstrument, deriveSlimTicker, deriveTakerFeeUsd, normaliseDeriveOption, normaliseDeriveTicker } from '../../../../electron/venues/derive/wire-schemas.ts';

/* Derive's string decimals parsed once, into canonical units, and bad frames refused with the field named. */
const example = {
  t: 1785000000000, I: '3650.2', M: '112.4', b: '110.0', B: '25', a: '115.0', A: '10', f: null, minp: '50.0', maxp: '300.0',
  option_pricing: { d: '0.42', g: '0.0009', v: '6.1', t: '-3.2', r: '1.1', i: '0.61', bi: '0.60', ai: '0.63', m: '112.4', f: '3662.0', df: '0.999' },
  stats: { c: '120', v: '438000', pr: '13200', oi: '2400', h: '120.0', l: '98.0', p: '0.05', n: 37 },
};

describe('Derive wire payloads', () => {
  it('the documented slim ticker reads as USD premiums and fractional IVs', () => {
    const q = normaliseDeriveTicker('ETH-20270625-6000-C', deriveSlimTicker.parse(example), 1);
    expect(q).toMatchObject({ bidUsd: 110, askUsd: 115, bidSize: 25, askSize: 10, markUsd: 112.4, bidIv: 0.6, askIv: 0.63, markIv: 0.61, forward: 3662, index: 3650.2, venue: { delta: 0.42, gamma: 0.0009, vega: 6.1, theta: -3.2 } });
  });

  it('an empty side ("0") is no quote, never a zero price', () => {
    const q = normaliseDeriveTicker('X', deriveSlimTicker.parse({ ...example, b: '0', B: '0' }), 1);
    expect(q.bidUsd).toBeNaN();
    expect(q.bidIv).toBeNaN();
    expect(q.bidSize).toBe(0);
  });

  it('refuses a malformed ticker or book and names the field', () => {
    const t = deriveSlimTicker.safeParse({ ...example, t: 'soon', M: '-1' });
    expect(t.success).toBe(false);
    expect(t.error!.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['t', 'M']));
    const b = deriveBook.safeParse({ instrument_name: 'X', publish_id: 'x', timestamp: 1, bids: [['1', 'many']], asks: [] });
    expect(b.error!.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['publish_id', 'bids.0.1']));
  });

  it('an instrument carries the ids an order signs and the fees the venue publishes', () => {
    const w = deriveInstrument.parse({
      instrument_name: 'ETH-20270625-6000-P', instrument_type: 'option', is_active: true, base_currency: 'ETH', quote_currency: 'USDC', tick_size: '0.1', amount_step: '0.1', minimum_amount: '0.1',
      maker_fee_rate: '0.0001', taker_fee_rate: '0.0003', base_fee: '0.5', mark_price_fee_rate_cap: '0.125', base_asset_address: '0x4BB4C3CDc7562f08e9910A0C7D8bB7e108861eB4', base_asset_sub_id: '2576980377601813910400',
      option_details: { expiry: 1813910400, strike: '6000', option_type: 'P', index: 'ETH-USD' },
    });
    const c = normaliseDeriveOption(w);
    if (typeof c === 'string') throw new Error(c);
    expect(c).toMatchObject({ underlying: 'ETH', expiry: Date.UTC(2027, 5, 25, 8), strike: 6000, kind: 'put', settlement: 'linear', subId: 2576980377601813910400n });
    // The adapter's fee estimate and the simulated venue's charge agree: 0.5 + min(0.03 % × 3,650, 12.5 % × premium).
    for (const premium of [1, 8, 100]) expect(deriveTakerFeeUsd(c, premium, 3650)).toBeCloseTo(deriveSimFee(premium, 3650), 10);
    expect(deriveTakerFeeUsd(c, 100, 3650)).toBeCloseTo(0.5 + 1.095, 10);
    expect(normaliseDeriveOption({ ...w, quote_currency: 'USDT' })).toBe('ETH-20270625-6000-P: quoted in USDT, not USDC');
  });
});
