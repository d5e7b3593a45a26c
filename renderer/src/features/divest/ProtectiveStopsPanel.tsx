import { useState } from 'react';
import type { PortfolioSnapshot } from '../../../../shared/domain/portfolio.ts';
import type { StopStatus } from '../../../../shared/domain/stops.ts';
import { formatFixed } from '../../../../shared/format/numbers.ts';
import { call } from '../../bridge/terminal.ts';
import { useDivestStore } from '../../stores/divest-store.ts';
import { useOrdersStore } from '../../stores/orders-store.ts';

/** One empty list for "no stops yet": a selector that made a new one each time would re-render forever. */
const NO_STOPS: StopStatus[] = [];

function StopRow({ coin, quantity, mark, status }: { coin: string; quantity: number; mark: number; status: StopStatus | undefined }) {
  const [text, setText] = useState(status ? String(status.rule.triggerPx) : String(Math.round(mark * (quantity > 0 ? 0.9 : 1.1))));
  const [error, setError] = useState<string | null>(null);
  const send = (triggerPx: number | null): void => {
    setError(null);
    call('divest.protect', { coin, triggerPx }).catch((e: Error) => setError(e.message));
  };
  const value = Number(text);
  return (
    <div className="stop-row" data-coin={coin}>
      <div className="tool-row">
        <strong>{coin}-PERP</strong>
        <span className="muted">
          {quantity > 0 ? 'long' : 'short'} {formatFixed(Math.abs(quantity), 4)} · stop {quantity > 0 ? 'below' : 'above'} {formatFixed(mark, 0)}
        </span>
      </div>
      <div className="tool-row">
        <input className="num-input" aria-label={`${coin} stop trigger`} value={text} onChange={(e) => setText(e.target.value)} />
        <button className="toggle" disabled={!(value > 0)} onClick={() => send(value)}>
          {status ? 'Move' : 'Set stop'}
        </button>
        {status ? (
          <button className="toggle" onClick={() => send(null)}>
            Remove
          </button>
        ) : null}
      </div>
      {status ? (
        <p className={`stop-state s-${status.state.replace(' ', '-')}`}>
          {status.state}
          {status.detail ? `: ${status.detail}` : ''}
          {status.replaced ? ` · put back ${status.replaced}×` : ''}
        </p>
      ) : null}
      {error ? <p className="form-error">{error}</p> : null}
    </div>
  );
}

/**
 * Protective stops for the trading account's Hyperliquid positions: reduce-only stop-losses the
 * engine keeps resting at the venue, put back whenever they go missing (a reconnect, the dead-man
 * switch, a cancel-all) and resized with the position.
 */
export function ProtectiveStopsPanel({ snapshot }: { snapshot: PortfolioSnapshot }) {
  const account = useOrdersStore((s) => s.snapshot.gates.find((g) => g.venue === 'hyperliquid')?.account ?? null);
  const stops = useDivestStore((s) => s.snapshot?.stops ?? NO_STOPS);
  const rows = account ? snapshot.positions.filter((p) => p.def.source === 'hyperliquid' && p.def.type === 'perp' && p.def.quantity !== 0 && p.def.account.toLowerCase() === account.toLowerCase()) : [];
  const orphans = stops.filter((s) => !rows.some((r) => r.def.underlying === s.rule.coin));
  return (
    <div className="tool protective-stops" aria-label="Protective stops">
      <h3>Protective stops</h3>
      {rows.map((p) => (
        <StopRow key={p.def.id} coin={p.def.underlying} quantity={p.def.quantity} mark={p.mark} status={stops.find((s) => s.rule.coin === p.def.underlying)} />
      ))}
      {orphans.map((s) => (
        <p key={s.rule.coin} className="muted">
          {s.rule.coin}: stop at {s.rule.triggerPx} kept for when a position opens ({s.state})
        </p>
      ))}
      {!rows.length && !orphans.length ? <p className="muted">No position on the trading account: a stop is set per position.</p> : null}
    </div>
  );
}
