import { useEffect, useState } from 'react';
import type { Instrument } from '../../../../shared/domain/instruments.ts';
import { priceDecimalsAt } from '../../../../shared/domain/instruments.ts';
import type { PerpStats } from '../../../../shared/domain/market.ts';
import { formatCompact, formatFixed, formatFixedBelow, formatPercent, formatSigned } from '../../../../shared/format/numbers.ts';
import { useNow } from '../../app/use-now.ts';
import { call } from '../../bridge/terminal.ts';

const POLL_MS = 2_000;

/** "23 min", "1 h 05 min": time to the next funding payment. */
function inTime(ms: number): string {
  const m = Math.max(0, Math.ceil(ms / 60_000));
  return m >= 60 ? `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min` : `${m} min`;
}

/**
 * The perp's figures a trader checks beside the book: mark and oracle, 24 h change, the funding
 * rate per hour (and per year, as desks compare it) with the time to its payment, open interest
 * and the day's volume. Read from the venue every 2 s; a failed read says so and keeps the last.
 */
export function PerpStatsBar({ instrument }: { instrument: Instrument }) {
  const [stats, setStats] = useState<PerpStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const now = useNow(1000);

  useEffect(() => {
    let stop = false;
    setStats(null);
    const read = (): void => {
      call('market.stats', { instrumentId: instrument.id }).then(
        (s) => {
          if (stop) return;
          setStats(s);
          setError(null);
        },
        (e: Error) => !stop && setError(e.message),
      );
    };
    read();
    const timer = setInterval(read, POLL_MS);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [instrument.id]);

  if (!stats) return <div className="perp-stats muted" data-testid="perp-stats">{error ? `Market figures unavailable: ${error}` : 'Reading market figures…'}</div>;
  const px = (v: number) => formatFixed(v, priceDecimalsAt(v, instrument));
  const f = stats.fundingPerHour;
  return (
    <div className={`perp-stats${error ? ' stale' : ''}`} data-testid="perp-stats" title={error ? `Last read ${new Date(stats.at).toISOString().slice(11, 19)} UTC; now failing: ${error}` : undefined}>
      <span title="The venue's mark price: what margin and liquidation use">
        <span className="label">Mark</span> {px(stats.mark)}
      </span>
      <span title={stats.indexLabel === 'oracle' ? "The venue's oracle: a weighted spot price from major exchanges" : "The venue's index price"}>
        <span className="label">{stats.indexLabel === 'oracle' ? 'Oracle' : 'Index'}</span> {px(stats.index)}
      </span>
      {stats.change24h !== null ? (
        <span className={stats.change24h >= 0 ? 'pos' : 'neg'} title="Mark against the venue's price 24 h ago">
          <span className="label">24 h</span> {formatPercent(stats.change24h)}
        </span>
      ) : null}
      {f !== null ? (
        <span className={f >= 0 ? 'pos' : 'neg'} title="Funding per hour, as a fraction of the position's value: positive, longs pay shorts. Per year: × 24 × 365">
          <span className="label">Funding</span> {formatSigned(f * 100, 4)} %/h · {formatSigned(f * 100 * 24 * 365, 1)} %/yr
          {stats.nextFundingAt !== null ? <span className="muted"> · in {inTime(stats.nextFundingAt - now)}</span> : null}
        </span>
      ) : null}
      {stats.openInterestCoin !== null ? (
        <span title="Open interest: coins held long (= short) across the venue">
          <span className="label">OI</span> {formatFixedBelow(stats.openInterestCoin, 100, 2)} {instrument.base} (${formatCompact(stats.openInterestCoin * stats.mark)})
        </span>
      ) : null}
      {stats.dayNotionalUsd !== null ? (
        <span title="Traded in the last 24 h, USD">
          <span className="label">Vol 24 h</span> ${formatCompact(stats.dayNotionalUsd)}
        </span>
      ) : null}
    </div>
  );
}
