import { useEffect, useState } from 'react';
import type { OptionContract } from '../../../../shared/domain/options.ts';
import { unpackSide, type BookLevel } from '../../../../shared/stream/packed-book.ts';
import { formatFixed } from '../../../../shared/format/numbers.ts';
import { call } from '../../bridge/terminal.ts';
import { useMarketStore } from '../../stores/market-store.ts';
import { rowValue, useOptionsStore } from '../../stores/options-store.ts';
import { useTicketStore } from '../../stores/ticket-store.ts';
import { useViewStore } from '../../stores/view-store.ts';
import { premiumText, premiumUnitLabel } from './premium.ts';

const DEPTH = 5;

/**
 * One side of the cursor's book, always five rows (blank where the venue shows fewer, so the
 * panel does not jump): size beside the premium, the premium towards the spread. A click puts the
 * level's venue price in the ticket: a bid sells there, an ask buys.
 */
function BookSide({ side, levels, px, unit, pick }: { side: 'bid' | 'ask'; levels: BookLevel[]; px: (price: number) => string; unit: string; pick: boolean }) {
  const rows: (BookLevel | null)[] = [...levels, ...Array<null>(Math.max(0, DEPTH - levels.length)).fill(null)];
  const cells = (size: React.ReactNode, price: React.ReactNode) => (side === 'bid' ? [size, price] : [price, size]);
  return (
    <div className={`ob-side ${side}s`}>
      <div className="ob-row head">{cells(<span key="s">Size</span>, <span key="p" className={side === 'ask' ? 'px' : undefined}>{side === 'bid' ? 'Bid' : 'Ask'} {unit}</span>)}</div>
      {rows.map((l, i) =>
        l ? (
          <div
            key={l.price}
            className={`ob-row ${side}`}
            {...(pick ? { role: 'button', title: `Click: ${side === 'bid' ? 'sell' : 'buy'} at this premium`, onClick: () => useTicketStore.getState().pickLevel(String(l.price), side) } : { title: "Derive's book: trade it from the mispricing list" })}
          >
            {/* Deribit's contract step is 0.1, Derive's 0.01. */}
            {cells(<span key="s">{formatFixed(l.size, pick ? 1 : 2)}</span>, <span key="p" className="px">{px(l.price)}</span>)}
          </div>
        ) : (
          <div key={`empty-${i}`} className="ob-row empty-level" />
        ),
      )}
    </div>
  );
}

/**
 * The cursor option's order book: five levels a side, premiums in the unit the U switch picks
 * (coin or USD), sizes in contracts. Only this book is streamed. A click on a level puts its
 * venue price (coin) in the ticket, whatever unit is shown. Where Derive lists the same contract,
 * its book (USDC per contract, Derive's tick) is one click away; the ticket trades Deribit only.
 */
export function OptionBook({ contract }: { contract: OptionContract | undefined }) {
  const name = contract?.name ?? null;
  const peer = contract?.peer;
  const [venue, setVenue] = useState<'deribit' | 'derive'>('deribit');
  const onDerive = venue === 'derive' && peer !== undefined;
  const shownVenue = onDerive ? 'derive' : 'deribit';
  const book = useMarketStore((s) => (name ? s.books[onDerive ? `derive:${peer.name}` : `deribit:${name}`] : undefined));
  const values = useOptionsStore((s) => s.values);
  useOptionsStore((s) => s.tick);
  const unit = useViewStore((s) => s.premiumUnit);

  useEffect(() => {
    void call('options.focus', { name }).catch(() => undefined);
  }, [name]);

  if (!contract) return <section className="panel option-book"><div className="empty">Move the cursor to an option to see its book.</div></section>;
  const bids = book ? unpackSide(book.levels, 'bid').slice(0, DEPTH) : [];
  const asks = book ? unpackSide(book.levels, 'ask').slice(0, DEPTH) : [];
  const index = rowValue(values, contract.row, 'index');
  const mark = onDerive ? rowValue(values, contract.row, 'peerMark') / index : rowValue(values, contract.row, 'mark');
  // Deribit quotes coin per contract on its coin tick; Derive USD on its dollar tick.
  const tickCoin = onDerive ? peer.tickUsd / index : contract.tick;
  const coinPx = (coin: number) => premiumText(coin, index, unit, tickCoin);
  const px = onDerive ? (usd: number) => coinPx(usd / index) : coinPx;
  const shownUnit = premiumUnitLabel(unit, contract.underlying);
  const shownName = onDerive ? peer.name : contract.name;
  return (
    <section className="panel option-book" aria-label="Option order book" data-venue={shownVenue}>
      <header className="panel-header">
        <h2 title={shownName}>{shownName}</h2>
        {peer ? (
          <span className="segmented" role="radiogroup" aria-label="Book venue">
            {(['deribit', 'derive'] as const).map((v) => (
              <button key={v} role="radio" aria-checked={shownVenue === v} className={`toggle${shownVenue === v ? ' active' : ''}`} onClick={() => setVenue(v)}>
                {v === 'deribit' ? 'Deribit' : 'Derive'}
              </button>
            ))}
          </span>
        ) : null}
        <span className="muted" title={`mark ${formatFixed(mark, 4)} ${contract.underlying} ≈ $${formatFixed(mark * index, 2)}`}>
          mark {coinPx(mark)} {shownUnit}
        </span>
      </header>
      <div className="ob-grid">
        <BookSide side="bid" levels={bids} px={px} unit={shownUnit} pick={!onDerive} />
        <BookSide side="ask" levels={asks} px={px} unit={shownUnit} pick={!onDerive} />
      </div>
      {!book ? <div className="empty">Waiting for the book…</div> : null}
    </section>
  );
}
