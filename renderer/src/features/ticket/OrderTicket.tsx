import { useEffect } from 'react';
import { priceDecimalsAt, tickAt, type Instrument } from '../../../../shared/domain/instruments.ts';
import { projectPerp, walkBook, type Projection } from '../../../../shared/domain/ticket.ts';
import { formatFixed, formatSigned, formatSize, formatUsd } from '../../../../shared/format/numbers.ts';
import { useMarketStore } from '../../stores/market-store.ts';
import { useOrdersStore } from '../../stores/orders-store.ts';
import { usePortfolioStore } from '../../stores/portfolio-store.ts';
import { useTicketStore, type TicketOrder } from '../../stores/ticket-store.ts';
import { summarise } from '../orderbook/book-rows.ts';
import { perpContext } from '../../../../shared/domain/perp-context.ts';
import { unpackSide } from '../../../../shared/stream/packed-book.ts';
import { SideSwitch, TicketFlags, TicketForm } from './ticket-parts.tsx';
import { DeribitPerpTicket } from './DeribitPerpTicket.tsx';
import { isDeribitPerpCoin } from './deribit-perp-math.ts';
import { VENUE_LABELS } from '../../../../shared/domain/venues.ts';

/** What the ticket would send, or why it cannot, from what is typed. */
export interface TicketDraft {
  order: TicketOrder | null;
  problem: string | null;
  /** Coins, after the USD conversion and the size step. */
  size: number;
  price: number;
}

/** Parses the ticket's fields against the market's rules (size step, price tick). */
export function draftOf(inst: Instrument, t: { side: 'buy' | 'sell'; sizeText: string; sizeUnit: 'coin' | 'usd'; priceText: string; tif: 'Gtc' | 'Ioc'; postOnly: boolean; reduceOnly: boolean }): TicketDraft {
  const price = Number(t.priceText);
  const raw = Number(t.sizeText);
  const none = { order: null, size: 0, price };
  if (!t.priceText.trim() || !(price > 0)) return { ...none, problem: 'enter a limit price (or click a level in the book)' };
  const decimals = priceDecimalsAt(price, inst);
  if (Math.abs(Number(price.toFixed(decimals)) - price) > 1e-9) return { ...none, problem: `the price must be on the tick (${formatFixed(tickAt(price, inst), decimals)} here)` };
  if (!t.sizeText.trim() || !(raw > 0)) return { ...none, problem: 'enter a size' };
  const step = 10 ** -inst.sizeDecimals;
  const coins = Math.floor((t.sizeUnit === 'coin' ? raw : raw / price) / step + 1e-9) * step;
  const size = Number(coins.toFixed(inst.sizeDecimals));
  if (!(size > 0)) return { ...none, problem: `the size is under the smallest step (${step} ${inst.base})` };
  const tif = t.postOnly ? 'Alo' : t.tif;
  return { order: { venue: 'hyperliquid', instrument: inst.base, side: t.side, size, limit: price, tif, reduceOnly: t.reduceOnly }, problem: null, size, price };
}

const usd = formatUsd;
const pct = (f: number): string => `${formatSigned(f * 100, 1)}%`;
const signed = (n: number, d: number): string => (formatSigned(n, d).includes('.') ? formatSigned(n, d).replace(/\.?0+$/, '') : formatSigned(n, d));

/**
 * The order ticket (issue "Orders, part 2", item 3): side, size in coin or USD, limit, time in
 * force, post-only, reduce-only; before anything is sent it shows the notional, the fee, what the
 * live book fills and at what slippage, and the position, book delta, margin and liquidation
 * price after a full fill. Send is two steps: review arms the exact order, confirm sends it once.
 */
export function OrderTicket({ instrument }: { instrument: Instrument }) {
  const t = useTicketStore();
  const book = useMarketStore((s) => s.books[instrument.id]);
  const snapshot = usePortfolioStore((s) => s.snapshot);
  const gate = useOrdersStore((s) => s.snapshot.gates.find((g) => g.venue === 'hyperliquid'));
  const summary = book ? summarise(book.levels) : null;
  const draft = draftOf(instrument, t);
  const ctx = perpContext(snapshot, instrument, gate?.account ?? null, summary?.mid ?? null);
  const walk = book && draft.order ? walkBook(unpackSide(book.levels, draft.order.side === 'buy' ? 'ask' : 'bid'), draft.order.side, draft.size, draft.price) : null;
  const takes = walk !== null && walk.filled > 0;
  const postOnlyTakes = t.postOnly && takes;
  const projection: Projection | null =
    draft.order && walk && typeof ctx !== 'string' ? projectPerp(ctx, draft.order.side, draft.size, ((walk.avgPrice ?? 0) * walk.filled + draft.price * walk.unfilled) / draft.size, t.postOnly ? 0 : walk.filled / draft.size, summary?.mid ?? null) : null;
  useEffect(() => {
    // A symbol or venue switch disarms and clears the price: both were for another market.
    useTicketStore.getState().resetFor(`${t.perpVenue}:${instrument.id}`);
  }, [instrument.id, t.perpVenue]);
  const blocked = !draft.order ? draft.problem : postOnlyTakes ? 'post-only would take liquidity and be refused: move the price away from the touch' : gate && !gate.ready ? `Hyperliquid takes no orders now: ${gate.reason}` : null;
  const pd = priceDecimalsAt(draft.price || summary?.mid || 1, instrument);
  const deribit = t.perpVenue === 'deribit' && isDeribitPerpCoin(instrument.base);
  return (
    <section className={`panel ticket ${t.side}`} aria-label="Order ticket">
      <header className="panel-header">
        <h2>Order · {deribit ? `${instrument.base}-PERPETUAL` : instrument.symbol}</h2>
        <SideSwitch />
      </header>
      {isDeribitPerpCoin(instrument.base) ? (
        <div className="controls ticket-venue" role="radiogroup" aria-label="Venue">
          {(['hyperliquid', 'deribit'] as const).map((v) => (
            <button key={v} role="radio" aria-checked={t.perpVenue === v} className={`toggle${t.perpVenue === v ? ' active' : ''}`} onClick={() => t.set({ perpVenue: v })}>
              {VENUE_LABELS[v]}
            </button>
          ))}
        </div>
      ) : null}
      {deribit && isDeribitPerpCoin(instrument.base) ? (
        <DeribitPerpTicket instrument={instrument} coin={instrument.base} />
      ) : (
      <TicketForm order={draft.order} blocked={blocked} describe={(o) => `${o.side} ${o.size} ${instrument.base} @ ${formatFixed(o.limit, pd)}`}>
        <label className="ticket-field">
          <span>Size</span>
          <input inputMode="decimal" aria-label="Size" value={t.sizeText} onChange={(e) => t.set({ sizeText: e.target.value })} placeholder="0" />
          <button type="button" className="toggle" aria-label="Size unit" onClick={() => t.set({ sizeUnit: t.sizeUnit === 'coin' ? 'usd' : 'coin' })}>
            {t.sizeUnit === 'coin' ? instrument.base : 'USD'}
          </button>
        </label>
        <label className="ticket-field">
          <span>Limit</span>
          <input inputMode="decimal" aria-label="Limit price" value={t.priceText} onChange={(e) => t.set({ priceText: e.target.value })} placeholder={summary?.mid ? formatFixed(summary.mid, pd) : 'USD'} />
          <span className="muted unit">USD</span>
        </label>
        <TicketFlags />
        <dl className="ticket-figures" aria-label="What this order does">
          <dt>Notional</dt>
          <dd>{draft.order ? usd(draft.size * draft.price) : '–'}</dd>
          <dt title="Base-tier rates: taker 0.045 %, maker 0.015 %">Fee (est.)</dt>
          <dd>{projection ? `${usd(projection.feeUsd)} ${t.postOnly || !takes ? 'maker' : walk.unfilled > 0 ? 'taker + maker' : 'taker'}` : '–'}</dd>
          <dt>Fills now</dt>
          <dd>
            {walk && draft.order
              ? t.postOnly
                ? 'none (post-only rests)'
                : takes
                  ? `${formatSize(walk.filled, instrument.sizeDecimals)} @ ${formatFixed(walk.avgPrice!, pd + 1)}${summary?.mid && walk.avgPrice ? ` · ${formatFixed(((draft.order.side === 'buy' ? walk.avgPrice - summary.mid : summary.mid - walk.avgPrice) / summary.mid) * 1e4, 1)} bp` : ''}${walk.unfilled > 0 ? ` · rests ${formatSize(walk.unfilled, instrument.sizeDecimals)}` : ''}`
                  : 'none: rests at the limit'
              : '–'}
          </dd>
          <dt>Position after</dt>
          <dd>{projection ? `${signed(projection.positionAfter, instrument.sizeDecimals)} ${instrument.base}` : '–'}</dd>
          <dt title="The whole book's delta in this coin (options included), after a full fill">Book Δ after</dt>
          <dd>{projection ? (projection.deltaAfter === null ? 'no price' : `${signed(projection.deltaAfter, 3)} ${instrument.base}`) : '–'}</dd>
          <dt title="Initial margin of the position after a full fill">Margin after</dt>
          <dd>{projection ? usd(projection.marginAfterUsd) : '–'}</dd>
          <dt>Liq. after</dt>
          <dd className={projection?.liqDistancePct != null && Math.abs(projection.liqDistancePct) < 0.1 ? 'warn' : ''}>
            {projection ? (projection.liqAfter === null ? 'none' : `${formatFixed(projection.liqAfter, Math.max(0, pd))} (${pct(projection.liqDistancePct!)})`) : typeof ctx === 'string' ? ctx : '–'}
          </dd>
        </dl>
      </TicketForm>
      )}
    </section>
  );
}
