import { useState } from 'react';
import { figureClass, useAlertHighlights } from '../../stores/alerts-store.ts';
import type { CommandResponse } from '../../../../shared/contract/commands.ts';
import { POSITION_SOURCE_LABELS, type AccountSummary, type PortfolioSnapshot } from '../../../../shared/domain/portfolio.ts';
import { formatCompact, formatFixed } from '../../../../shared/format/numbers.ts';
import { call } from '../../bridge/terminal.ts';
import { useOptionsStore } from '../../stores/options-store.ts';
import { expiriesOf, expiryLabel } from '../chain/chain-model.ts';

/** A hypothetical position: it changes the ladder and the payoff, and is never sent anywhere. */
export function WhatIfForm({ underlying, spot }: { underlying: string; spot: number }) {
  const contracts = useOptionsStore((s) => s.contracts);
  const expiries = expiriesOf(contracts, underlying);
  const [type, setType] = useState<'option' | 'perp'>('option');
  const [kind, setKind] = useState<'call' | 'put'>('put');
  const [quantity, setQuantity] = useState('1');
  const [strike, setStrike] = useState('');
  const [expiry, setExpiry] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shownExpiry = expiry !== null && expiries.includes(expiry) ? expiry : (expiries[1] ?? expiries[0] ?? null);
  // With no price for the underlying there is no money to default the strike to: the trader types one.
  const atm = Number.isFinite(spot) && spot > 0 ? Math.round(spot / 1000) * 1000 : null;
  const add = (): void => {
    const q = Number(quantity);
    const k = strike === '' ? (atm ?? NaN) : Number(strike);
    if (type === 'option' && !(k > 0)) {
      setError(atm === null ? `no price for ${underlying}: type a strike` : 'the strike must be a positive number');
      return;
    }
    const request =
      type === 'perp'
        ? call('portfolio.whatIf.add', { type: 'perp', underlying, quantity: q })
        : shownExpiry === null
          ? Promise.reject(new Error('no listed expiry to choose'))
          : call('portfolio.whatIf.add', { type: 'option', underlying, quantity: q, kind, strike: k, expiry: shownExpiry });
    request.then(
      () => setError(null),
      (e: Error) => setError(e.message),
    );
  };
  return (
    <div className="tool what-if-form" aria-label="What-if">
      <h3>What-if <span className="muted">never sent</span></h3>
      <div className="tool-row">
        <select aria-label="What-if type" value={type} onChange={(e) => setType(e.target.value as 'option' | 'perp')}>
          <option value="option">option</option>
          <option value="perp">perp</option>
        </select>
        <input aria-label="What-if quantity" className="num-input" value={quantity} onChange={(e) => setQuantity(e.target.value)} title="Coins; negative = short" />
        {type === 'option' ? (
          <>
            <select aria-label="What-if kind" value={kind} onChange={(e) => setKind(e.target.value as 'call' | 'put')}>
              <option value="call">call</option>
              <option value="put">put</option>
            </select>
            <input aria-label="What-if strike" className="num-input" placeholder={atm === null ? 'strike' : formatFixed(atm, 0)} title="Strike, USD (empty: the nearest 1,000 to spot)" value={strike} onChange={(e) => setStrike(e.target.value)} />
            <select aria-label="What-if expiry" value={shownExpiry ?? ''} onChange={(e) => setExpiry(Number(e.target.value))}>
              {expiries.map((e) => (
                <option key={e} value={e}>
                  {expiryLabel(e)}
                </option>
              ))}
            </select>
          </>
        ) : null}
        <button className="toggle active" onClick={add}>
          Add
        </button>
        <button className="toggle" onClick={() => void call('portfolio.whatIf.remove', { id: null })} title="Remove every what-if">
          Clear
        </button>
      </div>
      {error ? <div className="form-error">{error}</div> : null}
    </div>
  );
}

/** CSV import of positions held elsewhere (columns in docs/positions-csv.md). */
export function ImportPanel() {
  const [result, setResult] = useState<(CommandResponse<'portfolio.import'> & { file: string }) | null>(null);
  const [replace, setReplace] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const onFile = async (file: File): Promise<void> => {
    try {
      const csv = await file.text();
      const r = await call('portfolio.import', { csv, fileName: file.name, replace });
      setResult({ ...r, file: file.name });
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="tool import-panel" aria-label="Import positions">
      <h3>Import CSV <span className="muted">underlying, type, quantity, entry_price, kind, strike, expiry, iv_pct</span></h3>
      <div className="tool-row">
        <input
          type="file"
          accept=".csv,text/csv"
          aria-label="Positions CSV file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void onFile(f);
            e.target.value = '';
          }}
        />
        <label className="control">
          <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} /> replace earlier imports
        </label>
        <button className="toggle" onClick={() => void call('portfolio.removeImported', { id: null })}>
          Remove imported
        </button>
      </div>
      {error ? <div className="form-error">{error}</div> : null}
      {result ? (
        <div className="import-result" role="status">
          <div>
            {result.file}: {result.loaded} position{result.loaded === 1 ? '' : 's'} loaded{result.errors.length ? `, ${result.errors.length} row${result.errors.length === 1 ? '' : 's'} refused` : ''}
          </div>
          {result.errors.length ? (
            <ul className="import-errors">
              {result.errors.slice(0, 20).map((e) => (
                <li key={e.line}>
                  line {e.line}: {e.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/** Maintenance ÷ the equity it is judged against (Hyperliquid: the cross account value); null where it does not apply. */
function marginRatio(a: AccountSummary): number | null {
  if (a.source === 'aave') return null;
  const equity = a.marginEquityUsd ?? a.equityUsd;
  if (a.maintenanceUsd === null || equity === null || !(equity > 0)) return null;
  return a.maintenanceUsd / equity;
}

/** "MM 12.3 %", amber from 50 %, red from 80 %; nothing where no ratio applies. */
function MarginRatioCell({ a }: { a: AccountSummary }) {
  const r = marginRatio(a);
  return (
    <td title="Margin ratio: maintenance margin ÷ the equity it is judged against; the venue liquidates at 100 %" className={r === null ? undefined : r >= 0.8 ? 'neg' : r >= 0.5 ? 'warn' : undefined}>
      {r === null ? '' : `MM ${formatFixed(r * 100, 1)} %`}
    </td>
  );
}

/** " · 1.4912 BTC": a Deribit account's equity in its own coin (the account is one currency's). */
function coinEquity(a: AccountSummary, snapshot: PortfolioSnapshot): string {
  if (a.source !== 'deribit' || a.equityUsd === null) return '';
  const coin = snapshot.totals.find((t) => a.account.endsWith(t.underlying));
  return coin && coin.spot > 0 ? ` · ${formatFixed(a.equityUsd / coin.spot, 4)} ${coin.underlying}` : '';
}

/** Watched accounts with their equity and margin, and the addresses to watch. */
export function AccountsPanel({ snapshot }: { snapshot: PortfolioSnapshot }) {
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const highlights = useAlertHighlights();
  const watched = snapshot.accounts.filter((a) => a.source === 'hyperliquid').map((a) => a.account);
  const save = (): void => {
    const addresses = (text ?? '').split(/[\s,]+/).filter(Boolean);
    call('portfolio.accounts', { hyperliquidAddresses: addresses }).then(
      () => {
        setText(null);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  };
  return (
    <div className="tool accounts" aria-label="Accounts">
      <h3>Accounts</h3>
      <table className="accounts-table">
        <tbody>
          {snapshot.accounts.map((a) => (
            <tr key={`${a.source}:${a.account}`} className={`${a.error ? 'problem' : ''}${figureClass(`account:${a.source}:${a.account}`, highlights)}`} data-figure={`account:${a.source}:${a.account}`}>
              <td>{POSITION_SOURCE_LABELS[a.source]}</td>
              <td className="addr" title={a.account}>
                {a.account.length > 16 ? `${a.account.slice(0, 8)}…${a.account.slice(-4)}` : a.account}
              </td>
              <td title="Equity / account value, USD, and in the account's coin where it is coin-margined">
                {a.equityUsd === null ? '–' : `$${formatCompact(a.equityUsd)}`}
                {coinEquity(a, snapshot)}
              </td>
              {a.source === 'aave' ? (
                <td title="Debt, USD · health factor (liquidation below 1.00)" className={a.healthFactor !== null && a.healthFactor !== undefined && a.healthFactor < 1.25 ? 'warn' : undefined}>
                  debt {a.marginUsedUsd === null ? '–' : `$${formatCompact(a.marginUsedUsd)}`} · HF {a.healthFactor === null || a.healthFactor === undefined ? '∞' : formatFixed(a.healthFactor, 3)}
                </td>
              ) : (
                <td title={a.model ? `Margin used / maintenance, USD: the venue's, then DeltaDesk's standard margin of the book and the price where maintenance would reach equity` : 'Margin used / maintenance, USD'}>
                  {a.marginUsedUsd === null ? '–' : `$${formatCompact(a.marginUsedUsd)}`} / {a.maintenanceUsd === null ? '–' : `$${formatCompact(a.maintenanceUsd)}`}
                  {a.model ? (
                    <span className="muted account-model">
                      ours ${formatCompact(a.model.initialUsd)} / ${formatCompact(a.model.maintenanceUsd)} · liq {a.model.liquidationBelow !== null ? `↓ ${formatFixed(a.model.liquidationBelow, 0)}` : ''}
                      {a.model.liquidationBelow !== null && a.model.liquidationAbove !== null ? ' ' : ''}
                      {a.model.liquidationAbove !== null ? `↑ ${formatFixed(a.model.liquidationAbove, 0)}` : ''}
                      {a.model.liquidationBelow === null && a.model.liquidationAbove === null ? 'none in −90 %…+300 %' : ''}
                    </span>
                  ) : null}
                </td>
              )}
              <MarginRatioCell a={a} />
              <td className="muted">{a.error ?? `read ${new Date(a.updatedAt).toISOString().slice(11, 19)} UTC`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="tool-row">
        <input
          aria-label="Hyperliquid addresses"
          className="addr-input"
          placeholder="Hyperliquid addresses to watch (master or sub-account)"
          value={text ?? watched.join(' ')}
          onChange={(e) => setText(e.target.value)}
        />
        <button className="toggle active" onClick={save} disabled={text === null}>
          Watch
        </button>
      </div>
      {error ? <div className="form-error">{error}</div> : null}
      <div className="muted small">{snapshot.settingsFile ? `Saved in ${snapshot.settingsFile}` : 'Settings are kept for this session only'}</div>
    </div>
  );
}
