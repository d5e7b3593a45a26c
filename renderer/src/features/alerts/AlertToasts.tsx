import { useEffect } from 'react';
import { useAlertsStore, WARNING_TOAST_MS } from '../../stores/alerts-store.ts';
import { LEVEL_WORDS } from './alert-words.ts';

/** News, bottom right: an alert raised or made worse. Warnings leave on their own; criticals stay until acknowledged. */
export function AlertToasts() {
  const toasts = useAlertsStore((s) => s.toasts);
  const snapshot = useAlertsStore((s) => s.snapshot);
  const { dismissToast, acknowledge, show } = useAlertsStore.getState();
  useEffect(() => {
    const warnings = toasts.filter((t) => t.level !== 'critical');
    if (!warnings.length) return;
    const next = Math.min(...warnings.map((t) => t.at + WARNING_TOAST_MS)) - Date.now();
    const timer = setTimeout(() => warnings.filter((t) => Date.now() - t.at >= WARNING_TOAST_MS - 50).forEach((t) => dismissToast(t.key)), Math.max(50, next));
    return () => clearTimeout(timer);
  }, [toasts, dismissToast]);
  if (!toasts.length) return null;
  return (
    <div className="alert-toasts" role="status" aria-live="assertive" aria-label="New alerts">
      {toasts.map((t) => {
        const alert = snapshot?.active.find((a) => a.key === t.key);
        return (
          <div key={t.key} className={`alert-toast level-${t.level}`} data-alert={t.key}>
            <div className="toast-head">
              <span className={`level-chip level-${t.level}`}>{LEVEL_WORDS[t.level]}</span>
              <span className="toast-title">{t.title}</span>
            </div>
            <div className="toast-message">{alert?.message ?? t.message}</div>
            <div className="toast-actions">
              {alert ? (
                <button className="toggle" onClick={() => show(t.key, alert.target)}>
                  Show
                </button>
              ) : null}
              <button className="toggle" onClick={() => void acknowledge(t.key)}>
                Acknowledge
              </button>
              {t.level !== 'critical' ? (
                <button className="toggle" onClick={() => dismissToast(t.key)} aria-label="Close">
                  ×
                </button>
              ) : null}
            </div>
          </div>
        );
      })}
    </div>
  );
}
