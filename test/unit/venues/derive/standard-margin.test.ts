import { describe, expect, it } from 'vitest';
import { deriveRequirement, deriveStandardMargins, type DeriveSrmOption } from '../../../../electron/venues/derive/standard-margin.ts';
import { deriveAccountSummary, deriveSubaccount } from '../../../../electron/venues/derive/positions.ts';

/*
 * Derive's standard margin, worked by hand from the venue's rule (docs/derive.md, "Margin") with
 * the index and forward at $100,000: what a short put, a put spread, a naked call and a call
 * spread ask, and how the portfolio reads the venue's net figures.
 */
const EXPIRY = Date.UTC(2026, 11, 25, 8);
const opt = (kind: 'call' | 'put', strike: number, amount: number, mark: number, over: Partial<DeriveSrmOption> = {}): DeriveSrmOption => ({ market: 'BTC', kind, strike, expiry: EXPIRY, amount, mark, spot: 100_000, forward: 100_000, ...over });

describe('Derive standard margin', () => {
  it('a short 90,000 put at $1,000: maintenance 9 % of spot, initial 13 % (15 % less 10 % out of the money, floored)', () => {
    const m = deriveStandardMargins(20_000, [opt('put', 90_000, -1, 1_000)]);
    expect(m.valueUsd).toBe(19_000);
    // MM: cash + MtM − max(0.09 × spot, 0.09 × |MtM|) = 20,000 − 1,000 − 9,000.
    expect(m.maintenanceNetUsd).toBeCloseTo(10_000, 6);
    // IM: min(−13,000 − 1,000, 1.05 × MM) = −14,000.
    expect(m.initialNetUsd).toBeCloseTo(6_000, 6);
    const need = deriveRequirement([opt('put', 90_000, -1, 1_000)]);
    expect(need.initialUsd).toBeCloseTo(13_000, 6);
    expect(need.maintenanceUsd).toBeCloseTo(9_000, 6);
  });

  it('a put spread asks no more than it can lose at settlement: $5,000 for the 90/85 spread', () => {
    const legs = [opt('put', 90_000, -1, 1_000), opt('put', 85_000, 1, 500)];
    const m = deriveStandardMargins(0, legs);
    expect(m.maintenanceNetUsd).toBeCloseTo(-5_000, 6);
    expect(m.initialNetUsd).toBeCloseTo(-5_000, 6);
  });

  it('a naked call is margined on its own (its unbounded loss scaled by 1.1 × forward would be worse); a call spread by the better of the two', () => {
    const naked = deriveStandardMargins(0, [opt('call', 110_000, -1, 800)]);
    expect(naked.maintenanceNetUsd).toBeCloseTo(-9_800, 6);
    expect(naked.initialNetUsd).toBeCloseTo(-13_800, 6);
    const spread = deriveStandardMargins(0, [opt('call', 110_000, -1, 800), opt('call', 120_000, 1, 300)]);
    expect(spread.maintenanceNetUsd).toBeCloseTo(-9_800, 6);
    expect(spread.initialNetUsd).toBeCloseTo(-10_000, 6);
  });

  it('options of another market or expiry do not offset', () => {
    const put = opt('put', 90_000, -1, 1_000);
    const otherMarket = opt('put', 85_000, 1, 500, { market: 'ETH' });
    const otherExpiry = opt('put', 85_000, 1, 500, { expiry: EXPIRY + 7 * 86_400_000 });
    expect(deriveStandardMargins(0, [put, otherMarket]).maintenanceNetUsd).toBeCloseTo(-10_000, 6);
    expect(deriveStandardMargins(0, [put, otherExpiry]).maintenanceNetUsd).toBeCloseTo(-10_000, 6);
  });

  it('the portfolio reads the venue’s net margin as a requirement: value less each figure', () => {
    const wire = deriveSubaccount.parse({ subaccount_id: 7, subaccount_value: '19000.00', initial_margin: '6000.00', maintenance_margin: '10000.00', positions: [] });
    const s = deriveAccountSummary('0xabc…/7', wire, 1);
    expect([s.equityUsd, s.marginUsedUsd, s.maintenanceUsd]).toEqual([19_000, 13_000, 9_000]);
    // Below zero the venue liquidates: the requirement then exceeds the value.
    const under = deriveAccountSummary('0xabc…/7', deriveSubaccount.parse({ subaccount_id: 7, subaccount_value: '1000', maintenance_margin: '-500', positions: [] }), 1);
    expect(under.maintenanceUsd! / under.equityUsd!).toBeGreaterThan(1);
  });
});
