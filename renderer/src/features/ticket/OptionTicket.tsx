import { useEffect } from 'react';
import type { OptionContract } from '../../../../shared/domain/options.ts';
import { walkBook } from '../../../../shared/domain/ticket.ts';
import { formatFixed, formatSigned, formatSize, formatUsd } from '../../../../shared/format/numbers.ts';
import { unpackSide } from '../../../../shared/stream/packed-book.ts';
import { useMarketStore } from '../../stores/market-store.ts';
import { rowValue, useOptionsStore } from '../../stores/options-store.ts';
import { useOrdersStore } from '../../stores/orders-store.ts';
import { usePortfolioStore } from '../../stores/portfolio-store.ts';
import { useTicketStore } from '../../stores/ticket-store.ts';
import { optionDraft, optionFeeCoin, shortOptionMarginCoin } from './option-ticket-math.ts';
import { SideSwitch, TicketFlags, TicketForm } from './ticket-parts.tsx';

/**
 * The ticket for the option under the chain's cursor, on Deribit: contracts and a coin premium on
 * the option's tick. Before sending it shows the premium in coin and USD, Deribit's fee, what the
 * book fills, the book's delta after, and for a sale that opens a short the standard margin it adds.
 * Liquidation on Deribit is the whole account's (portfolio margin or standard); it is not projected here.
 */
export function OptionTicket({ contract }: { contract: OptionContract }) {
  const t = useTicketStore();
  const book = useMarketStore((s) => s.books[`deribit:${contract.name}`]);
  const values = useOptionsStore((s) => s.values);
  useOptionsStore((s) => s.tick);
  const snapshot = usePortfolioStore((s) => s.snapshot);
  const gate = useOrdersStore((s) => s.snapshot.gates.find((g) => g.venue === 'deribit'));
  useEffect(() => {
    useTicketStore.getState().resetFor(`deribit:${contract.name}`);
  }, [contract.name]);
  const { order, problem } = optionDraft(contract, t);
  const index = rowValue(values, contract.row, 'index');
  const mark = rowValue(values, contract.row, 'mark');
  // The top bar's basis today (premium-adjusted for inverse options), so the two agree.
  const delta = rowValue(values, contract.row, 'deltaNet');
  const walk = book && order ? walkBook(unpackSide(book.levels, order.side === 'buy' ? 'ask' : 'bid'), order.side, order.size, order.limit) : null;
  const takes = walk !== null && walk.filled > 0;
  const totals = snapshot?.totals.find((x) => x.underlying === contract.underlying);
  const held = snapshot?.positions.filter((p) => p.def.source === 'deribit' && p.def.instrument === contract.name).reduce((s, p) => s + p.def.quantity, 0) ?? 0;
  const signedSize = order ? (order.side === 'buy' ? order.size : -order.size) : 0;
  const opensShort = order && order.side === 'sell' ? Math.max(0, order.size - Math.max(0, held)) : 0;
  const blocked = !order ? problem : t.postOnly && takes ? 'post-only would take liquidity and be refused: move the premium away from the touch' : gate && !gate.ready ? `Deribit takes no orders now: ${gate.reason}` : !gate ? 'Deribit cannot trade in this setup (no API key)' : null;
  const avg = walk && order ? ((walk.avgPrice ?? 0) * walk.filled + order.limit * walk.unfilled) / order.size : null;
  const coin = contract.underlying;
  return (
    <section className={`panel ticket option-ticket ${t.side}`} aria-label="Option order ticket">
      <header className="panel-header">
        <h2>Order · {contract.name}</h2>
        <SideSwitch />
      </header>
      <TicketForm order={order} blocked={blocked} describe={(o) => `${o.side} ${o.size} × ${contract.name} @ ${o.limit}`}>
        <div className="ticket-row">
          <label className="ticket-field">
            <span>Size</span>
            <input inputMode="decimal" aria-label="Contracts" value={t.sizeText} onChange={(e) => t.set({ sizeText: e.target.value })} placeholder={String(contract.minTradeAmount)} />
            <span className="muted unit">ct</span>
          </label>
          <label className="ticket-field">
            <span>Limit</span>
            <input inputMode="decimal" aria-label="Premium" value={t.priceText} onChange={(e) => t.set({ priceText: e.target.value })} placeholder={Number.isFinite(mark) ? formatFixed(mark, 4) : coin} />
            <span className="muted unit">{coin}</span>
          </label>
        </div>
        <TicketFlags />
        <dl className="ticket-figures two" aria-label="What this order does">
          <dt>Premium</dt>
          <dd>{order && avg !== null ? `${formatFixed(avg * order.size, 4)} ${coin} · ${formatUsd(avg * order.size * index)}` : '–'}</dd>
          <dt title="Deribit: 0.03 % of the underlying per contract, at most 12.5 % of the premium">Fee (est.)</dt>
          <dd>{order && avg !== null ? `${formatFixed(optionFeeCoin(order.size, avg), 5)} ${coin}` : '–'}</dd>
          <dt>Fills now</dt>
          <dd>{walk && order ? (t.postOnly ? 'none (post-only rests)' : takes ? `${formatSize(walk.filled, 1)} @ ${formatFixed(walk.avgPrice!, 4)}${walk.unfilled > 0 ? ` · rests ${formatSize(walk.unfilled, 1)}` : ''}` : 'none: rests at the limit') : '–'}</dd>
          <dt title="The whole book's delta in this coin, on the top bar's basis, after a full fill">Book Δ after</dt>
          <dd>{order ? (totals && Number.isFinite(delta) ? `${formatSigned(totals.greeks.deltaCoin + signedSize * delta, 3)} ${coin}` : 'no price') : '–'}</dd>
          <dt title="Standard margin a short adds: max(0.15 − OTM, 0.1) + mark per contract">Margin added</dt>
          <dd>{order ? (opensShort > 0 && Number.isFinite(mark) ? `${formatFixed(opensShort * shortOptionMarginCoin(contract, index, mark), 4)} ${coin}` : 'none') : '–'}</dd>
          <dt title="Deribit liquidates the whole account (standard or portfolio margin): see its margin on Portfolio">Liq.</dt>
          <dd className="muted">account-wide</dd>
        </dl>
      </TicketForm>
    </section>
  );
}
