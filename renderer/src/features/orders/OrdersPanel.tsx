import { useState } from 'react';
import { priceDecimalsAt, type Instrument } from '../../../../shared/domain/instruments.ts';
import type { FillRow, OrderRow } from '../../../../shared/domain/orders.ts';
import { VENUE_LABELS } from '../../../../shared/domain/venues.ts';
import { formatCompact, formatFixed } from '../../../../shared/format/numbers.ts';
import { useMarketStore } from '../../stores/market-store.ts';
import { liveOrders, useOrdersStore } from '../../stores/orders-store.ts';
import { useKeymapStore } from '../../hotkeys/keymap-store.ts';

const STATE_WORDS: Record<OrderRow['state'], string> = {
  created: 'created',
  submitted: 'sent',
  accepted: 'open',
  'partially-filled': 'part filled',
  filled: 'filled',
  cancelled: 'cancelled',
  rejected: 'rejected',
  expired: 'expired',
};

const time = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

/** Price decimals of the coin's perp on its venue, else five significant figures (Hyperliquid's rule). */
function pricer(instruments: Instrument[]): (coin: string, px: number) => string {
  return (coin, px) => {
    const inst = instruments.find((i) => i.base === coin);
    return formatFixed(px, inst ? priceDecimalsAt(px, inst) : Math.max(0, 4 - Math.floor(Math.log10(Math.abs(px) || 1))));
  };
}

/**
 * Open orders and fills (issue "Orders, part 1", item 8): what is working at the venues, what
 * filled, and whether each venue takes orders now. The keyboard selects an order and cancels it;
 * cancel-all is armed by its first press and carried out by the second.
 */
export function OrdersPanel({ compact = false }: { compact?: boolean }) {
  const snapshot = useOrdersStore((s) => s.snapshot);
  const selected = useOrdersStore((s) => s.selected);
  const notice = useOrdersStore((s) => s.notice);
  const armedUntil = useOrdersStore((s) => s.cancelAllArmedUntil);
  const instruments = useMarketStore((s) => s.instruments);
  const keysOf = useKeymapStore((s) => s.resolved.keysOf);
  const [tab, setTab] = useState<'open' | 'fills' | 'done'>('open');
  const px = pricer(instruments);
  const live = liveOrders(snapshot);
  const done = snapshot.orders.filter((o) => !live.includes(o));
  const closed = snapshot.gates.filter((g) => !g.ready);
  const key = (id: string): string => (keysOf.get(id as never) ?? []).map((k) => k.replace('Shift+', '⇧')).join('/');
  const armed = armedUntil > Date.now();
  const { cancel, cancelAll, select } = useOrdersStore.getState();
  return (
    <section className={`panel orders${compact ? ' compact' : ''}`} aria-label="Orders">
      <header className="panel-header">
        <div className="controls">
          <h2>Orders</h2>
          <div className="controls" role="tablist" aria-label="Orders view">
          <button role="tab" aria-selected={tab === 'open'} className={`toggle${tab === 'open' ? ' active' : ''}`} onClick={() => setTab('open')}>
            Open {live.length}
          </button>
          <button role="tab" aria-selected={tab === 'fills'} className={`toggle${tab === 'fills' ? ' active' : ''}`} onClick={() => setTab('fills')}>
            Fills {snapshot.fills.length}
          </button>
          <button role="tab" aria-selected={tab === 'done'} className={`toggle${tab === 'done' ? ' active' : ''}`} onClick={() => setTab('done')}>
            Done {done.length}
          </button>
          </div>
        </div>
        <div className="controls">
          {notice ? (
            <span className={`order-notice ${notice.tone}`} role="status">
              {notice.text}
            </span>
          ) : null}
          <button className={`toggle danger${armed ? ' armed' : ''}`} disabled={!live.length && !armed} onClick={() => void cancelAll()} title={`Cancel every open order on every venue (${key('orders.cancelAll')}, twice)`}>
            {armed ? `Confirm: cancel ${live.length}` : 'Cancel all'}
          </button>
        </div>
      </header>
      {closed.map((g) => (
        <div key={g.venue} className="gate-closed" role="status">
          {VENUE_LABELS[g.venue]}: no new orders — {g.reason}
        </div>
      ))}
      <div className="orders-scroll">
        {tab === 'fills' ? (
          <FillsTable fills={snapshot.fills} px={px} />
        ) : (
          <table className="orders-table">
            <thead>
              <tr>
                <th className="left">Venue</th>
                <th className="left">Coin</th>
                <th className="left">Side</th>
                <th title="Coins">Size</th>
                <th title="Coins filled">Filled</th>
                <th title="Limit, USD (a market order: its slippage cap)">Price</th>
                <th title="Average fill price, USD">Avg fill</th>
                <th className="left">Type</th>
                <th className="left">State</th>
                <th title="UTC">Updated</th>
                <th className="left">Note</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {(tab === 'open' ? live : done).map((o) => (
                <tr key={o.intentId} className={`${o.side}${o.intentId === selected && tab === 'open' ? ' selected' : ''}`} onClick={() => select(o.intentId)} aria-selected={o.intentId === selected}>
                  <td className="left">{VENUE_LABELS[o.venue]}</td>
                  <td className="left">{o.instrument}</td>
                  <td className={`left side ${o.side}`}>{o.side === 'buy' ? 'Buy' : 'Sell'}</td>
                  <td>{o.size}</td>
                  <td>{o.filled ? formatFixed(o.filled, 6).replace(/\.?0+$/, '') : '–'}</td>
                  <td>{px(o.instrument, o.price)}</td>
                  <td>{o.filled ? px(o.instrument, o.avgPrice) : '–'}</td>
                  <td className="left">
                    {o.tif}
                    {o.reduceOnly ? ' RO' : ''}
                    {o.purpose !== 'manual' ? ` · ${o.purpose}` : ''}
                  </td>
                  <td className={`left state ${o.state}`}>{STATE_WORDS[o.state]}</td>
                  <td>{time(o.updatedAt)}</td>
                  <td className="left note" title={o.reason ?? ''}>
                    {o.reason ?? ''}
                  </td>
                  <td>
                    {tab === 'open' ? (
                      <button className="toggle" onClick={() => void cancel(o.intentId)} title={`Cancel this order (${key('orders.cancelSelected')} when selected)`}>
                        Cancel
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {tab === 'open' && !live.length ? <div className="empty">No open orders. {key('orders.next')} selects an order, {key('orders.cancelSelected')} cancels it.</div> : null}
        {tab === 'done' && !done.length ? <div className="empty">No finished orders in this session.</div> : null}
      </div>
    </section>
  );
}

function FillsTable({ fills, px }: { fills: FillRow[]; px: (coin: string, p: number) => string }) {
  if (!fills.length) return <div className="empty">No fills yet.</div>;
  return (
    <table className="orders-table">
      <thead>
        <tr>
          <th title="UTC">Time</th>
          <th className="left">Venue</th>
          <th className="left">Coin</th>
          <th className="left">Side</th>
          <th title="Coins">Size</th>
          <th title="USD per coin">Price</th>
          <th title="USD">Notional</th>
          <th className="left">Fill id</th>
        </tr>
      </thead>
      <tbody>
        {fills.map((f) => (
          <tr key={`${f.venue}:${f.fillId}`}>
            <td>{time(f.at)}</td>
            <td className="left">{VENUE_LABELS[f.venue]}</td>
            <td className="left">{f.instrument}</td>
            <td className={`left side ${f.side}`}>{f.side === 'buy' ? 'Buy' : 'Sell'}</td>
            <td>{f.size}</td>
            <td>{px(f.instrument, f.price)}</td>
            <td>{formatCompact(f.size * f.price)}</td>
            <td className="left muted">{f.fillId}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
