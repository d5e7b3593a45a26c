import { describe, expect, it } from 'vitest';
import { optionInstrument } from '../../../electron/sim/deribit/payloads.ts';
import { listExpiries } from '../../../electron/sim/options/expiries.ts';
import { SimOptionMarket } from '../../../electron/sim/options/option-market.ts';
import { SimMarket } from '../../../electron/sim/sim-market.ts';

/*
 * The simulated Deribit calendar lists what the venue lists: three dailies, two weeklies, three
 * monthlies and three quarterlies, all at 08:00 UTC, a date that is two kinds listed once as the
 * longer; dailies with fewer strikes and `settlement_period` "day"; the paper book in weeklies and
 * longer, so it is the same book whatever the day.
 */
const day = (t: number) => new Date(t).toISOString().slice(0, 10);

describe('the listing calendar', () => {
  it('lists the next three dailies, then Fridays, month-ends and quarter-ends', () => {
    const friday = Date.UTC(2026, 11, 4, 18);
    const listed = listExpiries(friday);
    expect(listed.filter((e) => e.kind === 'daily').map((e) => day(e.expiry))).toEqual(['2026-12-05', '2026-12-06', '2026-12-07']);
    expect(listed.filter((e) => e.kind === 'weekly').map((e) => day(e.expiry))).toEqual(['2026-12-11', '2026-12-18']);
    expect(listed.find((e) => day(e.expiry) === '2026-12-25')?.kind).toBe('quarterly');
    expect(listed.every((e) => new Date(e.expiry).getUTCHours() === 8)).toBe(true);
    expect(new Set(listed.map((e) => e.expiry)).size).toBe(listed.length);
  });

  it('skips the expiry under an hour away, and lists a Friday once, as a weekly', () => {
    const thursday = Date.UTC(2026, 11, 3, 7, 30);
    const listed = listExpiries(thursday);
    expect(listed[0]).toEqual({ expiry: Date.UTC(2026, 11, 4, 8), kind: 'weekly' });
    expect(listed.filter((e) => e.kind === 'daily').map((e) => day(e.expiry))).toEqual(['2026-12-05', '2026-12-06']);
  });

  it('gives dailies fewer strikes and the venue’s "day" settlement; the paper book holds none', () => {
    const now = Date.UTC(2026, 11, 4, 18);
    const options = new SimOptionMarket(new SimMarket({ seed: 5, now, historyMs: 60_000 }), now);
    const dailies = options.options.filter((o) => o.spec.expiryKind === 'daily' && o.spec.coin === 'BTC');
    const weekly = options.options.filter((o) => o.spec.expiryKind === 'weekly' && o.spec.coin === 'BTC' && o.spec.expiry === Date.UTC(2026, 11, 11, 8));
    expect(new Set(dailies.map((o) => o.spec.expiry)).size).toBe(3);
    expect(dailies.length / 3).toBe(30);
    expect(weekly.length).toBe(42);
    expect(optionInstrument(dailies[0]!, now).settlement_period).toBe('day');
    expect(optionInstrument(weekly[0]!, now).settlement_period).toBe('week');
    expect(options.positions.length).toBeGreaterThan(0);
    for (const p of options.positions) expect(options.byName.get(p.name)?.spec.expiryKind).not.toBe('daily');
  });
});
