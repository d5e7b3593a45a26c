import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { priceDecimalsAt, tickAt, type Instrument } from '../../../../shared/domain/instruments.ts';
import { decimalsOf, formatCompact, formatFixed } from '../../../../shared/format/numbers.ts';
import { useMarketStore } from '../../stores/market-store.ts';
import { GROUPINGS, useViewStore, type SizeUnit } from '../../stores/view-store.ts';
import { groupSide, summarise, type BookRow } from './book-rows.ts';
import { recordTickToDom } from './latency-probe.ts';
import { useNow } from '../../app/use-now.ts';

const ROW_HEIGHT = 19;
/** The venue pushes books every ~0.5 s; older than this and the panel says so. */
const BOOK_STALE_MS = 2000;
const CHROME_HEIGHT = 96;

export function OrderBook({ instrument }: { instrument: Instrument }) {
  const book = useMarketStore((s) => s.books[instrument.id]);
  const { grouping, sizeUnit, setGrouping, toggleSizeUnit } = useViewStore();
  const container = useRef<HTMLDivElement>(null);
  const rowsPerSide = useRowsPerSide(container);

  const summary = book ? summarise(book.levels) : null;
  const tick = tickAt(summary?.mid ?? 0, instrument);
  const step = tick * grouping;
  const priceDecimals = Math.max(decimalsOf(step), 0);

  const { bids, asks, maxTotal } = useMemo(() => {
    if (!book) return { bids: [], asks: [], maxTotal: 0 };
    const b = groupSide(book.levels, 'bid', step, rowsPerSide);
    const a = groupSide(book.levels, 'ask', step, rowsPerSide);
    const max = Math.max(b[b.length - 1]?.total ?? 0, a[a.length - 1]?.total ?? 0);
    return { bids: b, asks: a, maxTotal: max };
  }, [book, step, rowsPerSide]);

  const flash = useFlash(bids, asks);
  const now = useNow(500);
  const ageMs = book ? now - book.receivedAt : 0;
  const stale = book !== undefined && ageMs > BOOK_STALE_MS;
  useLayoutEffect(() => {
    if (book) recordTickToDom(book.receivedAt);
  }, [book]);

  return (
    <section className="panel orderbook" aria-label="Order book" ref={container}>
      <header className="panel-header">
        <h2>
          Order book
          {stale ? (
            <span className="stale-tag" role="status" data-testid="book-stale">
              stale {(ageMs / 1000).toFixed(1)} s
            </span>
          ) : null}
        </h2>
        <div className="controls">
          <label className="control">
            <span>Group</span>
            <select aria-label="Price grouping" value={grouping} onChange={(e) => setGrouping(Number(e.target.value))}>
              {GROUPINGS.map((g) => (
                <option key={g} value={g}>
                  {formatFixed(tick * g, decimalsOf(tick * g))}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="toggle" aria-label="Size unit" onClick={toggleSizeUnit} title="Toggle size unit (U)">
            {sizeUnit === 'coin' ? instrument.base : 'USD'}
          </button>
        </div>
      </header>
      <div className="book-columns" role="row">
        <span>Price (USD)</span>
        <span>Size ({sizeUnit === 'coin' ? instrument.base : 'USD'})</span>
        <span>Total ({sizeUnit === 'coin' ? instrument.base : 'USD'})</span>
      </div>
      {!book ? (
        <div className="empty">Waiting for {instrument.symbol} book…</div>
      ) : (
        <div className={stale ? 'book-body stale' : 'book-body'} data-testid="orderbook-body" data-book-time={book.time}>
          <div className="book-side asks" data-testid="asks">
            {[...asks].reverse().map((r) => (
              <Row key={r.price} row={r} side="ask" maxTotal={maxTotal} priceDecimals={priceDecimals} unit={sizeUnit} inst={instrument} flashRef={flash} />
            ))}
          </div>
          <div className="spread-row" data-testid="spread">
            <span className="mid">{summary?.mid != null ? formatFixed(summary.mid, priceDecimalsAt(summary.mid, instrument) + 1) : '–'}</span>
            <span className="muted">
              Spread {summary?.spread != null ? formatFixed(summary.spread, decimalsOf(tick)) : '–'}
              {summary?.spreadBps != null ? ` · ${formatFixed(summary.spreadBps, 2)} bp` : ''}
            </span>
          </div>
          <div className="book-side bids" data-testid="bids">
            {bids.map((r) => (
              <Row key={r.price} row={r} side="bid" maxTotal={maxTotal} priceDecimals={priceDecimals} unit={sizeUnit} inst={instrument} flashRef={flash} />
            ))}
          </div>
        </div>
      )}
    </section>
  );
}

interface RowProps {
  row: BookRow;
  side: 'bid' | 'ask';
  maxTotal: number;
  priceDecimals: number;
  unit: SizeUnit;
  inst: Instrument;
  flashRef: (side: 'bid' | 'ask', price: number, el: HTMLDivElement | null) => void;
}

function Row({ row, side, maxTotal, priceDecimals, unit, inst, flashRef }: RowProps) {
  const depth = maxTotal > 0 ? (row.total / maxTotal) * 100 : 0;
  const size = unit === 'coin' ? formatFixed(row.size, inst.sizeDecimals) : formatCompact(row.size * row.price);
  const total = unit === 'coin' ? formatFixed(row.total, Math.min(inst.sizeDecimals, 3)) : formatCompact(row.total * row.price);
  return (
    <div className={`book-row ${side}`} ref={(el) => flashRef(side, row.price, el)} title={`${row.orders} orders`}>
      <div className="depth" style={{ transform: `scaleX(${depth / 100})` }} />
      <span className="price">{formatFixed(row.price, priceDecimals)}</span>
      <span className="size">{size}</span>
      <span className="total">{total}</span>
    </div>
  );
}

/** Fits as many levels per side as the panel has room for, up to the venue's 20. */
function useRowsPerSide(container: React.RefObject<HTMLDivElement | null>): number {
  const [rows, setRows] = useState(14);
  useLayoutEffect(() => {
    const el = container.current;
    if (!el) return;
    const measure = (): void => {
      const fit = Math.floor((el.clientHeight - CHROME_HEIGHT) / ROW_HEIGHT / 2);
      setRows(Math.max(5, Math.min(20, fit)));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [container]);
  return rows;
}

/**
 * Flashes a level whose size changed: green when it grew, red when it shrank. Uses the Web
 * Animations API on the background only, so nothing reflows.
 */
function useFlash(bids: BookRow[], asks: BookRow[]) {
  const previous = useRef(new Map<string, number>());
  const elements = useRef(new Map<string, HTMLDivElement>());
  useLayoutEffect(() => {
    const seen = new Map<string, number>();
    const first = previous.current.size === 0;
    for (const [side, rows] of [['bid', bids], ['ask', asks]] as const) {
      for (const r of rows) {
        const k = `${side}:${r.price}`;
        seen.set(k, r.size);
        const before = previous.current.get(k);
        if (first || before === undefined || before === r.size) continue;
        const el = elements.current.get(k);
        el?.animate(
          [{ backgroundColor: r.size > before ? 'rgba(46,189,133,0.2)' : 'rgba(246,70,93,0.2)' }, { backgroundColor: 'transparent' }],
          { duration: 400, easing: 'ease-out' },
        );
      }
    }
    previous.current = seen;
  }, [bids, asks]);
  return (side: 'bid' | 'ask', price: number, el: HTMLDivElement | null): void => {
    const k = `${side}:${price}`;
    if (el) elements.current.set(k, el);
    else elements.current.delete(k);
  };
}
