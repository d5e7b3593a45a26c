import { useNow } from '../../app/use-now.ts';
import { useHealthStore } from '../../stores/health-store.ts';

/** Says, for as long as it lasts, that the engine is restarting and the figures on screen are frozen. */
export function EngineBanner() {
  const { engine, hostReachable } = useHealthStore();
  const now = useNow(1000);
  if (!hostReachable) {
    return (
      <div className="banner error" role="alert" data-testid="engine-banner">
        Lost contact with the DeltaDesk host: nothing on screen is current. Reconnecting…
      </div>
    );
  }
  if (engine?.state !== 'restarting') return null;
  const secs = Math.max(0, Math.round((now - engine.since) / 1000));
  return (
    <div className="banner error" role="alert" data-testid="engine-banner">
      Engine restarting ({engine.lastExit ?? 'it stopped'}{engine.restarts ? `; restart ${engine.restarts}` : ''}, {secs} s so far): prices, Greeks and venue states on screen are frozen until it is back.
    </div>
  );
}
