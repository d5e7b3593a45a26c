import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AlertToasts } from '../../../renderer/src/features/alerts/AlertToasts.tsx';
import { CriticalBanner } from '../../../renderer/src/features/alerts/CriticalBanner.tsx';
import { AlertsDrawer } from '../../../renderer/src/features/alerts/AlertsDrawer.tsx';
import { setTerminalApi } from '../../../renderer/src/bridge/terminal.ts';
import { useAlertsStore, WARNING_TOAST_MS } from '../../../renderer/src/stores/alerts-store.ts';
import { useViewStore } from '../../../renderer/src/stores/view-store.ts';
import { DEFAULT_ALERT_RULES, type Alert, type AlertsSnapshot } from '../../../shared/domain/alerts.ts';
import type { TerminalApi } from '../../../shared/contract/terminal-api.ts';

/*
 * What the trader sees of alerts: news (a raise, an escalation) as a toast, never the state of
 * things at a reload; criticals in the banner until acknowledged; in a browser, the page's own
 * notification when allowed; "show" opens the workspace of the cause; a rule out of order is
 * refused before it is sent.
 */
const base: Alert = { key: 'liq-distance-pct|p1', rule: 'liq-distance-pct', subject: 'p1', level: 'warning', peak: 'warning', message: 'BTC-PERP (Hyperliquid 0x1111…1111): 8.0 % from liquidation at $104,000 (alert below 10.0 %)', value: 8, threshold: 10, unit: '%', raisedAt: 1, updatedAt: 1, clearedAt: null, acknowledged: false, target: { workspace: 'portfolio', figure: 'position:p1' }, restored: false };
const snap = (active: Alert[]): AlertsSnapshot => ({ active, recent: [], rules: DEFAULT_ALERT_RULES, evaluatedAt: Date.now() });
const requests: { name: string; payload: unknown }[] = [];
const api = (electron: boolean): TerminalApi => ({
  request: (name, payload) => {
    requests.push({ name, payload });
    return Promise.resolve({ ok: true, value: name === 'alerts.ack' ? { acknowledged: true } : DEFAULT_ALERT_RULES }) as never;
  },
  onStream: () => () => undefined,
  ...(electron ? { onShowAlert: () => () => undefined } : {}),
});

const made: { title: string; body: string }[] = [];
class FakeNotification {
  static permission = 'granted';
  onclick: (() => void) | null = null;
  constructor(title: string, options: { body: string }) {
    made.push({ title, body: options.body });
  }
  close(): void {}
}

beforeEach(() => {
  requests.length = 0;
  made.length = 0;
  vi.stubGlobal('Notification', FakeNotification);
  useAlertsStore.setState({ snapshot: null, toasts: [], drawerOpen: false, focus: null, error: null });
});
afterEach(() => {
  vi.unstubAllGlobals();
  setTerminalApi(null);
});

describe('alerts on screen', () => {
  it('the state at a reload is not news; a raise and an escalation are, once each', () => {
    setTerminalApi(api(false));
    const s = useAlertsStore.getState();
    s.applyFrame(snap([base]), 1_000);
    expect(useAlertsStore.getState().toasts).toEqual([]);
    s.applyFrame(snap([base, { ...base, key: 'stale-feed|deribit', rule: 'stale-feed', message: 'Deribit: nothing received for 6 s' }]), 2_000);
    expect(useAlertsStore.getState().toasts.map((t) => t.title)).toEqual(['Stale feed']);
    s.applyFrame(snap([{ ...base, level: 'critical', peak: 'critical' }]), 3_000);
    expect(useAlertsStore.getState().toasts.map((t) => [t.title, t.level])).toEqual([['Liquidation distance', 'critical']]);
    // In a browser with permission, the page raises the notification itself.
    expect(made).toEqual([{ title: 'DeltaDesk: Liquidation distance (critical)', body: base.message }]);
    // Unchanged: no second toast, no second notification.
    s.applyFrame(snap([{ ...base, level: 'critical', peak: 'critical', value: 7.9 }]), 4_000);
    expect(useAlertsStore.getState().toasts).toHaveLength(1);
    expect(made).toHaveLength(1);
  });

  it('a warning toast leaves after its time; a critical one stays until acknowledged', async () => {
    setTerminalApi(api(false));
    const s = useAlertsStore.getState();
    s.applyFrame(snap([]), 0);
    s.applyFrame(snap([base, { ...base, key: 'margin-ratio|deribit:paper', rule: 'margin-ratio', level: 'critical', message: 'Deribit paper: maintenance margin is 88 % of equity' }]), 10);
    expect(useAlertsStore.getState().toasts).toHaveLength(2);
    const critical = useAlertsStore.getState().snapshot!.active[1]!;
    s.applyFrame(useAlertsStore.getState().snapshot, WARNING_TOAST_MS + 100);
    expect(useAlertsStore.getState().toasts.map((t) => t.level)).toEqual(['critical']);
    render(<AlertToasts />);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Acknowledge' }));
      await Promise.resolve();
    });
    expect(requests).toContainEqual({ name: 'alerts.ack', payload: { key: critical.key } });
    expect(useAlertsStore.getState().toasts).toEqual([]);
  });

  it('in the desktop app the page does not notify (main does); the banner shows every unacknowledged critical', () => {
    setTerminalApi(api(true));
    const s = useAlertsStore.getState();
    s.applyFrame(snap([]), 0);
    const c = { ...base, level: 'critical' as const, peak: 'critical' as const };
    s.applyFrame(snap([c, { ...c, key: 'x|y', message: 'acknowledged one', acknowledged: true }]), 1);
    expect(made).toEqual([]);
    render(<CriticalBanner />);
    const banner = screen.getByRole('alert', { name: 'Critical alerts' });
    expect(banner.textContent).toContain(base.message);
    expect(banner.textContent).not.toContain('acknowledged one');
    fireEvent.click(screen.getByRole('button', { name: 'Show' }));
    expect(useViewStore.getState().workspace).toBe('portfolio');
    expect(useAlertsStore.getState().focus?.figure).toBe('position:p1');
  });

  it('the rules table refuses thresholds out of order before sending, and saves good ones', async () => {
    setTerminalApi(api(false));
    useAlertsStore.getState().applyFrame(snap([]), 0);
    useAlertsStore.setState({ drawerOpen: true });
    render(<AlertsDrawer />);
    const critical = screen.getByRole('textbox', { name: 'Liquidation distance critical' });
    fireEvent.change(critical, { target: { value: '12' } });
    const row = critical.closest('tr')!;
    const save = row.querySelector('button')!;
    expect(save.disabled).toBe(true);
    expect(row.textContent).toContain('the critical threshold must be below the warning one');
    fireEvent.change(critical, { target: { value: '4' } });
    expect(save.disabled).toBe(false);
    await act(async () => {
      fireEvent.click(save);
      await Promise.resolve();
    });
    expect(requests).toContainEqual({ name: 'alerts.rule', payload: { rule: 'liq-distance-pct', settings: { ...DEFAULT_ALERT_RULES['liq-distance-pct'], critical: 4 } } });
    expect(row.textContent).toContain('saved');
  });
});
