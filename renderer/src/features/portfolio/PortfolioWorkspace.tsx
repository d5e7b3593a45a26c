import type { UnderlyingTotals } from '../../../../shared/domain/portfolio.ts';
import { formatFixed, formatPercent, formatSigned } from '../../../../shared/format/numbers.ts';
import { usePortfolioStore } from '../../stores/portfolio-store.ts';
import { useViewStore } from '../../stores/view-store.ts';
import { GreeksLadder } from './GreeksLadder.tsx';
import { shownUnderlying } from './ladder-model.ts';
import { PayoffChart } from './PayoffChart.tsx';
import { AccountsPanel, ImportPanel, WhatIfForm } from './PortfolioTools.tsx';
import { PositionsTable } from './PositionsTable.tsx';
import { OrdersPanel } from '../orders/OrdersPanel.tsx';
import { AutoHedgePanel } from '../hedge/AutoHedgePanel.tsx';
import { TopUpPanel } from '../alerts/TopUpPanel.tsx';
import { ProtectiveStopsPanel } from '../divest/ProtectiveStopsPanel.tsx';

function Figure({ label, value, title, tone }: { label: string; value: string; title: string; tone?: 'pos' | 'neg' | 'warn' }) {
  return (
    <div className={`figure${tone ? ` ${tone}` : ''}`} title={title}>
      <span className="label">{label}</span>
      <span className="value">{value}</span>
    </div>
  );
}

/** What the strip's delta is the derivative of, in words. */
function deltaBasis(t: UnderlyingTotals): string {
  return t.numeraire === 'usd'
    ? `Net delta in coins: ∂(PnL in USD)/∂price. Options at their Black delta; coin collateral counts one per coin`
    : `Net delta in coins: price × ∂(PnL in ${t.underlying})/∂price. Options premium-adjusted; collateral has none`;
}

/** The underlying's totals in USD and coin, and the nearest liquidation either side. */
function RiskStrip({ t }: { t: UnderlyingTotals }) {
  const g = t.greeks;
  const collateral = t.collateral.reduce((a, c) => a + c.coins, 0);
  const liq = (p: number | null): string => (p === null ? 'none' : `${formatFixed(p, 0)} (${formatPercent(p / t.spot - 1)})`);
  const nearest = [t.liquidationAbove, t.liquidationBelow].filter((p): p is number => p !== null).map((p) => Math.abs(p / t.spot - 1));
  const close = nearest.length > 0 && Math.min(...nearest) < 0.1;
  return (
    <div className="risk-strip" aria-label={`${t.underlying} totals`}>
      <Figure label="Spot" value={formatFixed(t.spot, 2)} title="Index (else perp mid), USD" />
      <Figure
        label={`Δ ${t.underlying}`}
        value={`${formatSigned(g.deltaCoin, 3)}${t.unpriced ? ' *' : ''}`}
        title={`${deltaBasis(t)}${t.unpriced ? `\n* ${t.unpriced} position(s) have no price and are not in this delta` : ''}`}
        tone={t.unpriced ? 'warn' : g.deltaCoin < 0 ? 'neg' : 'pos'}
      />
      <Figure label="Δ $" value={formatSigned(g.deltaUsd, 0)} title="Delta as USD exposure (Δ × spot)" />
      {collateral ? <Figure label="Collateral" value={`${formatFixed(collateral, 3)} ${t.underlying}`} title={`Coins held on ${t.collateral.map((c) => c.account).join(', ')} beyond what the positions are worth. ${t.numeraire === 'usd' ? 'PnL in USD: counted in Δ, one per coin' : 'PnL in coin: no delta'}`} /> : null}
      <Figure label="Δ venue" value={t.venueDeltaCoin === null ? '–' : formatSigned(t.venueDeltaCoin, 3)} title={`What the venues report, on their basis (Deribit: Black delta on the forward, no premium, no collateral). Ours on that basis: ${formatSigned(t.deltaBsCoin, 3)}`} />
      <Figure label="Γ $Δ/1%" value={formatSigned(g.gammaUsdPer1Pct, 0)} title="USD delta change for a 1 % move" />
      <Figure label="Vega $/pt" value={formatSigned(g.vegaUsd, 0)} title="USD per 1 vol point" />
      <Figure label="Θ $/day" value={formatSigned(g.thetaUsd, 0)} title="USD per calendar day" tone={g.thetaUsd < 0 ? 'neg' : 'pos'} />
      <Figure label="PnL $" value={formatSigned(t.pnlUsd, 0)} title="PnL since entry of the positions with a known entry" tone={t.pnlUsd < 0 ? 'neg' : 'pos'} />
      <Figure label="Liq ↑" value={liq(t.liquidationAbove)} title="Nearest perp liquidation above spot" tone={close ? 'warn' : undefined} />
      <Figure label="Liq ↓" value={liq(t.liquidationBelow)} title="Nearest perp liquidation below spot" tone={close ? 'warn' : undefined} />
    </div>
  );
}

/** The portfolio screen: what is held, its Greeks, where it liquidates, and what moves do to it. */
export function PortfolioWorkspace() {
  const snapshot = usePortfolioStore((s) => s.snapshot);
  const ladders = usePortfolioStore((s) => s.ladders);
  const chosen = useViewStore((s) => s.portfolioUnderlying);
  const setUnderlying = useViewStore((s) => s.setPortfolioUnderlying);
  if (!snapshot) return <div className="empty large">Reading positions…</div>;
  const u = shownUnderlying(snapshot, chosen);
  const totals = snapshot.totals.find((t) => t.underlying === u);
  const ladder = u ? ladders[u] : undefined;
  return (
    <div className="portfolio-workspace">
      {snapshot.notices.map((n) => (
        <div key={n} className="banner warn" role="alert">
          {n}
        </div>
      ))}
      <div className="chain-toolbar">
        <div className="instrument-tabs" role="tablist" aria-label="Underlying">
          {snapshot.totals.map((t) => (
            <button key={t.underlying} role="tab" aria-selected={t.underlying === u} className={`tab${t.underlying === u ? ' active' : ''}`} onClick={() => setUnderlying(t.underlying)}>
              <span className="symbol">{t.underlying}</span>
              <span className="mid">Δ {formatSigned(t.greeks.deltaCoin, 2)}</span>
            </button>
          ))}
        </div>
        {totals ? <RiskStrip t={totals} /> : null}
      </div>
      {!u ? (
        <div className="empty large">No positions yet. Watch a Hyperliquid account or import a CSV below.</div>
      ) : null}
      <div className="portfolio-main">
        {ladder && u ? (
          <GreeksLadder ladder={ladder} coin={u} />
        ) : (
          <section className="panel ladder empty" data-testid="ladder-empty">
            {totals && !(totals.spot > 0) ? `No price for ${u}: no connected venue quotes it, so its positions carry no Greeks and no ladder. They stay listed beside.` : 'Waiting for a price…'}
          </section>
        )}
        <div className="portfolio-side with-orders">
          {ladder && u ? <PayoffChart ladder={ladder} coin={u} /> : null}
          <PositionsTable snapshot={snapshot} />
          <OrdersPanel compact />
          <div className="portfolio-tools">
            {u ? <AutoHedgePanel underlying={u} /> : null}
            {u && totals ? <WhatIfForm underlying={u} spot={totals.spot} /> : null}
            <ImportPanel />
            <AccountsPanel snapshot={snapshot} />
            <TopUpPanel snapshot={snapshot} />
            <ProtectiveStopsPanel snapshot={snapshot} />
          </div>
        </div>
      </div>
    </div>
  );
}
