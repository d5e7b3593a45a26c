import { priceDecimalsAt, type Instrument } from '../../../../shared/domain/instruments.ts';
import { formatFixed } from '../../../../shared/format/numbers.ts';
import { useMarketStore } from '../../stores/market-store.ts';
import { useViewStore } from '../../stores/view-store.ts';

const EMPTY: never[] = [];

/** Latest public trades, newest on top, coloured by aggressor side; sizes in coin or USD as the book's (U). */
export function TradeTape({ instrument }: { instrument: Instrument }) {
  const trades = useMarketStore((s) => s.trades[instrument.id] ?? EMPTY);
  const usd = useViewStore((s) => s.sizeUnit) === 'usd';
  return (
    <section className="panel trades" aria-label="Trades">
      <header className="panel-header">
        <h2>Trades</h2>
      </header>
      <div className="trade-columns">
        <span>Price</span>
        <span>Size ({usd ? 'USD' : instrument.base})</span>
        <span>Time</span>
      </div>
      <div className="trade-list" data-testid="trades" data-rows-fit>
        {trades.length === 0 ? <div className="empty">No trades yet</div> : null}
        {trades.map((t) => (
          <div key={t.id} className={`trade-row ${t.side}`}>
            <span className="price">{formatFixed(t.price, priceDecimalsAt(t.price, instrument))}</span>
            <span className="size">{usd ? formatFixed(t.size * t.price, 0) : formatFixed(t.size, instrument.sizeDecimals)}</span>
            <span className="time">{new Date(t.time).toISOString().slice(11, 19)}</span>
          </div>
        ))}
      </div>
    </section>
  );
}
