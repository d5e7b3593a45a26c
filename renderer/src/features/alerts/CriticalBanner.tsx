import { useAlertsStore } from '../../stores/alerts-store.ts';

/**
 * Every critical alert nobody has acknowledged, across the top of every screen: it is the one
 * place a trader cannot miss, whatever the browser or the desktop does with notifications.
 */
export function CriticalBanner() {
  const active = useAlertsStore((s) => s.snapshot?.active);
  const critical = (active ?? []).filter((a) => a.level === 'critical' && !a.acknowledged);
  const { show, acknowledge } = useAlertsStore.getState();
  if (!critical.length) return null;
  return (
    <div className="banner critical-alerts" role="alert" aria-label="Critical alerts">
      {critical.slice(0, 3).map((a) => (
        <div key={a.key} className="critical-alert" data-alert={a.key}>
          <span className="level-chip level-critical">Critical</span>
          <span className="message">{a.message}</span>
          {a.restored ? <span className="muted"> (from before the restart)</span> : null}
          <button className="toggle" onClick={() => show(a.key, a.target)}>
            Show
          </button>
          <button className="toggle" onClick={() => void acknowledge(a.key)}>
            Acknowledge
          </button>
        </div>
      ))}
      {critical.length > 3 ? <div className="muted">and {critical.length - 3} more in the alerts panel</div> : null}
    </div>
  );
}
