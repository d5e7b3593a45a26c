import { useKeyHint } from '../../hotkeys/key-hint.ts';
import { useAlertsStore } from '../../stores/alerts-store.ts';

/** The top bar's alert count, coloured by the worst one; opens the alerts panel. */
export function AlertsBadge() {
  const active = useAlertsStore((s) => s.snapshot?.active) ?? [];
  const toggle = useAlertsStore((s) => s.toggleDrawer);
  const key = useKeyHint('alerts.toggle');
  const worst = active[0]?.level ?? null;
  const unseen = active.filter((a) => !a.acknowledged).length;
  const label = active.length === 0 ? 'No alerts' : `${active.length} alert${active.length === 1 ? '' : 's'}${unseen ? `, ${unseen} new` : ''}`;
  return (
    <button className={`badge alerts-badge${worst ? ` level-${worst}` : ''}`} onClick={() => toggle()} title={`${label}${key}`} aria-label={label} data-testid="alerts-badge">
      <span className="dot" />
      <span className="state">{active.length ? `${active.length} alert${active.length === 1 ? '' : 's'}` : 'Alerts'}</span>
    </button>
  );
}
