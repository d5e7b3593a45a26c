import { useEffect, useState } from 'react';
import type { ArbLegPlan, ArbRun } from '../../../../shared/contract/arb-schemas.ts';
import { VENUE_LABELS, type VenueId } from '../../../../shared/domain/venues.ts';
import { formatFixed, formatSigned, formatSize, formatUsd } from '../../../../shared/format/numbers.ts';
import { useArbStore } from '../../stores/arb-store.ts';
import { useVaultStore } from '../../stores/vault-store.ts';

const KIND: Record<string, string> = { 'cross-venue': 'Cross-venue', vertical: 'Vertical', calendar: 'Calendar' };
const venueName = (v: string): string => VENUE_LABELS[v as VenueId] ?? v;

/** A leg's price as its venue quotes it: Deribit in coin per contract (with USD), Derive in USDC. */
function priceText(l: ArbLegPlan): string {
  return l.venue === 'deribit' ? `${formatFixed(l.limit, 4)} (${formatUsd(l.quotedUsd)})` : formatUsd(l.quotedUsd);
}

function RunLegs({ run }: { run: ArbRun }) {
  return (
    <table className="arb-legs" aria-label="Legs sent">
      <thead>
        <tr>
          <th>Leg</th>
          <th>Venue</th>
          <th>Order</th>
          <th>State</th>
          <th>Filled</th>
          <th>Avg</th>
        </tr>
      </thead>
      <tbody>
        {run.legs.map((l, i) => (
          <tr key={l.intentId} className={l.state === 'filled' ? 'ok' : l.filled > 0 ? 'partial' : 'bad'}>
            <td>{i < 2 ? i + 1 : 'unwind'}</td>
            <td>{venueName(l.plan.venue)}</td>
            <td className={l.plan.side === 'buy' ? 'pos' : 'neg'}>
              {l.plan.side} {formatSize(l.plan.size, 4)} {l.plan.instrument}
            </td>
            <td title={l.reason ?? undefined}>{l.state}</td>
            <td>{formatSize(l.filled, 4)}</td>
            <td>{l.filled > 0 ? formatFixed(l.avgPrice, l.plan.venue === 'deribit' ? 4 : 2) : '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The combination over the options screen: every leg in the order it is sent, the edge after
 * fees for the size the quotes carry, the trade's delta and the cash on each venue. Arm, then send
 * within the arm window; a leg left open without its partner is said at once, with its unwind.
 */
/** Main's guard counts each option leg's whole underlying against the order limit: said before arming, from the same rule. */
function useOrderLimitProblem(legs: readonly ArbLegPlan[] | null): string | null {
  const status = useVaultStore((s) => s.status);
  const limit = status?.budget?.valid ? status.budget.limits.maxOrderNotionalUsd : null;
  const worst = legs?.reduce<ArbLegPlan | null>((w, l) => (w === null || l.notionalUsd > w.notionalUsd ? l : w), null) ?? null;
  if (limit === null || !worst || worst.notionalUsd <= limit) return null;
  return `main will refuse this: the ${venueName(worst.venue)} leg is ${formatUsd(worst.notionalUsd)} of underlying, over the budget's ${formatUsd(limit)} order limit (Vault → Budget)`;
}

export function ArbOverlay() {
  const { preview, run, phase, armedUntil, message } = useArbStore();
  const limitProblem = useOrderLimitProblem(preview?.result.ok ? preview.result.legs : null);
  const { arm, send, unwind, dismiss } = useArbStore.getState();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (phase !== 'shown') return;
    const t = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(t);
  }, [phase]);
  useEffect(() => {
    if (phase === 'idle') return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') dismiss();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [phase, dismiss]);
  if (phase === 'idle') return null;
  const r = preview?.result;
  const armed = armedUntil !== null && now <= armedUntil;
  const expired = preview !== null && phase === 'shown' && now >= preview.expiresAt;
  return (
    <div className="arb-overlay panel" role="dialog" aria-label="Trade the mispricing">
      <div className="panel-header">
        <h2>
          {r?.ok ? `${KIND[r.kind] ?? r.kind} trade` : 'Trade'} {r?.ok ? <span className="muted">{r.underlying} · {r.legs.length} legs, each IOC</span> : null}
        </h2>
        <button className="toggle" onClick={dismiss} title="Esc" disabled={phase === 'sending' || phase === 'unwinding'}>
          Esc
        </button>
      </div>
      {phase === 'asking' ? <p className="muted">Planning…</p> : null}
      {r && !r.ok ? (
        <p className="form-error" role="alert">
          Not tradeable: {r.reason}
        </p>
      ) : null}
      {r?.ok && !run ? (
        <>
          <table className="arb-legs" aria-label="Legs to send">
            <thead>
              <tr>
                <th>Leg</th>
                <th>Venue</th>
                <th>Order</th>
                <th>Price</th>
                <th>Fee</th>
              </tr>
            </thead>
            <tbody>
              {r.legs.map((l, i) => (
                <tr key={`${l.venue}:${l.instrument}`}>
                  <td>{i + 1}</td>
                  <td>{venueName(l.venue)}</td>
                  <td className={l.side === 'buy' ? 'pos' : 'neg'}>
                    {l.side} {formatSize(l.size, 4)} {l.instrument}
                  </td>
                  <td>{priceText(l)}</td>
                  <td>{formatUsd(l.feeUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <dl className="hedge-plan">
            <dt>Edge</dt>
            <dd>
              <b>{formatUsd(r.edgeUsd)}</b> <span className="muted">after {formatUsd(r.feesUsd)} of fees, for {formatSize(r.size, 4)} contracts{r.sizedBy === 'budget' ? ' (sized to the budget’s order limit)' : r.sizedBy === 'quotes' ? ' (all the quotes carry)' : ''}</span>
            </dd>
            <dt>Δ of the trade</dt>
            <dd>{formatSigned(r.deltaCoin, 3)} {r.underlying}</dd>
            <dt>Cash</dt>
            <dd>
              {Object.entries(r.cashUsd)
                .map(([v, usd]) => `${venueName(v)} ${usd >= 0 ? '+' : ''}${formatUsd(usd)}`)
                .join(' · ')}{' '}
              <span className="muted">(premium and fees)</span>
            </dd>
            <dt>Margin</dt>
            <dd>
              {Object.entries(r.marginUsd)
                .map(([v, usd]) => `${venueName(v)} ${formatUsd(usd)}`)
                .join(' · ')}{' '}
              <span className="muted">(initial, each venue's standard rule for these legs alone)</span>
            </dd>
            <dt>Each leg</dt>
            <dd className="muted">may fill up to {formatUsd(r.toleranceUsd)} a contract past its touch; the first leg goes first, the second for what it filled</dd>
          </dl>
          {limitProblem ? (
            <p className="form-error" role="alert">
              {limitProblem}
            </p>
          ) : null}
          <div className="arb-actions">
            {armed ? (
              <button className="toggle active arm" onClick={() => void send()}>
                Send {r.legs.length} legs · {formatFixed(Math.max(0, (armedUntil - now) / 1000), 1)} s
              </button>
            ) : (
              <button className="toggle" onClick={() => arm()} disabled={phase !== 'shown' || expired}>
                Arm
              </button>
            )}
            <span className="muted">{expired ? 'Expired: plan it again from the list' : phase === 'sending' ? 'Sending…' : armed ? 'Armed: send within the window, Esc cancels' : `Arm, then send · expires in ${formatFixed(Math.max(0, ((preview?.expiresAt ?? now) - now) / 1000), 1)} s`}</span>
          </div>
        </>
      ) : null}
      {run ? (
        <>
          <RunLegs run={run} />
          <p className={run.state === 'legged' ? 'form-error' : run.state === 'failed' ? 'muted' : 'hedge-sent'} role={run.state === 'legged' ? 'alert' : 'status'}>
            {run.state === 'legged' ? (run.residuals.length > 1 ? 'Legs are open: ' : 'One leg is open: ') : run.state === 'done' ? 'Done: ' : run.state === 'unwound' ? 'Unwound: ' : ''}
            {run.message}
          </p>
          {run.state === 'legged' && run.residuals.length ? (
            <div className="arb-actions">
              <button className="toggle active unwind" onClick={() => void unwind()} disabled={phase === 'unwinding'}>
                Unwind: {run.residuals.map((r) => `${r.side} ${formatSize(r.size, 4)} ${r.instrument} on ${venueName(r.venue)}`).join(' and ')}
              </button>
            </div>
          ) : null}
        </>
      ) : null}
      {message ? (
        <p className="form-error" role="alert">
          {message}
        </p>
      ) : null}
    </div>
  );
}
