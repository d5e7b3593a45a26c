import { useState } from 'react';
import { POSITION_SOURCE_LABELS, type PositionRow, type PortfolioSnapshot } from '../../../../shared/domain/portfolio.ts';
import { formatFixed, formatPercent, formatSigned } from '../../../../shared/format/numbers.ts';
import { call } from '../../bridge/terminal.ts';
import { groupPositions, type SortKey } from './positions-model.ts';
import { figureClass, useAlertHighlights } from '../../stores/alerts-store.ts';

const signed = (v: number | null | undefined, decimals: number): string => formatSigned(v ?? NaN, decimals);

const HEADERS: { key: SortKey | null; label: string; title: string }[] = [
  { key: 'instrument', label: 'Instrument', title: 'Venue instrument, source and account' },
  { key: 'quantity', label: 'Qty', title: 'Signed size in coins (long +)' },
  { key: null, label: 'Entry', title: 'Entry price per coin: USD, or coin premium for inverse options' },
  { key: null, label: 'Mark', title: 'Current price per coin in the entry’s unit' },
  { key: null, label: 'IV %', title: 'Implied vol used, and where it came from' },
  { key: 'delta', label: 'Δ coin', title: 'Delta in coins, the derivative of the PnL the book is counted in (PnL $: Black delta; PnL in coin: premium-adjusted). Hover for USD' },
  { key: null, label: 'Δ venue', title: 'Delta the venue reports, on its own basis (Deribit: Black delta on the forward, no premium), beside ours on that basis' },
  { key: 'gamma', label: 'Γ $/1%', title: 'USD delta change for a 1 % move' },
  { key: 'vega', label: 'Vega $', title: 'USD per 1 vol point' },
  { key: 'theta', label: 'Θ $/day', title: 'USD per calendar day' },
  { key: 'pnl', label: 'PnL $', title: 'PnL since entry, USD (inverse options: coin PnL × index)' },
  { key: 'liq', label: 'Liquidation', title: 'Venue’s liquidation price (ours in the tooltip), and the distance from the mark in %, USD and daily σ' },
];

function Liq({ r }: { r: PositionRow }) {
  const l = r.liquidation;
  if (!l) return <span className="muted">–</span>;
  const at = l.venuePrice ?? l.modelPrice;
  if (at === null) return <span className="muted" title="Collateral covers any move">none</span>;
  const title = `Venue: ${l.venuePrice === null ? '–' : formatFixed(l.venuePrice, 2)}  ·  Ours: ${l.modelPrice === null ? '–' : formatFixed(l.modelPrice, 2)}\nDistance: ${signed(l.distanceUsd, 0)} USD per coin${l.distanceSigmas === null ? '' : `, ${formatFixed(l.distanceSigmas, 1)} daily σ at ATM IV`}`;
  const near = l.distancePct !== null && Math.abs(l.distancePct) < 0.05;
  return (
    <span title={title} className={near ? 'liq-near' : undefined}>
      {formatFixed(at, 0)} <span className="muted">{l.distancePct === null ? '' : formatPercent(l.distancePct)}</span>
      {l.distanceSigmas === null ? null : <span className="muted liq-sigma"> {formatFixed(l.distanceSigmas, 1)}σ</span>}
    </span>
  );
}

function Row({ r }: { r: PositionRow }) {
  const d = r.def;
  const highlight = figureClass(`position:${d.id}`, useAlertHighlights());
  const inverse = d.type === 'option' && d.settlement === 'inverse';
  const entry = d.type === 'option' ? d.entryPremium : d.entryPrice;
  const venueDelta = (d.type === 'option' ? d.venueGreeks?.deltaCoin : null) ?? null;
  const entryText = Number.isFinite(entry) ? formatFixed(entry, inverse ? 4 : 2) : '–';
  const canRemove = d.source === 'import' || d.source === 'what-if';
  return (
    <tr className={`pos-row source-${d.source}${r.problem ? ' problem' : ''}${highlight}`} data-id={d.id} data-entry={entry} data-figure={`position:${d.id}`}>
      <td title={`${POSITION_SOURCE_LABELS[d.source]} · ${d.account}`}>
        <span className={`src src-${d.source}`}>{d.source === 'what-if' ? 'WHAT-IF' : POSITION_SOURCE_LABELS[d.source].slice(0, 3).toUpperCase()}</span> {d.instrument}
        {canRemove ? (
          <button
            className="row-remove"
            title={d.source === 'what-if' ? 'Remove this what-if' : 'Remove this imported position'}
            onClick={() => void (d.source === 'what-if' ? call('portfolio.whatIf.remove', { id: d.id }) : call('portfolio.removeImported', { id: d.id })).catch(() => undefined)}
          >
            ×
          </button>
        ) : null}
        {r.problem ? <div className="problem-text">{r.problem}</div> : null}
      </td>
      <td className={d.quantity < 0 ? 'neg' : 'pos'}>{signed(d.quantity, 4)}</td>
      <td>{entryText}</td>
      <td title={`entry ${entryText} · IV ${r.vol === null ? '–' : `${formatFixed(r.vol * 100, 1)} % from ${r.volSource}`}`}>{Number.isFinite(r.mark) ? formatFixed(r.mark, inverse ? 4 : 2) : '–'}</td>
      <td title={`vol from ${r.volSource}`}>{r.vol === null ? '–' : formatFixed(r.vol * 100, 1)}</td>
      {r.problem ? (
        <td className="muted" title={r.problem}>
          no price
        </td>
      ) : (
        <td title={`${signed(r.greeks.deltaUsd, 0)} USD${venueDelta === null ? '' : ` · venue ${signed(venueDelta, 3)}`}`}>{signed(r.greeks.deltaCoin, 3)}</td>
      )}
      <td title={`ours on the venue’s basis: ${signed(r.deltaBsCoin, 3)}`}>{venueDelta === null ? <span className="muted">–</span> : signed(venueDelta, 3)}</td>
      <td>{signed(r.greeks.gammaUsdPer1Pct, 0)}</td>
      <td>{signed(r.greeks.vegaUsd, 0)}</td>
      <td>{signed(r.greeks.thetaUsd, 0)}</td>
      <td className={(r.pnlUsd ?? 0) < 0 ? 'neg' : 'pos'} title={r.pnlCoin === null ? '' : `${signed(r.pnlCoin, 4)} ${d.underlying}`}>
        {signed(r.pnlUsd, 0)}
      </td>
      <td>
        <Liq r={r} />
      </td>
    </tr>
  );
}

/** Every position with its Greeks, grouped by underlying and expiry, sortable, with totals. */
export function PositionsTable({ snapshot }: { snapshot: PortfolioSnapshot }) {
  const totalsHighlight = figureClass('totals', useAlertHighlights());
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'instrument', dir: 1 });
  const groups = groupPositions(snapshot.positions, snapshot.totals, sort);
  return (
    <section className="panel positions">
      <div className="panel-header">
        <h2>
          Positions <span className="muted">{snapshot.positions.length}</span>
        </h2>
      </div>
      <div className="positions-scroll" tabIndex={0}>
        <table className="positions-table">
          <thead>
            <tr>
              {HEADERS.map((h) => (
                <th
                  key={h.label}
                  title={h.title}
                  className={h.key ? 'sortable' : undefined}
                  aria-sort={h.key === sort.key ? (sort.dir === 1 ? 'ascending' : 'descending') : undefined}
                  onClick={h.key ? () => setSort((s) => ({ key: h.key!, dir: s.key === h.key ? (-s.dir as 1 | -1) : 1 })) : undefined}
                >
                  {h.label}
                  {h.key === sort.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
                </th>
              ))}
            </tr>
          </thead>
          {groups.map((g) => (
            <tbody key={g.underlying}>
              {g.buckets.map((b) => [
                <tr key={`h-${b.label}`} className="bucket-row">
                  <td colSpan={HEADERS.length}>
                    {g.underlying} · {b.label}
                  </td>
                </tr>,
                ...b.rows.map((r) => <Row key={r.def.id} r={r} />),
              ])}
              {g.totals?.collateral.map((c) => (
                <tr key={`collateral-${c.account}`} className="pos-row collateral-row" title="Coins on the venue beyond what the positions are worth. PnL in USD: one delta per coin; in coin: none">
                  <td>
                    <span className={`src src-${c.source}`}>{POSITION_SOURCE_LABELS[c.source].slice(0, 3).toUpperCase()}</span> {c.underlying} collateral
                  </td>
                  <td className={c.coins < 0 ? 'neg' : 'pos'}>{signed(c.coins, 4)}</td>
                  <td />
                  <td />
                  <td />
                  <td>{signed(g.totals!.numeraire === 'usd' ? c.coins : 0, 3)}</td>
                  <td />
                  <td />
                  <td />
                  <td />
                  <td />
                  <td />
                </tr>
              ))}
              {g.totals ? (
                <tr className={`totals-row${totalsHighlight}`} data-figure="totals">
                  <td>{g.underlying} total (excl. what-if)</td>
                  <td />
                  <td />
                  <td>{formatFixed(g.totals.spot, 2)}</td>
                  <td />
                  <td title={`${signed(g.totals.greeks.deltaUsd, 0)} USD${g.totals.unpriced ? ` · ${g.totals.unpriced} position(s) with no price are not in this total` : ''}`} className={g.totals.unpriced ? 'warn' : undefined}>
                    {signed(g.totals.greeks.deltaCoin, 3)}
                    {g.totals.unpriced ? ' *' : ''}
                  </td>
                  <td title={`ours on the venue’s basis: ${signed(g.totals.deltaBsCoin, 3)}`}>{g.totals.venueDeltaCoin === null ? '–' : signed(g.totals.venueDeltaCoin, 3)}</td>
                  <td>{signed(g.totals.greeks.gammaUsdPer1Pct, 0)}</td>
                  <td>{signed(g.totals.greeks.vegaUsd, 0)}</td>
                  <td>{signed(g.totals.greeks.thetaUsd, 0)}</td>
                  <td className={g.totals.pnlUsd < 0 ? 'neg' : 'pos'}>{signed(g.totals.pnlUsd, 0)}</td>
                  <td />
                </tr>
              ) : null}
            </tbody>
          ))}
        </table>
      </div>
    </section>
  );
}
