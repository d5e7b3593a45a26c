import type { Instrument } from '../../../../shared/domain/instruments.ts';
import { walkBook } from '../../../../shared/domain/ticket.ts';
import { VENUE_FEES } from '../../../../shared/domain/venues.ts';
import { formatFixed, formatSigned, formatSize, formatUsd } from '../../../../shared/format/numbers.ts';
import { useMarketStore } from '../../stores/market-store.ts';
import { useOrdersStore } from '../../stores/orders-store.ts';
import { usePortfolioStore } from '../../stores/portfolio-store.ts';
import { useTicketStore } from '../../stores/ticket-store.ts';
import { summarise } from '../orderbook/book-rows.ts';
import { deribitPerpDraft, deribitPerpMarginCoin } from './deribit-perp-math.ts';
import { unpackSide } from '../../../../shared/stream/packed-book.ts';
import { TicketFlags, TicketForm } from './ticket-parts.tsx';

/**
 * The Perps ticket with Deribit as the venue: the coin's inverse perpetual, sized in USD
 * contracts, walked against Deribit's own book. Shows what fills, the fee, the book's delta after
 * (USD ÷ price per coin) and the position's standard margin; Deribit liquidates the account as a
 * whole, which the ticket does not project.
 */
export function DeribitPerpTicket({ instrument, coin }: { instrument: Instrument; coin: 'BTC' | 'ETH' }) {
  const t = useTicketStore();
  const name = `${coin}-PERPETUAL`;
  const book = useMarketStore((s) => s.books[`deribit:${name}`]);
  const snapshot = usePortfolioStore((s) => s.snapshot);
  const gate = useOrdersStore((s) => s.snapshot.gates.find((g) => g.venue === 'deribit'));
  const { order, problem, usd, price } = deribitPerpDraft(coin, t);
  const summary = book ? summarise(book.levels) : null;
  const walk = book && order ? walkBook(unpackSide(book.levels, order.side === 'buy' ? 'ask' : 'bid'), order.side, usd, price) : null;
  const takes = walk !== null && walk.filled > 0;
  const held = snapshot?.positions.filter((p) => p.def.source === 'deribit' && p.def.instrument === name).reduce((s, p) => s + p.def.quantity * p.mark, 0) ?? 0;
  const signedUsd = order ? (order.side === 'buy' ? usd : -usd) : 0;
  const totals = snapshot?.totals.find((x) => x.underlying === coin);
  const avg = walk && order ? ((walk.avgPrice ?? 0) * walk.filled + price * walk.unfilled) / usd : null;
  const fee = order && walk ? (t.postOnly ? 0 : walk.filled * VENUE_FEES.deribitPerp.taker) + (t.postOnly ? usd : walk.unfilled) * VENUE_FEES.deribitPerp.maker : null;
  const mark = summary?.mid ?? price;
  const blocked = !order ? problem : t.postOnly && takes ? 'post-only would take liquidity and be refused: move the price away from the touch' : !gate ? 'Deribit cannot trade in this setup (no API key)' : !gate.ready ? `Deribit takes no orders now: ${gate.reason}` : !book ? `waiting for Deribit's ${name} book` : null;
  return (
    <TicketForm order={order} blocked={blocked} describe={(o) => `${o.side} $${o.size} @ ${formatFixed(o.limit, 1)}`}>
      <label className="ticket-field">
        <span>Size</span>
        <input inputMode="decimal" aria-label="Size" value={t.sizeText} onChange={(e) => t.set({ sizeText: e.target.value })} placeholder="0" />
        <button type="button" className="toggle" aria-label="Size unit" onClick={() => t.set({ sizeUnit: t.sizeUnit === 'coin' ? 'usd' : 'coin' })}>
          {t.sizeUnit === 'coin' ? coin : 'USD'}
        </button>
      </label>
      <label className="ticket-field">
        <span>Limit</span>
        <input inputMode="decimal" aria-label="Limit price" value={t.priceText} onChange={(e) => t.set({ priceText: e.target.value })} placeholder={summary?.mid ? formatFixed(summary.mid, 1) : 'USD'} />
        <span className="muted unit">USD</span>
      </label>
      <TicketFlags />
      <dl className="ticket-figures" aria-label="What this order does">
        <dt>Deribit book</dt>
        <dd>{summary?.bestBid && summary.bestAsk ? `${formatFixed(summary.bestBid, 1)} / ${formatFixed(summary.bestAsk, 1)}` : '–'}</dd>
        <dt>Notional</dt>
        <dd>{order ? `${formatUsd(usd)} · ${formatSize(usd / price, instrument.sizeDecimals)} ${coin}` : '–'}</dd>
        <dt title="Deribit perpetuals: taker 0.05 %, maker 0 % (paid in coin)">Fee (est.)</dt>
        <dd>{fee !== null ? `${formatUsd(fee)} ${t.postOnly || !takes ? 'maker' : 'taker'}` : '–'}</dd>
        <dt>Fills now</dt>
        <dd>{walk && order ? (t.postOnly ? 'none (post-only rests)' : takes ? `${formatFixed(walk.filled, 0)} USD @ ${formatFixed(walk.avgPrice!, 1)}${walk.unfilled > 0 ? ` · rests ${formatFixed(walk.unfilled, 0)}` : ''}` : 'none: rests at the limit') : '–'}</dd>
        <dt>Position after</dt>
        <dd>{order ? `${formatSigned(held + signedUsd, 0)} USD` : '–'}</dd>
        <dt title="The whole book's delta in this coin, after a full fill (USD ÷ price per coin)">Book Δ after</dt>
        <dd>{order && avg ? (totals ? `${formatSigned(totals.greeks.deltaCoin + signedUsd / avg, 3)} ${coin}` : 'no price') : '–'}</dd>
        <dt title="Standard initial margin: coin × (2 % + coin × k)">Margin after</dt>
        <dd>{order ? `${formatSize(deribitPerpMarginCoin(coin, held + signedUsd, mark), 6)} ${coin} · ${formatUsd(deribitPerpMarginCoin(coin, held + signedUsd, mark) * mark)}` : '–'}</dd>
        <dt title="Deribit liquidates the whole account: see its margin on Portfolio">Liq.</dt>
        <dd className="muted">account-wide</dd>
      </dl>
    </TicketForm>
  );
}
