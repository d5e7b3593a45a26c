import { VENUE_LABELS, type ConnectionState } from '../../../../shared/domain/venues.ts';
import { figureClass, useAlertHighlights } from '../../stores/alerts-store.ts';
import { useNow } from '../../app/use-now.ts';
import { engineDown, useHealthStore } from '../../stores/health-store.ts';
import { useMarketStore } from '../../stores/market-store.ts';

const STATE_LABEL: Record<ConnectionState, string> = {
  connecting: 'connecting',
  connected: 'connected',
  stale: 'stale',
  reconnecting: 'reconnecting',
  disconnected: 'disconnected',
};

/** One badge per venue: state in words and colour, the reason on hover, age of the last message. */
export function VenueBadges() {
  const venues = useMarketStore((s) => s.venues);
  const down = useHealthStore(engineDown);
  const now = useNow(1000);
  const highlights = useAlertHighlights();
  // In paper mode the top bar's PAPER badge says it for every venue; a SIM tag shows only where
  // simulated and real venues are mixed.
  const mixed = venues.some((v) => v.paper) && venues.some((v) => !v.paper);
  if (venues.length === 0) return <span className="badge state-connecting">Connecting…</span>;
  // With the engine down nothing reads the venues: the last state pushed is no longer true.
  if (down) {
    return (
      <div className="venue-badges">
        {venues.map((v) => (
          <span key={v.venue} className="badge state-disconnected" data-testid={`venue-${v.venue}`} data-state="engine-down" title={`${VENUE_LABELS[v.venue]}: unknown while the engine restarts`}>
            <span className="dot" aria-hidden="true" />
            {VENUE_LABELS[v.venue]}
            <span className="state">unknown</span>
          </span>
        ))}
      </div>
    );
  }
  return (
    <div className="venue-badges">
      {venues.map((v) => {
        const age = v.lastMessageAt ? Math.max(0, (now - v.lastMessageAt) / 1000) : null;
        const title = [
          `${VENUE_LABELS[v.venue]}${v.paper ? ' (simulated, paper mode)' : ''}: ${STATE_LABEL[v.state]}`,
          v.detail,
          age !== null ? `last message ${age.toFixed(1)} s ago` : 'no message yet',
        ]
          .filter(Boolean)
          .join('\n');
        return (
          <span key={v.venue} className={`badge state-${v.state}${figureClass(`venue:${v.venue}`, highlights)}`} data-testid={`venue-${v.venue}`} data-state={v.state} data-figure={`venue:${v.venue}`} title={title}>
            <span className="dot" aria-hidden="true" />
            {VENUE_LABELS[v.venue]}
            {v.paper && mixed ? <span className="paper">SIM</span> : null}
            <span className="state">{STATE_LABEL[v.state]}</span>
            {v.state !== 'connected' && v.detail ? <span className="detail">{v.detail}</span> : null}
          </span>
        );
      })}
    </div>
  );
}
