import { useEffect, useState } from 'react';
import { figureClass, useAlertHighlights } from '../../stores/alerts-store.ts';
import { DEFAULT_AUTO_HEDGE, type AutoHedgeConfig, type AutoHedgeMode, type AutoHedgeStatus, type HedgeTarget, type HedgeVenue } from '../../../../shared/domain/hedge.ts';
import { formatFixed, formatSigned, formatUsd } from '../../../../shared/format/numbers.ts';
import { call } from '../../bridge/terminal.ts';

const POLL_MS = 1_000;
const STATE_LABELS: Record<AutoHedgeStatus['state'], string> = { off: 'off', watching: 'watching', paused: 'PAUSED', settling: 'settling', hedging: 'hedging' };

/** What the engine says now about one underlying's auto-hedger and target, asked once a second. */
function useAutoHedge(underlying: string): { status: AutoHedgeStatus | null; target: HedgeTarget | null; refresh: () => void } {
  const [status, setStatus] = useState<AutoHedgeStatus | null>(null);
  const [target, setTarget] = useState<HedgeTarget | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let stop = false;
    const read = (): void => {
      void Promise.all([call('hedge.auto.status', {}), call('hedge.targets', {})]).then(
        ([all, targets]) => {
          if (stop) return;
          setStatus(all.find((s) => s.config.underlying === underlying) ?? null);
          setTarget(targets.find((t) => t.underlying === underlying) ?? null);
        },
        () => undefined,
      );
    };
    read();
    const t = setInterval(read, POLL_MS);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [underlying, tick]);
  return { status, target, refresh: () => setTick((n) => n + 1) };
}

/**
 * The auto-hedger of the underlying in view: mode (off / shadow / live), target and hedge venue,
 * band, interval, clip, daily cap and slippage; and what it is doing — its band now, the last
 * decision, the next check, what it spent in 24 h and the hedges' PnL. Paused says why.
 */
export function AutoHedgePanel({ underlying }: { underlying: string }) {
  const { status, target, refresh } = useAutoHedge(underlying);
  const config: AutoHedgeConfig = status?.config ?? { ...DEFAULT_AUTO_HEDGE, underlying };
  const [error, setError] = useState<string | null>(null);
  const highlights = useAlertHighlights();
  // A change applies to the engine's configuration as it is now, not to what this panel last
  // polled (a setting made elsewhere a moment ago must not be put back).
  const apply = (change: Partial<AutoHedgeConfig>): void => {
    call('hedge.auto.status', {})
      .then((all) => call('hedge.auto.set', { ...(all.find((x) => x.config.underlying === underlying)?.config ?? config), ...change, underlying }))
      .then(
      () => (setError(null), refresh()),
      (e: Error) => setError(e.message),
    );
  };
  const setTarget = (delta: number, venue: HedgeVenue): void => {
    call('hedge.target', { underlying, delta, venue }).then(
      () => (setError(null), refresh()),
      (e: Error) => setError(e.message),
    );
  };
  const num = (v: string): number => Number(v);
  const band = config.band;
  return (
    <div className={`tool auto-hedge${config.mode === 'live' ? ' live' : ''}${figureClass(`hedge:${underlying}`, highlights)}`} aria-label="Auto-hedger" data-figure={`hedge:${underlying}`}>
      <h3>
        Auto-hedge {underlying}{' '}
        <span className={`auto-state s-${status?.state ?? 'off'}`} title={status?.reason ?? undefined}>
          {STATE_LABELS[status?.state ?? 'off']}
        </span>
      </h3>
      <div className="segmented" role="radiogroup" aria-label="Auto-hedge mode">
        {(['off', 'shadow', 'live'] as AutoHedgeMode[]).map((m) => (
          <button key={m} role="radio" aria-checked={config.mode === m} className={`toggle${config.mode === m ? ' active' : ''}${m === 'live' ? ' live' : ''}`} onClick={() => apply({ mode: m })} title={m === 'shadow' ? 'Decides and journals, sends nothing' : m === 'live' ? 'Sends hedges within the limits below' : 'Does nothing'}>
            {m}
          </button>
        ))}
      </div>
      <div className="tool-row">
        <label className="control" title="Delta to hedge to, coins (H previews a hedge to it)">
          target Δ
          <input aria-label="Hedge target delta" key={`t-${target?.delta}`} defaultValue={target?.delta ?? 0} size={6} onBlur={(e) => setTarget(num(e.target.value), target?.venue ?? 'hyperliquid')} />
        </label>
        <select aria-label="Hedge venue" value={target?.venue ?? 'hyperliquid'} onChange={(e) => setTarget(target?.delta ?? 0, e.target.value as HedgeVenue)}>
          <option value="hyperliquid">Hyperliquid perp</option>
          <option value="deribit">Deribit perpetual</option>
        </select>
      </div>
      <div className="tool-row">
        <select aria-label="Band" value={band.kind} onChange={(e) => apply({ band: e.target.value === 'fixed' ? { kind: 'fixed', halfWidthCoins: 0.25 } : { kind: 'whalley-wilmott', riskAversionPerUsd: 0.0001 } })}>
          <option value="fixed">fixed band ± coins</option>
          <option value="whalley-wilmott">Whalley–Wilmott, risk aversion /$</option>
        </select>
        <input
          aria-label="Band parameter"
          key={`b-${band.kind}-${band.kind === 'fixed' ? band.halfWidthCoins : band.riskAversionPerUsd}`}
          defaultValue={band.kind === 'fixed' ? band.halfWidthCoins : band.riskAversionPerUsd}
          size={7}
          onBlur={(e) => apply({ band: band.kind === 'fixed' ? { kind: 'fixed', halfWidthCoins: num(e.target.value) } : { kind: 'whalley-wilmott', riskAversionPerUsd: num(e.target.value) } })}
        />
      </div>
      <div className="tool-row">
        <Field label="every s" value={config.minIntervalMs / 1000} onSet={(v) => apply({ minIntervalMs: Math.round(v * 1000) })} title="Least time between two hedges" />
        <Field label="bypass Δ" value={config.driftBypassCoins} onSet={(v) => apply({ driftBypassCoins: v })} title="Delta this far past the band hedges even inside the interval, coins" />
        <Field label="clip $" value={config.maxClipUsd} onSet={(v) => apply({ maxClipUsd: v })} title="Largest hedge order, USD" />
        <Field label="24 h cap $" value={config.dailyCapUsd} onSet={(v) => apply({ dailyCapUsd: v })} title="Hedge notional in a rolling 24 h (the vault's budget applies too)" />
        <Field label="slip bps" value={config.maxSlippageBps} onSet={(v) => apply({ maxSlippageBps: v })} title="Worst average price against the mark; thinner books are skipped" />
      </div>
      {status ? (
        <dl className="auto-status">
          <dt>Δ / band</dt>
          <dd>
            {status.delta === null ? '–' : formatSigned(status.delta, 3)} <span className="muted">target {formatSigned(status.target, 3)} ± {status.bandHalfWidth === null ? '–' : formatFixed(status.bandHalfWidth, 3)}</span>
          </dd>
          <dt>Last</dt>
          <dd title={status.last ? new Date(status.last.at).toISOString() : undefined}>{status.last ? `${status.last.what}: ${status.last.detail}` : '–'}</dd>
          {status.reason ? (
            <>
              <dt>Why</dt>
              <dd className={status.state === 'paused' ? 'warn' : 'muted'}>{status.reason}</dd>
            </>
          ) : null}
          <dt>Next check</dt>
          <dd>{status.nextCheckAt === null ? '–' : `in ${Math.max(0, Math.round((status.nextCheckAt - Date.now()) / 1000))} s`}</dd>
          <dt>24 h</dt>
          <dd>
            {status.hedges24h} hedge{status.hedges24h === 1 ? '' : 's'} · {formatUsd(status.notional24hUsd)} · cost {formatUsd(status.cost24hUsd)} · PnL {formatUsd(status.hedgesPnlUsd)}
          </dd>
        </dl>
      ) : null}
      {error ? <p className="form-error">{error}</p> : null}
    </div>
  );
}

function Field({ label, value, onSet, title }: { label: string; value: number; onSet: (v: number) => void; title: string }) {
  return (
    <label className="control" title={title}>
      {label}
      <input aria-label={`Auto-hedge ${label}`} key={value} defaultValue={value} size={7} onBlur={(e) => Number(e.target.value) !== value && onSet(Number(e.target.value))} />
    </label>
  );
}
