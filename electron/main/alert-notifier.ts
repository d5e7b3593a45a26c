import { Notification, type BrowserWindow } from 'electron';
import { RULE_INFO, type Alert } from '../../shared/domain/alerts.ts';
import { IPC } from '../../shared/contract/terminal-api.ts';

/*
 * Critical alerts as desktop notifications, raised by main (the engine has no Electron). They
 * stay until dismissed; clicking one brings the window forward and tells the page which alert
 * to show, so the trader lands on the figure that caused it. Notifications are held here until
 * closed: one that is garbage-collected loses its click handler on some platforms.
 */
const live = new Set<Notification>();

export function notifyAlert(alert: Alert, window: () => BrowserWindow | null): boolean {
  if (!Notification.isSupported()) return false;
  const n = new Notification({
    title: `DeltaDesk: ${RULE_INFO[alert.rule].label} (critical)`,
    body: alert.message,
    urgency: 'critical',
    timeoutType: 'never',
  });
  live.add(n);
  n.on('close', () => live.delete(n));
  n.on('click', () => {
    live.delete(n);
    const win = window();
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    win.webContents.send(IPC.showAlert, { key: alert.key, target: alert.target });
  });
  n.show();
  return true;
}
