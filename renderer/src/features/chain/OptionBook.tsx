import { useEffect } from 'react';
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
function BookSide({ side, levels, px, unit }: { side: 'bid' | 'ask'; levels: BookLevel[]; px: (coin: number) => string; unit: string }) {
  const rows: (BookLevel | null)[] = [...levels, ...Array<null>(Math.max(0, DEPTH - levels.length)).fill(null)];
  const cells = (size: React.ReactNode, price: React.ReactNode) => (side === 'bid' ? [size, price] : [price, size]);
  return (
    <div className={`ob-side ${side}s`}>
      <div className="ob-row head">{cells(<span key="s">Size</span>, <span key="p" className={side === 'ask' ? 'px' : undefined}>{side === 'bid' ? 'Bid' : 'Ask'} {unit}</span>)}</div>
      {rows.map((l, i) =>
        l ? (
          <div key={l.price} className={`ob-row ${side}`} role="button" title={`Click: ${side === 'bid' ? 'sell' : 'buy'} at this premium`} onClick={() => useTicketStore.getState().pickLevel(String(l.price), side)}>
            {cells(<span key="s">{formatFixed(l.size, 1)}</span>, <span key="p" className="px">{px(l.price)}</span>)}
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
 * venue price (coin) in the ticket, whatever unit is shown.
 */
export function OptionBook({ contract }: { contract: OptionContract | undefined }) {
  const name = contract?.name ?? null;
  const book = useMarketStore((s) => (name ? s.books[`deribit:${name}`] : undefined));
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
  const mark = rowValue(values, contract.row, 'mark');
  const px = (coin: number) => premiumText(coin, index, unit, contract.tick);
  const shownUnit = premiumUnitLabel(unit, contract.underlying);
  return (
    <section className="panel option-book" aria-label="Option order book">
      <header className="panel-header">
        <h2 title={contract.name}>{contract.name}</h2>
        <span className="muted" title={`mark ${formatFixed(mark, 4)} ${contract.underlying} ≈ $${formatFixed(mark * index, 2)}`}>
          mark {px(mark)} {shownUnit}
        </span>
      </header>
      <div className="ob-grid">
        <BookSide side="bid" levels={bids} px={px} unit={shownUnit} />
        <BookSide side="ask" levels={asks} px={px} unit={shownUnit} />
      </div>
      {!book ? <div className="empty">Waiting for the book…</div> : null}
    </section>
  );
}
