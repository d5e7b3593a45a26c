import { useKeyHint } from '../../hotkeys/key-hint.ts';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { call } from '../../bridge/terminal.ts';
import { priceDecimalsAt, tickAt, type Instrument } from '../../../../shared/domain/instruments.ts';
import { decimalsOf, formatCompact, formatFixed, formatSigned, formatUsd } from '../../../../shared/format/numbers.ts';
import { useMarketStore } from '../../stores/market-store.ts';
import { GROUPINGS, useViewStore, type SizeUnit } from '../../stores/view-store.ts';
import { groupSide, summarise, type BookRow } from './book-rows.ts';
import { recordTickToDom } from './latency-probe.ts';
import { useNow } from '../../app/use-now.ts';
import { projectPerp, type Projection } from '../../../../shared/domain/ticket.ts';
import { useOrdersStore } from '../../stores/orders-store.ts';
import { TERMINAL, type OrderRow } from '../../../../shared/domain/orders.ts';
import { usePortfolioStore } from '../../stores/portfolio-store.ts';
import { useTicketStore } from '../../stores/ticket-store.ts';
import { perpContext } from '../../../../shared/domain/perp-context.ts';

const ROW_HEIGHT = 19;
/** The venue pushes books every ~0.5 s; older than this and the panel says so. */
const BOOK_STALE_MS = 2000;
/** How often a grouping the venue should serve, and does not, is asked for again. */
const REGROUP_ASK_MS = 5000;
const CHROME_HEIGHT = 96;
/** The per-level projection's height (two lines). */
const PROJECTION_HEIGHT = 40;

export function OrderBook({ instrument }: { instrument: Instrument }) {
  const unitKey = useKeyHint('market.toggleUnit');
  const book = useMarketStore((s) => s.books[instrument.id]);
  const { grouping, sizeUnit, setGrouping, toggleSizeUnit } = useViewStore();
  const container = useRef<HTMLDivElement>(null);
  const rowsPerSide = useRowsPerSide(container);

  const summary = book ? summarise(book.levels) : null;
  const tick = tickAt(summary?.mid ?? 0, instrument);
  const step = tick * grouping;
  const priceDecimals = Math.max(decimalsOf(step), 0);

  // Coarser than the tick, the venue groups the book itself (20 levels at the step, so depth grows
  // with it); the screen groups the raw levels only until that book arrives or where it offers none.
  const askedAt = useRef(0);
  useEffect(() => {
    askedAt.current = Date.now();
    void call('market.groupBook', { instrumentId: instrument.id, step }).catch(() => undefined);
  }, [instrument.id, step]);
  useEffect(() => () => void call('market.groupBook', { instrumentId: null, step: 1 }).catch(() => undefined), []);
  const grouped = useMarketStore((s) => s.groupedBook);
  const now = useNow(500);
  const venueGrouped = grouped !== null && grouped.instrumentId === instrument.id && Math.abs(grouped.step - step) <= step * 1e-9 && now - grouped.receivedAt <= BOOK_STALE_MS;
  // Asked again while a grouping coarser than the tick shows no venue book: an engine that
  // restarted forgot the request, and one asked before it knew the price could not serve it.
  // The same request again changes nothing where it is being served.
  useEffect(() => {
    if (venueGrouped || !(grouping > 1) || Date.now() - askedAt.current < REGROUP_ASK_MS) return;
    askedAt.current = Date.now();
    void call('market.groupBook', { instrumentId: instrument.id, step }).catch(() => undefined);
  }, [now, venueGrouped, grouping, instrument.id, step]);
  const levels = venueGrouped ? grouped.levels : book?.levels;

  const { bids, asks, maxTotal } = useMemo(() => {
    if (!levels) return { bids: [], asks: [], maxTotal: 0 };
    const b = groupSide(levels, 'bid', step, rowsPerSide);
    const a = groupSide(levels, 'ask', step, rowsPerSide);
    const max = Math.max(b[b.length - 1]?.total ?? 0, a[a.length - 1]?.total ?? 0);
    return { bids: b, asks: a, maxTotal: max };
  }, [levels, step, rowsPerSide]);

  const flash = useFlash(bids, asks);
  const [hover, setHover] = useState<{ side: 'bid' | 'ask'; index: number; top: number } | null>(null);
  const snapshot = usePortfolioStore((s) => s.snapshot);
  const account = useOrdersStore((s) => s.snapshot.gates.find((g) => g.venue === 'hyperliquid')?.account ?? null);
  const projection = useMemo(() => {
    if (!hover) return null;
    const ctx = perpContext(snapshot, instrument, account, summary?.mid ?? null);
    return typeof ctx === 'string' ? ctx : projectToLevel(ctx, hover.side === 'ask' ? asks : bids, hover.index, hover.side === 'ask' ? 'buy' : 'sell', summary?.mid ?? null);
  }, [hover, snapshot, account, instrument, asks, bids, summary?.mid]);
  const orders = useOrdersStore((s) => s.snapshot.orders);
  const mine = useMemo(() => ownAtLevels(orders, instrument, step), [orders, instrument, step]);
  const pick = (row: BookRow, side: 'bid' | 'ask'): void => useTicketStore.getState().pickLevel(row.price.toFixed(priceDecimals), side);
  const onRow = (side: 'bid' | 'ask', index: number, el: HTMLDivElement): void => {
    if (hover?.side === side && hover.index === index) return;
    // The row's top within the panel, where the projection is drawn beside it.
    setHover({ side, index, top: el.getBoundingClientRect().top - (container.current?.getBoundingClientRect().top ?? 0) });
  };
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
            <select aria-label="Price grouping" title={grouping === 1 ? 'Every level the venue sends' : venueGrouped ? 'Grouped by the venue: its 20 levels a side at this step' : 'Grouped on screen from the venue’s finest levels (its grouped book is not in yet)'} value={grouping} onChange={(e) => setGrouping(Number(e.target.value))}>
              {GROUPINGS.map((g) => (
                <option key={g} value={g}>
                  {formatFixed(tick * g, decimalsOf(tick * g))}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="toggle" aria-label="Size unit" onClick={toggleSizeUnit} title={`Toggle size unit${unitKey}`}>
            {sizeUnit === 'coin' ? instrument.base : 'USD'}
          </button>
        </div>
      </header>
      <div className="book-columns">
        <span>Price (USD)</span>
        <span>Size ({sizeUnit === 'coin' ? instrument.base : 'USD'})</span>
        <span>Total ({sizeUnit === 'coin' ? instrument.base : 'USD'})</span>
      </div>
      {!book ? (
        <div className="empty">Waiting for {instrument.symbol} book…</div>
      ) : (
        <div className={stale ? 'book-body stale' : 'book-body'} data-testid="orderbook-body" data-book-time={book.time} data-grouped-by={venueGrouped ? 'venue' : 'screen'} onMouseLeave={() => setHover(null)}>
          <div className="book-side asks" data-testid="asks">
            {[...asks].reverse().map((r, i) => {
              const index = asks.length - 1 - i;
              return <Row key={r.price} row={r} side="ask" maxTotal={maxTotal} priceDecimals={priceDecimals} unit={sizeUnit} inst={instrument} flashRef={flash} inRange={hover?.side === 'ask' && index <= hover.index} mine={mine.get(`ask:${r.price}`)} onPick={pick} onHover={(el) => onRow('ask', index, el)} />;
            })}
          </div>
          <div className="spread-row" data-testid="spread">
            <span className="mid">{summary?.mid != null ? formatFixed(summary.mid, priceDecimalsAt(summary.mid, instrument) + 1) : '–'}</span>
            <span className="muted">
              Spread {summary?.spread != null ? formatFixed(summary.spread, decimalsOf(tick)) : '–'}
              {summary?.spreadBps != null ? ` · ${formatFixed(summary.spreadBps, 2)} bp` : ''}
            </span>
          </div>
          <div className="book-side bids" data-testid="bids">
            {bids.map((r, index) => (
              <Row key={r.price} row={r} side="bid" maxTotal={maxTotal} priceDecimals={priceDecimals} unit={sizeUnit} inst={instrument} flashRef={flash} inRange={hover?.side === 'bid' && index <= hover.index} mine={mine.get(`bid:${r.price}`)} onPick={pick} onHover={(el) => onRow('bid', index, el)} />
            ))}
          </div>
        </div>
      )}
      {hover && projection ? <LevelProjection at={hover} projection={projection} inst={instrument} priceDecimals={priceDecimals} /> : null}
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
  /** Between the touch and the level under the pointer: what an order filled up to there takes. */
  inRange: boolean;
  /** Our own orders working at this level (coins), if any. */
  mine: number | undefined;
  onPick: (row: BookRow, side: 'bid' | 'ask') => void;
  onHover: (el: HTMLDivElement) => void;
}

function Row({ row, side, maxTotal, priceDecimals, unit, inst, flashRef, inRange, mine, onPick, onHover }: RowProps) {
  const depth = maxTotal > 0 ? (row.total / maxTotal) * 100 : 0;
  const size = unit === 'coin' ? formatFixed(row.size, inst.sizeDecimals) : formatCompact(row.size * row.price);
  const total = unit === 'coin' ? formatFixed(row.total, Math.min(inst.sizeDecimals, 3)) : formatCompact(row.total * row.price);
  return (
    <div
      className={`book-row ${side}${inRange ? ' in-range' : ''}${mine ? ' mine' : ''}`}
      ref={(el) => flashRef(side, row.price, el)}
      title={`${row.orders} orders${mine ? ` · ours: ${formatFixed(mine, inst.sizeDecimals)} ${inst.base}` : ''} · click: ${side === 'ask' ? 'buy' : 'sell'} at this price`}
      data-mine={mine ?? undefined}
      onClick={() => onPick(row, side)}
      onMouseEnter={(e) => onHover(e.currentTarget)}
    >
      <div className="depth" style={{ transform: `scaleX(${depth / 100})` }} />
      <span className="price">{formatFixed(row.price, priceDecimals)}</span>
      <span className="size">{size}</span>
      <span className="total">{total}</span>
    </div>
  );
}

/**
 * Our working orders on this market, by the book row they sit in (bids round down and asks up to
 * the grouping step, as the rows do): a buy rests on the bid side, a sell on the ask side.
 */
export function ownAtLevels(orders: readonly OrderRow[], inst: Instrument, step: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of orders) {
    if (o.venue !== inst.venue || o.instrument !== inst.venueSymbol || TERMINAL.has(o.state) || o.state === 'created') continue;
    const side = o.side === 'buy' ? 'bid' : 'ask';
    const key = side === 'bid' ? Math.floor(o.price / step + 1e-9) : Math.ceil(o.price / step - 1e-9);
    const k = `${side}:${key * step}`;
    out.set(k, (out.get(k) ?? 0) + Math.max(0, o.size - o.filled));
  }
  return out;
}

/** An order that takes every level from the touch to `index` (grouped rows: each at its bucket's worst price). */
export function projectToLevel(ctx: Parameters<typeof projectPerp>[0], rows: readonly BookRow[], index: number, side: 'buy' | 'sell', mid: number | null): Projection | null {
  let size = 0;
  let cost = 0;
  for (let i = 0; i <= index && i < rows.length; i++) {
    size += rows[i]!.size;
    cost += rows[i]!.size * rows[i]!.price;
  }
  return size > 0 ? projectPerp(ctx, side, size, cost / size, true, mid) : null;
}

/** What an order filled up to the level under the pointer does to the book: shown beside that level. */
function LevelProjection({ at, projection, inst, priceDecimals }: { at: { side: 'bid' | 'ask'; top: number }; projection: Projection | string | null; inst: Instrument; priceDecimals: number }) {
  // Drawn on the far side of the level from the spread: it covers deeper levels, never the touch,
  // the spread or the levels the order would take.
  const style = { top: at.side === 'ask' ? Math.max(0, at.top - PROJECTION_HEIGHT - 2) : at.top + ROW_HEIGHT + 2 };
  if (projection === null) return null;
  if (typeof projection === 'string')
    return (
      <div className="level-projection" style={style} role="status">
        {projection}
      </div>
    );
  const p = projection;
  return (
    <div className={`level-projection ${p.side}`} style={style} role="status" data-testid="level-projection">
      <div>
        {p.side === 'buy' ? 'Buy' : 'Sell'} {formatFixed(p.size, Math.min(inst.sizeDecimals, 4))} {inst.base} · avg {formatFixed(p.avgPrice, priceDecimals + 1)}
        {p.slippageBps !== null ? ` · ${formatFixed(p.slippageBps, 1)} bp` : ''} · {formatUsd(p.notionalUsd)}
      </div>
      <div>
        Δ {p.deltaAfter === null ? 'no price' : formatSigned(p.deltaAfter, 3)} · margin {formatUsd(p.marginAfterUsd)} · liq{' '}
        {p.liqAfter === null ? 'none' : `${formatFixed(p.liqAfter, Math.max(0, priceDecimals))} (${formatSigned(p.liqDistancePct! * 100, 1)}%)`}
      </div>
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
