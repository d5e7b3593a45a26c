import { useEffect, useState } from 'react';
import { ALERT_LEVELS, ALERT_RULES, RULE_INFO, ruleSettingsProblem, type Alert, type AlertRuleId, type AlertRuleSettings } from '../../../../shared/domain/alerts.ts';
import { useNow } from '../../app/use-now.ts';
import { terminalApi } from '../../bridge/terminal.ts';
import { useKeyHint } from '../../hotkeys/key-hint.ts';
import { useAlertsStore } from '../../stores/alerts-store.ts';
import { ago, LEVEL_WORDS } from './alert-words.ts';

function AlertRow({ a, now }: { a: Alert; now: number }) {
  const { show, acknowledge } = useAlertsStore.getState();
  const cleared = a.clearedAt !== null;
  return (
    <li className={`alert-row level-${a.level}${a.acknowledged ? ' acknowledged' : ''}`} data-alert={a.key}>
      <span className={`level-chip level-${a.level}`}>{LEVEL_WORDS[a.level]}</span>
      <span className="alert-message">
        {a.message}
        <span className="muted">
          {' '}
          · {cleared ? `cleared ${ago(now - a.clearedAt!)} ago` : `since ${ago(now - a.raisedAt)}`}
          {a.peak !== a.level ? `, was ${LEVEL_WORDS[a.peak].toLowerCase()}` : ''}
          {a.acknowledged && !cleared ? ', acknowledged' : ''}
          {a.restored ? ', from before the restart' : ''}
        </span>
      </span>
      {!cleared ? (
        <span className="alert-actions">
          <button className="toggle" onClick={() => show(a.key, a.target)}>
            Show
          </button>
          {!a.acknowledged ? (
            <button className="toggle" onClick={() => void acknowledge(a.key)}>
              Acknowledge
            </button>
          ) : null}
        </span>
      ) : null}
    </li>
  );
}

const num = (v: string): number | null => (v.trim() === '' ? null : Number(v));

function RuleRow({ rule, saved }: { rule: AlertRuleId; saved: AlertRuleSettings }) {
  const info = RULE_INFO[rule];
  const fromSaved = () => ({ info: saved.info?.toString() ?? '', warning: saved.warning?.toString() ?? '', critical: saved.critical?.toString() ?? '', hysteresis: saved.hysteresis.toString() });
  const [draft, setDraft] = useState<Record<'info' | 'warning' | 'critical' | 'hysteresis', string>>(fromSaved);
  const [enabled, setEnabled] = useState(saved.enabled);
  // The engine's rule changed (this save, or another screen's): the fields show what is in force.
  const savedKey = JSON.stringify(saved);
  useEffect(() => {
    setDraft(fromSaved());
    setEnabled(saved.enabled);
    // savedKey stands for `saved` (a new object every frame, the same values).
  }, [savedKey]);
  const [message, setMessage] = useState<{ text: string; tone: 'ok' | 'error' } | null>(null);
  const settings: AlertRuleSettings = { enabled, info: num(draft.info), warning: num(draft.warning), critical: num(draft.critical), hysteresis: num(draft.hysteresis) ?? 0 };
  const badNumber = Object.entries(draft).find(([, v]) => v.trim() !== '' && !Number.isFinite(Number(v)));
  const problem = badNumber ? `${badNumber[0]}: not a number` : ruleSettingsProblem(rule, settings);
  const save = async (): Promise<void> => {
    const error = await useAlertsStore.getState().saveRule(rule, settings);
    setMessage(error ? { text: error, tone: 'error' } : { text: 'saved', tone: 'ok' });
  };
  const field = (k: keyof typeof draft, label: string) => (
    <input aria-label={`${info.label} ${label}`} className="num-input" value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} placeholder="off" inputMode="decimal" />
  );
  return (
    <tr data-rule={rule}>
      <th scope="row" title={info.help}>
        <label>
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} aria-label={`${info.label} on`} /> {info.label}
        </label>
        <span className="muted"> {info.direction === 'below' ? 'below' : 'above'}, {info.unit}</span>
      </th>
      {(['info', 'warning', 'critical'] as const).map((l) => (
        <td key={l}>{field(l, l)}</td>
      ))}
      <td>{field('hysteresis', 'hysteresis')}</td>
      <td>
        <button className="toggle" disabled={problem !== null} onClick={() => void save()} title={problem ?? 'Save and judge again now'}>
          Save
        </button>
        {problem ? <span className="form-error"> {problem}</span> : message ? <span className={message.tone === 'error' ? 'form-error' : 'muted'}> {message.text}</span> : null}
      </td>
    </tr>
  );
}

function BrowserNotifications() {
  const [permission, setPermission] = useState(typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);
  // In the desktop app main raises the notifications; the page never asks.
  if (terminalApi().onShowAlert) return <p className="muted">Critical alerts raise a desktop notification.</p>;
  if (permission === 'unsupported') return <p className="muted">This browser has no notifications: critical alerts show in the banner on every screen.</p>;
  if (permission === 'granted') return <p className="muted">Critical alerts also raise a browser notification.</p>;
  return (
    <p className="muted">
      Critical alerts show in the banner on every screen.{' '}
      {permission === 'default' ? (
        <button className="toggle" onClick={() => void Notification.requestPermission().then(setPermission)}>
          Also notify me in the browser
        </button>
      ) : (
        'The browser blocks notifications from this page.'
      )}
    </p>
  );
}

/** The alerts panel: what is in force, what cleared lately, and every rule's thresholds. */
export function AlertsDrawer() {
  const open = useAlertsStore((s) => s.drawerOpen);
  const snapshot = useAlertsStore((s) => s.snapshot);
  const error = useAlertsStore((s) => s.error);
  const close = useAlertsStore((s) => s.toggleDrawer);
  const closeKey = useKeyHint('hedge.cancel');
  const now = useNow(1_000);
  if (!open) return null;
  const evaluated = snapshot?.evaluatedAt ?? null;
  return (
    <aside className="alerts-drawer panel" aria-label="Alerts">
      <div className="panel-header">
        <h2>Alerts</h2>
        <span className="muted alerts-judged">{evaluated ? `rules judged ${ago(now - evaluated)} ago, in the engine (they run with the window hidden)` : 'waiting for the engine'}</span>
        <button className="toggle" onClick={() => close(false)} title={`Close${closeKey}`}>
          Close
        </button>
      </div>
      <div className="alerts-body">
        {error ? <p className="form-error">{error}</p> : null}
        <h3>In force</h3>
        {snapshot?.active.length ? (
          <ul className="alert-list">
            {snapshot.active.map((a) => (
              <AlertRow key={a.key} a={a} now={now} />
            ))}
          </ul>
        ) : (
          <p className="muted">Nothing: every rule is inside its thresholds.</p>
        )}
        <h3>Cleared lately</h3>
        {snapshot?.recent.length ? (
          <ul className="alert-list recent">
            {snapshot.recent.slice(0, 10).map((a) => (
              <AlertRow key={`${a.key}@${a.clearedAt}`} a={a} now={now} />
            ))}
          </ul>
        ) : (
          <p className="muted">None this session.</p>
        )}
        <h3>Rules</h3>
        <BrowserNotifications />
        {snapshot ? (
          <table className="rules-table">
            <thead>
              <tr>
                <th scope="col">Rule</th>
                {ALERT_LEVELS.map((l) => (
                  <th key={l} scope="col">
                    {LEVEL_WORDS[l]}
                  </th>
                ))}
                <th scope="col" title="How far back past a threshold the figure must come before the alert eases">
                  Hysteresis
                </th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {ALERT_RULES.map((r) => (
                <RuleRow key={r} rule={r} saved={snapshot.rules[r]} />
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    </aside>
  );
}
