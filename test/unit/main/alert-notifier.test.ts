import { describe, expect, it, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import { IPC } from '../../../shared/contract/terminal-api.ts';
import type { Alert } from '../../../shared/domain/alerts.ts';

/* Main's desktop notification for a critical alert, with Electron's Notification as a test double. */
class FakeNotification {
  static supported = true;
  static made: FakeNotification[] = [];
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  readonly handlers = new Map<string, () => void>();
  shown = false;
  readonly options: Record<string, unknown>;
  constructor(options: Record<string, unknown>) {
    this.options = options;
    FakeNotification.made.push(this);
  }
  on(event: string, handler: () => void): this {
    this.handlers.set(event, handler);
    return this;
  }
  show(): void {
    this.shown = true;
  }
}
vi.mock('electron', () => ({ Notification: FakeNotification }));
const { notifyAlert } = await import('../../../electron/main/alert-notifier.ts');

const alert: Alert = {
  key: 'liq-distance-pct|hyperliquid:0xabc:BTC-PERP',
  rule: 'liq-distance-pct',
  subject: 'hyperliquid:0xabc:BTC-PERP',
  level: 'critical',
  peak: 'critical',
  message: 'BTC-PERP (Hyperliquid 0xabc): 4.1 % from liquidation at $99,950 (alert below 5.0 %)',
  value: 4.1,
  threshold: 5,
  unit: '%',
  raisedAt: 1,
  updatedAt: 1,
  clearedAt: null,
  acknowledged: false,
  target: { workspace: 'portfolio', figure: 'position:hyperliquid:0xabc:BTC-PERP' },
  restored: false,
};

function fakeWindow(minimised: boolean) {
  const calls: string[] = [];
  const sent: unknown[][] = [];
  const win = {
    isDestroyed: () => false,
    isMinimized: () => minimised,
    restore: () => calls.push('restore'),
    show: () => calls.push('show'),
    focus: () => calls.push('focus'),
    webContents: { send: (...args: unknown[]) => sent.push(args) },
  };
  return { win: win as unknown as BrowserWindow, calls, sent };
}

describe('critical alerts on the desktop', () => {
  it('shows the alert’s words, stays until dismissed, and a click lands on its cause', () => {
    const { win, calls, sent } = fakeWindow(true);
    expect(notifyAlert(alert, () => win)).toBe(true);
    const n = FakeNotification.made.at(-1)!;
    expect(n.shown).toBe(true);
    expect(n.options).toEqual({ title: 'DeltaDesk: Liquidation distance (critical)', body: alert.message, urgency: 'critical', timeoutType: 'never' });
    n.handlers.get('click')!();
    expect(calls).toEqual(['restore', 'show', 'focus']);
    expect(sent).toEqual([[IPC.showAlert, { key: alert.key, target: alert.target }]]);
  });

  it('says so when the desktop has no notifications, and a click with no window does nothing', () => {
    FakeNotification.supported = false;
    expect(notifyAlert(alert, () => null)).toBe(false);
    FakeNotification.supported = true;
    notifyAlert(alert, () => null);
    expect(() => FakeNotification.made.at(-1)!.handlers.get('click')!()).not.toThrow();
  });
});
