import { useKeyHint } from '../../hotkeys/key-hint.ts';
import { VENUE_LABELS } from '../../../../shared/domain/venues.ts';
import { useEffect, useState } from 'react';
import { DIVEST_VENUES, type DivestLeg, type DivestPlan, type DivestRun, type DivestScope } from '../../../../shared/domain/divest.ts';
import { formatFixed, formatSigned, formatUsd } from '../../../../shared/format/numbers.ts';
import { shortAddress } from '../../../../shared/format/address.ts';
import { useDivestStore } from '../../stores/divest-store.ts';

const VENUE_NAMES: Record<string, string> = VENUE_LABELS;
const SCOPES: { id: DivestScope; label: string }[] = [{ id: 'all', label: 'Everything' }, ...DIVEST_VENUES.map((v) => ({ id: v, label: VENUE_NAMES[v]! }))];

/** A size in the leg's own unit: coins, USD contracts or tokens. */
function sizeText(l: Pick<DivestLeg, 'unit' | 'underlying' | 'instrument'>, v: number): string {
  if (l.unit === 'USD') return `${formatUsd(v)} USD`;
  if (l.unit === 'token') return `${formatFixed(v, 2)} ${l.instrument}`;
  return `${formatFixed(v, v >= 100 ? 1 : 4)} ${l.underlying}`;
}

function priceText(l: DivestLeg, v: number | null): string {
  if (v === null) return '—';
  return l.mark !== null && l.mark < 1 ? `${formatFixed(v, 4)} ${l.underlying}` : formatFixed(v, v >= 1_000 ? 1 : 2);
}

const SIDE_WORDS: Record<DivestLeg['side'], string> = { buy: 'Buy', sell: 'Sell', repay: 'Repay', withdraw: 'Withdraw' };

/** Hyperliquid names its perps by the coin; the screen calls them BTC-PERP everywhere. */
const instrumentName = (l: Pick<DivestLeg, 'venue' | 'instrument'>): string => (l.venue === 'hyperliquid' ? `${l.instrument}-PERP` : l.instrument);

const account = (a: string): string => (a.startsWith('0x') ? shortAddress(a) : a);

function PlanView({ plan }: { plan: DivestPlan }) {
  return (
    <div className="divest-plan">
      {plan.steps.map((s, i) => (
        <section key={s.phase} aria-label={s.title}>
          <h3>
            {i + 1}. {s.title}
          </h3>
          {s.phase === 'cancel' ? (
            <p>{s.orders?.length ? s.orders.map((o) => `${VENUE_NAMES[o.venue]}: ${o.count} order${o.count === 1 ? '' : 's'} known`).join(' · ') : 'No venue in scope trades here'}, and every other open order on those accounts (the venue’s own cancel-all).</p>
          ) : (
            <table className="divest-legs">
              <thead>
                <tr>
                  <th>Leg</th>
                  <th>Account</th>
                  <th className="num">Book takes now</th>
                  <th className="num">Est. avg</th>
                  <th className="num">Est. cost</th>
                </tr>
              </thead>
              <tbody>
                {s.legs.map((l) => (
                  <tr key={l.id} title={l.note ?? undefined}>
                    <td>
                      <span className={`side ${l.side === 'buy' ? 'buy' : 'sell'}`}>{SIDE_WORDS[l.side]}</span> {sizeText(l, l.size)} {l.venue === 'aave' ? (l.side === 'withdraw' ? 'from Aave to the wallet' : 'on Aave') : `${instrumentName(l)} on ${VENUE_NAMES[l.venue]}`}
                      {l.note ? <div className="divest-note">{l.note}</div> : null}
                    </td>
                    <td>{account(l.account)}</td>
                    <td className="num">{sizeText(l, l.absorbableNow)}</td>
                    <td className="num">{priceText(l, l.estAvgPrice)}</td>
                    <td className="num">{l.venue === 'aave' ? 'gas' : formatUsd(l.estCostUsd)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
      {plan.left.length ? (
        <section aria-label="Not flattened here">
          <h3>Not flattened here</h3>
          <ul className="divest-left">
            {plan.left.map((x) => (
              <li key={`${x.venue}:${x.account}:${x.instrument}`}>
                {VENUE_NAMES[x.venue] ?? x.venue} {x.instrument} ({account(x.account)}): {x.reason}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <dl className="divest-totals">
        <dt>Est. cost</dt>
        <dd>
          {formatUsd(plan.totalCostUsd)} (slippage against the mark and fees; limits {plan.perpSlippageBps} bps on perps, {Math.round(plan.optionSlippagePct * 100)} % of the mark on options)
        </dd>
        <dt>Δ after</dt>
        <dd>{plan.deltaAfter.length ? plan.deltaAfter.map((d) => `${d.underlying} ${formatSigned(d.coins, 3)}`).join(' · ') : 'nothing held'}</dd>
      </dl>
      {plan.waitsFor ? <p className="divest-warn">Waits for: {plan.waitsFor}</p> : null}
    </div>
  );
}

function RunView({ run }: { run: DivestRun }) {
  const legs = run.plan.steps.flatMap((s) => s.legs);
  return (
    <div className="divest-run">
      <p>
        {run.startedBy === 'auto' ? `Started by itself: ${run.trigger}. ` : ''}
        {run.cancelled.map((c) => `${VENUE_NAMES[c.venue]}: ${c.count} order${c.count === 1 ? '' : 's'} cancelled${c.failed ? ` (failed: ${c.failed})` : ''}`).join(' · ') || 'Cancelling orders…'}
      </p>
      <table className="divest-legs" aria-label="Progress per leg">
        <thead>
          <tr>
            <th>Leg</th>
            <th>State</th>
            <th className="num">Done</th>
            <th className="num">Left</th>
            <th>Last</th>
          </tr>
        </thead>
        <tbody>
          {run.legs.map((p) => {
            const l = legs.find((x) => x.id === p.legId)!;
            return (
              <tr key={p.legId} className={`leg-${p.state}`}>
                <td>
                  {SIDE_WORDS[l.side]} {l.venue === 'aave' ? `${l.instrument} ${l.side === 'withdraw' ? 'collateral' : 'debt'}` : instrumentName(l)} ({VENUE_NAMES[l.venue]})
                </td>
                <td className={`divest-state s-${p.state}`}>{p.state}</td>
                <td className="num">{sizeText(l, p.done)}</td>
                <td className="num">{sizeText(l, p.remaining)}</td>
                <td className="divest-detail">{p.detail}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {run.report ? (
        <div className="divest-report" aria-label="Report">
          <h3>{run.report.notFlat.length ? `Not flat (${run.report.notFlat.length})` : 'Flat: every leg'}</h3>
          <ul>
            {run.report.notFlat.map((x) => (
              <li key={x} className="divest-warn">
                {x}
              </li>
            ))}
          </ul>
          {run.report.notFlat.length && run.report.flat.length ? <h3 className="divest-flat-head">Flat ({run.report.flat.length})</h3> : null}
          <ul>
            {run.report.flat.map((x) => (
              <li key={x} className="divest-flat">
                {x}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

/**
 * The kill switch over any screen: the plan first, every step with its estimated cost; the word
 * typed executes exactly that plan; then progress per leg and the report of what is flat.
 */
export function KillSwitchOverlay() {
  const { open, scope, withdraw, plan, busy, typed, error, snapshot } = useDivestStore();
  const { show, close, type, execute, stop, arm } = useDivestStore.getState();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!open) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [open]);
  if (!open) return null;
  const run = snapshot?.run ?? null;
  const showRun = run !== null && (run.state === 'running' || plan === null);
  const expired = plan !== null && now > plan.expiresAt;
  const word = plan?.confirmWord ?? 'FLATTEN';
  return (
    <div className="divest-overlay panel" role="dialog" aria-label="Kill switch">
      <div className="panel-header">
        <h2>Kill switch</h2>
        <span className="divest-sub">{showRun ? (run.state === 'running' ? 'divesting…' : `run ${run.state}`) : 'plan — nothing is sent until you type the word'}</span>
        <div className="spacer" />
        <button className="toggle" onClick={close} title="Esc">
          Close
        </button>
      </div>
      <div className="divest-body">
        {showRun ? (
          <>
            <RunView run={run} />
            <div className="divest-actions">
              {run.state === 'running' ? (
                <button className="toggle danger armed" onClick={() => void stop()}>
                  Stop after the slices under way
                </button>
              ) : (
                <button className="toggle" onClick={() => void show(scope)}>
                  Plan again
                </button>
              )}
            </div>
          </>
        ) : (
          <>
            <div className="segmented" role="radiogroup" aria-label="What to divest">
              {SCOPES.map((s) => (
                <button key={s.id} role="radio" aria-checked={scope === s.id} className={`toggle${scope === s.id ? ' active' : ''}`} onClick={() => void show(s.id)}>
                  {s.label}
                </button>
              ))}
            </div>
            {scope === 'all' || scope === 'aave' ? (
              <label className="divest-withdraw">
                <input type="checkbox" checked={withdraw} onChange={(e) => void show(scope, e.target.checked)} /> then withdraw the Aave collateral to the wallet (signed only once no debt is left)
              </label>
            ) : null}
            {plan ? <PlanView plan={plan} /> : <p>{busy ? 'Planning…' : ''}</p>}
            <form
              className="divest-confirm"
              onSubmit={(e) => {
                e.preventDefault();
                void execute();
              }}
            >
              <label>
                Type {word} to execute
                <input aria-label={`Type ${word} to execute`} value={typed} onChange={(e) => type(e.target.value)} autoComplete="off" spellCheck={false} disabled={!plan || expired} />
              </label>
              <button className="toggle danger armed" type="submit" disabled={!plan || busy || expired || typed.trim() !== word}>
                Execute {scope === 'all' ? 'the whole plan' : `the ${VENUE_NAMES[scope]} plan`}
              </button>
              {expired ? (
                <button className="toggle" type="button" onClick={() => void show(scope)}>
                  Plan expired: plan again
                </button>
              ) : plan ? (
                <span className="divest-expiry">expires in {Math.max(0, Math.round((plan.expiresAt - now) / 1000))} s</span>
              ) : null}
            </form>
          </>
        )}
        {error ? (
          <p className="divest-warn" role="alert">
            {error}
          </p>
        ) : null}
        <p className="divest-deadman" aria-label="Dead-man switch">
          Dead-man: {snapshot?.deadMan.armedUntil ? `Hyperliquid cancels every open order at ${new Date(snapshot.deadMan.armedUntil).toISOString().slice(11, 19)} UTC unless DeltaDesk renews it` : 'no Hyperliquid order resting, nothing scheduled'}
          {snapshot?.deadMan.error ? ` (last renewal failed: ${snapshot.deadMan.error})` : ''}; Deribit cancels main’s orders if its connection drops.
        </p>
        <div className="divest-arm" aria-label="Auto-divest">
          <span title="Perps: the feed down or silent, the mark off the index, the spread blown out or the depth gone. Aave: a stablecoin off its peg, or the oracle frozen while its market moves.">Auto-divest when a “protocol broke” alert for the venue turns critical:</span>
          {DIVEST_VENUES.map((v) => {
            const on = snapshot?.armed.includes(v) ?? false;
            return (
              <label key={v} className={on ? 'armed' : ''}>
                <input type="checkbox" checked={on} onChange={(e) => void arm(v, e.target.checked)} /> {VENUE_NAMES[v]} {on ? 'ARMED' : 'off'}
              </label>
            );
          })}
        </div>
      </div>
    </div>
  );
}

/** The top bar's reminder: a divestment running, or a venue armed to divest by itself. */
export function DivestChip() {
  const snapshot = useDivestStore((s) => s.snapshot);
  const show = useDivestStore((s) => s.show);
  const running = snapshot?.run?.state === 'running';
  const armed = snapshot?.armed ?? [];
  const key = useKeyHint('divest.open');
  return (
    <button className={`chip divest-chip${running ? ' running' : armed.length ? ' armed' : ''}`} onClick={() => void show('all')} title={`Kill switch${key}: plan, then type the word to flatten`}>
      {running ? 'DIVESTING' : armed.length ? `Auto-divest: ${armed.map((v) => VENUE_NAMES[v]).join(', ')}` : 'Kill switch'}
    </button>
  );
}
