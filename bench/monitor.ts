import { AlertBook } from '../electron/engine/monitor/alert-book.ts';
import { measure, type MonitorInputs } from '../electron/engine/monitor/measures.ts';
import { DEFAULT_ALERT_RULES } from '../shared/domain/alerts.ts';
import { DEFAULT_AUTO_HEDGE, type AutoHedgeStatus } from '../shared/domain/hedge.ts';
import type { AccountSummary, PositionRow } from '../shared/domain/portfolio.ts';
import type { VenueStatus } from '../shared/domain/venues.ts';
import { percentile, type Row } from './measure.ts';

/*
 * The alert rules' cost per evaluation (issue "Monitoring", item 7): 200 positions with
 * liquidation distances near the thresholds (so alerts raise, ease and clear as the figures move
 * every tick), 20 accounts, 3 venues and 10 auto-hedgers, judged by every rule, through the same
 * measure → alert book path the engine runs twice a second and after every risk change.
 */
const NOW = 1_800_000_000_000;

function inputs(tick: number, speed: number): MonitorInputs {
  const positions = Array.from({ length: 200 }, (_, i): PositionRow => {
    const pct = 0.03 + 0.2 * Math.abs(Math.sin(i * 0.37 + tick * speed));
    return {
      def: { id: `hyperliquid:0x${i.toString(16).padStart(40, '0')}:BTC-PERP`, source: 'hyperliquid', account: `0x${i.toString(16).padStart(40, '0')}`, underlying: 'BTC', instrument: 'BTC-PERP', quantity: -1, type: 'perp', entryPrice: 90_000 },
      liquidation: { venuePrice: 96_000 * (1 + pct), modelPrice: null, distancePct: pct, distanceUsd: 96_000 * pct, distanceSigmas: pct / 0.03 },
    } as PositionRow;
  });
  const accounts = Array.from({ length: 20 }, (_, i): AccountSummary => ({ source: i % 2 ? 'deribit' : 'hyperliquid', account: `acct-${i}`, equityUsd: 100_000, marginUsedUsd: 50_000, maintenanceUsd: 40_000 + 50_000 * Math.abs(Math.sin(i + tick * 0.03)), updatedAt: NOW, error: null }));
  const venues: VenueStatus[] = (['hyperliquid', 'deribit', 'hyperliquid'] as const).map((v, i) => ({ venue: v, state: 'connected', paper: true, detail: '', since: NOW - 60_000, lastMessageAt: NOW + tick * 16 - (i === 2 ? 6_000 : 100), attempt: 0 }));
  const hedgers = Array.from({ length: 10 }, (_, i): AutoHedgeStatus => ({ config: { ...DEFAULT_AUTO_HEDGE, underlying: `C${i}`, mode: 'live' }, state: i % 3 ? 'watching' : 'paused', reason: 'book stale', latched: false, checkedAt: NOW + tick * 16, delta: Math.sin(tick * 0.1 + i), target: 0, bandHalfWidth: 0.25, last: null, nextCheckAt: null, hedges24h: 0, notional24hUsd: 0, cost24hUsd: 0, hedgesPnlUsd: 0 }));
  return { now: NOW + tick * 16, positions, accounts, venues, hedgers, hedgerCheckMs: 1_000, pnlUsd: -5_000 * Math.sin(tick * 0.01), peakPnlUsd: 10_000 };
}

function run(speed: number): { p50: number; p99: number; alerts: number; changesPerEval: number } {
  const book = new AlertBook();
  const prepared = Array.from({ length: 400 }, (_, t) => inputs(t, speed));
  const times: number[] = [];
  let alerts = 0;
  let changes = 0;
  for (let round = 0; round < 5; round++) {
    for (const [t, input] of prepared.entries()) {
      const t0 = performance.now();
      const c = book.apply(measure(input), DEFAULT_ALERT_RULES, NOW + (round * 400 + t) * 16);
      const dt = performance.now() - t0;
      if (round > 0) {
        times.push(dt);
        changes += c.length;
      }
    }
    // The screen reads the alerts (and so their words) at most once a frame; here once a round.
    alerts = book.list().length;
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), alerts, changesPerEval: changes / times.length };
}

export function benchMonitor(): Row[] {
  return [
    { speed: 0.0005, what: 'a slow market' },
    { speed: 0.05, what: 'a fast market' },
  ].map(({ speed, what }) => {
    const r = run(speed);
    return {
      bench: `alert rules, one evaluation, ${what}: 200 positions, 20 accounts, 3 venues, 10 hedgers × 7 rules (${r.alerts} alerts active, ${r.changesPerEval.toFixed(1)} changes each), p50 / p99`,
      result: `${(r.p50 * 1000).toFixed(0)} / ${(r.p99 * 1000).toFixed(0)} µs`,
      against: 'one 16.7 ms frame',
      ratio: `${((r.p99 / 16.7) * 100).toFixed(2)} % of it`,
    };
  });
}
