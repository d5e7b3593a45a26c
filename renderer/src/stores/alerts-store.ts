import { create } from 'zustand';
import { levelRank, RULE_INFO, type Alert, type AlertLevel, type AlertRuleId, type AlertRuleSettings, type AlertsSnapshot, type AlertTarget } from '../../../shared/domain/alerts.ts';
import { call, terminalApi } from '../bridge/terminal.ts';
import { useViewStore } from './view-store.ts';

/*
 * Alerts as the engine publishes them, and what the screen adds: toasts for news (a raise or an
 * escalation), the figure to highlight after "show", and — in a browser, where main is not there
 * to do it — the page's own desktop notification for a critical alert, when the trader allowed it.
 */

/** A warning toast leaves on its own after this long; a critical one stays until acknowledged. */
export const WARNING_TOAST_MS = 8_000;

export interface Toast {
  key: string;
  level: AlertLevel;
  title: string;
  message: string;
  at: number;
}

export interface AlertsStore {
  snapshot: AlertsSnapshot | null;
  toasts: Toast[];
  drawerOpen: boolean;
  /** The figure "show" went to, highlighted until this time. */
  focus: { figure: string; until: number } | null;
  error: string | null;
  applyFrame: (snapshot: AlertsSnapshot | null, now?: number) => void;
  toggleDrawer: (open?: boolean) => void;
  dismissToast: (key: string) => void;
  acknowledge: (key: string) => Promise<void>;
  /** Acknowledges the worst alert nobody has acknowledged yet; false when there is none. */
  acknowledgeWorst: () => boolean;
  show: (key: string, target: AlertTarget) => void;
  saveRule: (rule: AlertRuleId, settings: AlertRuleSettings) => Promise<string | null>;
}

/** The browser's own notification, only where the page has no Electron main to raise one. */
function browserNotify(a: Alert): void {
  if (terminalApi().onShowAlert || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    const n = new Notification(`DeltaDesk: ${RULE_INFO[a.rule].label} (critical)`, { body: a.message, tag: a.key, requireInteraction: true });
    n.onclick = () => {
      window.focus();
      useAlertsStore.getState().show(a.key, a.target);
      n.close();
    };
  } catch {
    // A browser that refuses page notifications still has the banner and the toast.
  }
}

function isNews(prev: Alert | undefined, next: Alert): boolean {
  if (next.acknowledged || next.restored) return false;
  return !prev || levelRank(next.level) > levelRank(prev.level);
}

export const useAlertsStore = create<AlertsStore>((set, get) => ({
  snapshot: null,
  toasts: [],
  drawerOpen: false,
  focus: null,
  error: null,
  applyFrame: (snapshot, now = Date.now()) => {
    if (!snapshot) return;
    const before = new Map((get().snapshot?.active ?? []).map((a) => [a.key, a]));
    const first = get().snapshot === null;
    const activeKeys = new Set(snapshot.active.map((a) => a.key));
    // Toasts of alerts that cleared or were acknowledged go; warnings leave after their time.
    let toasts = get().toasts.filter((t) => activeKeys.has(t.key) && !snapshot.active.find((a) => a.key === t.key)!.acknowledged && (t.level === 'critical' || now - t.at < WARNING_TOAST_MS));
    for (const a of snapshot.active) {
      // The first snapshot after a (re)load is the state of things, not news: the banner shows criticals.
      if (first || a.level === 'info' || !isNews(before.get(a.key), a)) continue;
      toasts = [{ key: a.key, level: a.level, title: RULE_INFO[a.rule].label, message: a.message, at: now }, ...toasts.filter((t) => t.key !== a.key)].slice(0, 5);
      if (a.level === 'critical') browserNotify(a);
    }
    set({ snapshot, toasts });
  },
  toggleDrawer: (open) => set({ drawerOpen: open ?? !get().drawerOpen }),
  dismissToast: (key) => set({ toasts: get().toasts.filter((t) => t.key !== key) }),
  acknowledge: async (key) => {
    // Shown as acknowledged at once, so a second Shift+A goes to the next alert, not this one again;
    // the engine's next frame says what is true.
    const snap = get().snapshot;
    if (snap) set({ snapshot: { ...snap, active: snap.active.map((a) => (a.key === key && !a.subject.startsWith('event:') ? { ...a, acknowledged: true } : a)) } });
    set({ toasts: get().toasts.filter((t) => t.key !== key) });
    try {
      await call('alerts.ack', { key });
      set({ error: null });
    } catch (e) {
      set({ error: (e as Error).message });
    }
  },
  acknowledgeWorst: () => {
    const worst = get().snapshot?.active.find((a) => !a.acknowledged);
    if (!worst) return false;
    void get().acknowledge(worst.key);
    return true;
  },
  show: (key, target) => {
    useViewStore.getState().setWorkspace(target.workspace);
    // Highlighted until it has been on screen for a while: the workspace just opened may take a
    // few frames to render the figure, and the highlight must not run out before it is seen.
    set({ focus: { figure: target.figure, until: Number.POSITIVE_INFINITY }, toasts: get().toasts.filter((t) => t.key !== key) });
    const seen = (): void => {
      const until = Date.now() + 4_000;
      set({ focus: { figure: target.figure, until } });
      setTimeout(() => {
        if (get().focus?.until === until) set({ focus: null });
      }, 4_000);
    };
    const find = (tries: number): void => {
      const el = document.querySelector(`[data-figure="${CSS.escape(target.figure)}"]`);
      if (el) {
        el.scrollIntoView({ block: 'center' });
        seen();
      } else if (tries > 0) requestAnimationFrame(() => find(tries - 1));
      else seen();
    };
    requestAnimationFrame(() => find(120));
  },
  saveRule: async (rule, settings) => {
    try {
      await call('alerts.rule', { rule, settings });
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  },
}));

/** The highlight of a figure on screen: its worst active alert, and whether "show" points at it. */
export function figureClass(figure: string, s: Pick<AlertsStore, 'snapshot' | 'focus'>, now = Date.now()): string {
  let worst: AlertLevel | null = null;
  for (const a of s.snapshot?.active ?? []) if (a.target.figure === figure && levelRank(a.level) > levelRank(worst)) worst = a.level;
  const level = worst === 'warning' || worst === 'critical' ? ` figure-alert-${worst}` : '';
  return `${level}${s.focus?.figure === figure && s.focus.until > now ? ' figure-focused' : ''}`;
}

/** Re-renders a component when alerts or the "show" focus change, for figureClass. */
export function useAlertHighlights(): Pick<AlertsStore, 'snapshot' | 'focus'> {
  const snapshot = useAlertsStore((s) => s.snapshot);
  const focus = useAlertsStore((s) => s.focus);
  return { snapshot, focus };
}
