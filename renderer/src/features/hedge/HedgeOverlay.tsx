import { useEffect, useState } from 'react';
import { positionLimitFor } from '../../../../shared/domain/budget.ts';
import type { HedgePlan } from '../../../../shared/domain/hedge.ts';
import { formatFixed, formatSigned, formatUsd } from '../../../../shared/format/numbers.ts';
import { useKeymapStore } from '../../hotkeys/keymap-store.ts';
import { useHedgeStore } from '../../stores/hedge-store.ts';
import { useOrdersStore } from '../../stores/orders-store.ts';
import { usePortfolioStore } from '../../stores/portfolio-store.ts';
import { useVaultStore } from '../../stores/vault-store.ts';

const VENUE_NAMES = { hyperliquid: 'Hyperliquid', deribit: 'Deribit' } as const;

function sizeText(p: HedgePlan): string {
  return p.venue === 'deribit' ? `${formatUsd(p.size)} USD` : `${formatFixed(p.size, 5)} ${p.underlying}`;
}

function liqText(v: number | null, venue: HedgePlan['venue']): string {
  if (v !== null) return formatFixed(v, 0);
  return venue === 'deribit' ? 'not projected' : 'none';
}

/**
 * Main's guard refuses an order that grows a venue position past the budget's limit for the
 * underlying (reducing always passes). Said before sending, from the same rule, rather than
 * learnt from a refusal.
 */
function useLimitProblem(plan: HedgePlan | null): string | null {
  const status = useVaultStore((s) => s.status);
  const positions = usePortfolioStore((s) => s.snapshot?.positions);
  const account = useOrdersStore((s) => s.snapshot.gates.find((g) => g.venue === 'hyperliquid')?.account ?? null);
  const limits = status?.budget?.valid ? status.budget.limits : null;
  if (!plan || !limits || !positions) return null;
  const held = positions.find((p) =>
    plan.venue === 'hyperliquid' ? p.def.source === 'hyperliquid' && p.def.instrument === `${plan.underlying}-PERP` && account !== null && p.def.account.toLowerCase() === account.toLowerCase() : p.def.source === 'deribit' && p.def.instrument === plan.instrument,
  );
  const before = held?.def.quantity ?? 0;
  const coins = plan.venue === 'hyperliquid' ? plan.size : plan.size / plan.avgPrice;
  const after = before + (plan.side === 'buy' ? coins : -coins);
  const limit = positionLimitFor(limits, plan.underlying);
  if (!(Math.abs(after) > Math.abs(before) && Math.abs(after) * plan.mark > limit)) return null;
  return `main will refuse this: the ${plan.underlying} position on ${VENUE_NAMES[plan.venue]} after it would be ${formatUsd(Math.abs(after) * plan.mark)}, over the budget's ${formatUsd(limit)} limit (Vault → Budget; reducing orders always pass)`;
}

/** The budget left in the rolling 24 h for hedges, USD, from main's last vault status. */
function useBudgetLeft(): number | null {
  const status = useVaultStore((s) => s.status);
  const b = status?.budget;
  if (!b?.valid || !status) return null;
  return Math.max(0, b.limits.maxDailyHedgeNotionalUsd - status.usage.hedgeNotionalUsd);
}

/**
 * The hedge preview over any screen: what would be sent, what it costs, and delta and
 * liquidation before → after; the key again sends it, Esc drops it. It says when it expires.
 */
export function HedgeOverlay() {
  const { preview, draft, phase, message, sent, fraction } = useHedgeStore();
  const dismiss = useHedgeStore((s) => s.dismiss);
  const keysOf = useKeymapStore((s) => s.resolved.keysOf);
  const budgetLeft = useBudgetLeft();
  // The kept plan once it is here; until then the streamed draft (the same planner, moments older).
  const r = preview?.result ?? (phase === 'asking' ? (draft ?? undefined) : undefined);
  const limitProblem = useLimitProblem(r?.ok ? r : null);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (phase !== 'shown') return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [phase]);
  useEffect(() => {
    if (phase !== 'sent') return;
    const t = setTimeout(dismiss, 6_000);
    return () => clearTimeout(t);
  }, [phase, dismiss]);
  if (phase === 'idle') return null;
  const key = (fraction === 0.5 ? keysOf.get('hedge.half') : keysOf.get('hedge.full'))?.[0]?.replace('Shift+', '⇧') ?? '?';
  const expired = preview !== null && phase === 'shown' && now >= preview.expiresAt;
  return (
    <div className="hedge-overlay panel" role="dialog" aria-label="Hedge to target">
      <div className="panel-header">
        <h2>
          Hedge {fraction === 0.5 ? '50 %' : '100 %'} to target {r?.ok ? <span className="muted">{r.underlying}</span> : null}
        </h2>
        <button className="toggle" onClick={dismiss} title="Esc">
          Esc
        </button>
      </div>
      {phase === 'asking' ? <p className="muted asking">{r ? 'Checking the plan against the live book…' : 'Planning…'}</p> : null}
      {r && !r.ok ? (
        <p className="form-error" role="alert">
          No hedge: {r.reason}
        </p>
      ) : null}
      {r?.ok ? (
        <dl className="hedge-plan">
          <dt>Order</dt>
          <dd className={r.side === 'buy' ? 'pos' : 'neg'}>
            {r.side === 'buy' ? 'Buy' : 'Sell'} {sizeText(r)} {r.venue === 'hyperliquid' ? `${r.instrument}-PERP` : r.instrument} on {VENUE_NAMES[r.venue]}, IOC, limit {formatFixed(r.limitPrice, 1)}
            {r.clipped ? ' (clipped to the maximum order)' : ''}
          </dd>
          <dt>Avg price</dt>
          <dd>
            {formatFixed(r.avgPrice, 2)} <span className="muted">· mark {formatFixed(r.mark, 2)} · slippage {formatFixed(r.slippageBps, 1)} bps</span>
          </dd>
          <dt>Cost</dt>
          <dd>
            fee {formatUsd(r.feeUsd)} <span className="muted">· notional {formatUsd(r.notionalUsd)}</span>
          </dd>
          <dt>Δ {r.underlying}</dt>
          <dd>
            {formatSigned(r.deltaBefore, 3)} → <b>{formatSigned(r.deltaAfter, 3)}</b> <span className="muted">target {formatSigned(r.target, 3)}</span>
          </dd>
          <dt>Liquidation</dt>
          <dd>
            {liqText(r.liqBefore, r.venue)} → {liqText(r.liqAfter, r.venue)}
            {r.marginAfterUsd !== null ? <span className="muted"> · margin after {formatUsd(r.marginAfterUsd)}</span> : null}
          </dd>
          <dt>Budget left</dt>
          <dd>{budgetLeft === null ? <span className="muted">no valid budget (approve one in Vault)</span> : `${formatUsd(budgetLeft)} of today's hedge budget`}</dd>
        </dl>
      ) : null}
      {limitProblem && (phase === 'shown' || phase === 'asking') ? (
        <p className="form-error" role="alert">
          {limitProblem}
        </p>
      ) : null}
      {phase === 'shown' && r?.ok ? (
        <p className={expired ? 'form-error' : 'hedge-arm'}>
          {expired ? `Expired: press ${key} to plan again` : `Press ${key} again to send · Esc cancels · expires in ${Math.max(0, ((preview?.expiresAt ?? now) - now) / 1000).toFixed(1)} s`}
        </p>
      ) : null}
      {phase === 'sending' ? <p className="muted">Checking against the live book and sending…</p> : null}
      {phase === 'sent' && sent ? (
        <p className="hedge-sent" role="status">
          Sent: {sent.state} {sent.filled > 0 ? `${formatFixed(sent.filled, sent.plan.venue === 'deribit' ? 0 : 5)} at ${formatFixed(sent.avgPrice, 2)}` : '(nothing filled within the slippage cap)'}
        </p>
      ) : null}
      {phase === 'failed' && message ? (
        <p className="form-error" role="alert">
          {message}
        </p>
      ) : null}
    </div>
  );
}
