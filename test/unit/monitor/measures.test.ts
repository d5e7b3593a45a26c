import { describe, expect, it } from 'vitest';
import { measure, type MonitorInputs } from '../../../electron/engine/monitor/measures.ts';
import { DEFAULT_AUTO_HEDGE, type AutoHedgeStatus } from '../../../shared/domain/hedge.ts';
import type { AccountSummary, PositionRow } from '../../../shared/domain/portfolio.ts';

/* What each rule reads off the engine's state, and the sentence a trader gets. */
const NOW = 1_800_000_000_000;
const ADDR = '0x1111111111111111111111111111111111111111';

function perp(distancePct: number | null, source: PositionRow['def']['source'] = 'hyperliquid'): PositionRow {
  return {
    def: { id: `${source}:${ADDR}:BTC`, source, account: ADDR, underlying: 'BTC', instrument: 'BTC', quantity: -3, type: 'perp', entryPrice: 90_000 },
    mark: 96_000,
    underlyingPrice: 96_000,
    vol: null,
    volSource: 'none',
    greeks: { valueUsd: 0, deltaCoin: -3, deltaUsd: -288_000, gammaCoin: 0, gammaUsdPer1Pct: 0, vegaUsd: 0, thetaUsd: 0 },
    deltaBsCoin: -3,
    pnlUsd: -18_000,
    pnlCoin: null,
    liquidation: distancePct === null ? null : { venuePrice: 96_000 * (1 + distancePct), modelPrice: null, distancePct, distanceUsd: 96_000 * distancePct, distanceSigmas: distancePct / 0.03 },
    problem: null,
  };
}

const inputs = (over: Partial<MonitorInputs>): MonitorInputs => ({ now: NOW, positions: [], accounts: [], venues: [], hedgers: [], hedgerCheckMs: 1_000, pnlUsd: null, peakPnlUsd: null, ...over });

describe('what the monitor measures', () => {
  it('liquidation distance per position, in % and daily σ, with the venue’s price in the words', () => {
    const out = measure(inputs({ positions: [perp(0.062), perp(null), { ...perp(0.01, 'what-if') }] }));
    expect(out.map((o) => o.rule)).toEqual(['liq-distance-pct', 'liq-distance-sigma']);
    expect(out[0]!.value).toBeCloseTo(6.2, 9);
    expect(out[1]!.value).toBeCloseTo(0.062 / 0.03, 9);
    expect(out[0]!.describe(10)).toBe('BTC (Hyperliquid 0x1111…1111): 6.2 % from liquidation at $101,952 (alert below 10.0 %)');
    expect(out[0]!.target).toEqual({ workspace: 'portfolio', figure: `position:hyperliquid:${ADDR}:BTC` });
  });

  it("a long's liquidation below the mark is as far as a short's above: the distance, not its sign, is judged", () => {
    const long = perp(-0.3);
    const out = measure(inputs({ positions: [long] }));
    expect(out[0]!.value).toBeCloseTo(30, 9);
    expect(out[0]!.describe(5)).toMatch(/: 30\.0 % from liquidation at \$67,200/);
  });

  it('a Deribit account liquidates whole: one alert for the account, however many positions carry its price', () => {
    const put = (n: number): PositionRow => ({ ...perp(-0.427, 'deribit'), def: { ...perp(-0.427, 'deribit').def, id: `deribit:paper:P${n}`, account: 'paper', instrument: `BTC-P${n}` } });
    const out = measure(inputs({ positions: [put(1), put(2), put(3)] })).filter((m) => m.rule === 'liq-distance-pct');
    expect(out).toHaveLength(1);
    expect(out[0]!.subject).toBe('deribit:paper BTC');
    expect(out[0]!.target.figure).toBe('account:deribit:paper BTC');
    expect(out[0]!.describe(50)).toMatch(/^Deribit paper BTC account: 42\.7 % from liquidation/);
  });

  it('margin ratio per account from maintenance and equity; none when the account could not be read', () => {
    const acc = (over: Partial<AccountSummary>): AccountSummary => ({ source: 'deribit', account: 'paper', equityUsd: 100_000, marginUsedUsd: 40_000, maintenanceUsd: 72_000, updatedAt: NOW, error: null, ...over });
    const out = measure(inputs({ accounts: [acc({}), acc({ account: 'b', error: 'timeout' }), acc({ account: 'c', equityUsd: -5 })] }));
    expect(out.map((o) => [o.subject, o.value])).toEqual([
      ['deribit:paper', 72],
      ['deribit:c', 1_000],
    ]);
    expect(out[0]!.describe(70)).toContain('maintenance margin $72.0K is 72.0 % of equity $100.0K');
  });

  it('Hyperliquid cross: maintenance against the cross account value, not the whole account with its isolated margin', () => {
    const hl: AccountSummary = { source: 'hyperliquid', account: '0xabc', equityUsd: 136_563, marginEquityUsd: 121_538, marginUsedUsd: 53_443, maintenanceUsd: 4_802, updatedAt: NOW, error: null };
    const [m] = measure(inputs({ accounts: [hl] }));
    expect(m!.value).toBeCloseTo((4_802 / 121_538) * 100, 9);
    expect(m!.describe(70)).toContain('% of cross equity $121.5K');
  });

  it('a stale feed counts from the last message, whether the link is up or redialling', () => {
    const out = measure(
      inputs({
        venues: [
          { venue: 'hyperliquid', state: 'connected', paper: true, detail: '', since: NOW - 60_000, lastMessageAt: NOW - 7_000, attempt: 0 },
          { venue: 'deribit', state: 'reconnecting', paper: true, detail: 'socket closed', since: NOW - 40_000, lastMessageAt: NOW - 41_000, attempt: 3 },
          // Redialled a moment ago (its state's clock restarted), but nothing received for 9 s.
          { venue: 'derive', state: 'connecting', paper: true, detail: 'listing options', since: NOW - 500, lastMessageAt: NOW - 9_000, attempt: 1 },
        ],
      }),
    );
    expect(out.map((o) => [o.subject, o.value])).toEqual([
      ['hyperliquid', 7],
      ['deribit', 41],
      ['derive', 9],
    ]);
    expect(out[1]!.describe(30)).toBe('Deribit reconnecting, nothing received for 41 s (socket closed); automation on it is paused');
  });

  it('an auto-hedger paused, stopped or late, and its delta outside the band', () => {
    const h = (over: Partial<AutoHedgeStatus>): AutoHedgeStatus => ({
      config: { ...DEFAULT_AUTO_HEDGE, underlying: 'BTC', mode: 'live' },
      state: 'watching',
      reason: null,
      latched: false,
      checkedAt: NOW - 500,
      delta: 0.9,
      target: 0,
      bandHalfWidth: 0.25,
      last: null,
      nextCheckAt: NOW,
      hedges24h: 0,
      notional24hUsd: 0,
      cost24hUsd: 0,
      hedgesPnlUsd: 0,
      ...over,
    });
    const value = (s: AutoHedgeStatus): number[] => measure(inputs({ hedgers: [s] })).map((o) => o.value);
    expect(value(h({}))).toEqual([0, 3.6]);
    expect(value(h({ state: 'paused', reason: 'the BTC book is 3.2 s old' }))[0]).toBe(1);
    expect(value(h({ state: 'paused', latched: true, reason: '3 rejects in a row' }))[0]).toBe(2);
    expect(value(h({ checkedAt: NOW - 6_000 }))[0]).toBe(2);
    expect(measure(inputs({ hedgers: [h({ checkedAt: NOW - 6_000 })] }))[0]!.describe(2)).toBe('BTC auto-hedger (live) has not checked the book for 6 s (it checks every 1.0 s)');
    expect(value(h({ config: { ...DEFAULT_AUTO_HEDGE, underlying: 'BTC', mode: 'off' } }))).toEqual([]);
  });

  it('drawdown from the session high of the book’s PnL', () => {
    const out = measure(inputs({ pnlUsd: -4_000, peakPnlUsd: 12_500 }));
    expect(out).toHaveLength(1);
    expect(out[0]!.value).toBe(16_500);
    expect(out[0]!.describe(10_000)).toBe('Book PnL −$4,000 is $16.5K below its high of $12.5K this session (alert beyond $10.0K)');
  });

  it('Aave’s feed is its account poll: a slow read is not stale, a failed one is, aged from the last good read', () => {
    const aave = (over: Partial<AccountSummary>): AccountSummary => ({ source: 'aave', account: ADDR, equityUsd: 15_000, marginUsedUsd: 15_000, maintenanceUsd: 24_750, healthFactor: 1.65, updatedAt: NOW - 8_000, error: null, ...over });
    const stale = (a: AccountSummary) => measure(inputs({ accounts: [a] })).filter((m) => m.rule === 'stale-feed');
    expect(stale(aave({}))).toEqual([]);
    const [failed] = stale(aave({ error: 'Aave could not be read: bad gateway' }));
    expect(failed!.subject).toBe('aave');
    expect(failed!.value).toBe(8);
    expect(failed!.describe(5)).toBe('Aave: account 0x1111…1111 last read 8 s ago (alert after 5 s); Aave could not be read: bad gateway; its health factor on screen is that old and top-ups on it wait');
    // A read that hangs sets no error: past 10 s it is stale all the same.
    expect(stale(aave({ updatedAt: NOW - 11_000 }))[0]!.value).toBe(11);
  });

  it('an armed top-up that cannot see is an automation alert after 10 s: critical when live, a warning on dry-run', () => {
    const target = { workspace: 'portfolio' as const, figure: `account:aave:${ADDR}` };
    const blind = (since: number, live: boolean) => measure(inputs({ blindTopUps: [{ position: `aave:${ADDR}`, live, since, reason: 'the Aave account was read 12 s ago', target }] }));
    expect(blind(NOW - 9_000, true)).toEqual([]);
    const [live] = blind(NOW - 12_000, true);
    expect([live!.rule, live!.subject, live!.value]).toEqual(['automation', `top-up:aave:${ADDR}`, 2]);
    expect(live!.describe(2)).toBe('Top-up on Aave 0x1111…1111 (live) cannot act for 12 s: the Aave account was read 12 s ago');
    expect(blind(NOW - 12_000, false)[0]!.value).toBe(1);
  });
});
