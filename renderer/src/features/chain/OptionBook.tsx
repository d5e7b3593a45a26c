import { useEffect } from 'react';
import type { OptionContract } from '../../../../shared/domain/options.ts';
import { unpackSide } from '../../../../shared/stream/packed-book.ts';
import { formatFixed } from '../../../../shared/format/numbers.ts';
import { call } from '../../bridge/terminal.ts';
import { useMarketStore } from '../../stores/market-store.ts';
import { rowValue, useOptionsStore } from '../../stores/options-store.ts';
import { useTicketStore } from '../../stores/ticket-store.ts';
import { useViewStore } from '../../stores/view-store.ts';
import { premiumText, premiumUnitLabel } from './premium.ts';

const DEPTH = 5;

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
  // Always five rows a side, blank where the venue shows fewer, so the panel does not jump.
  const pad = <T,>(levels: T[]): (T | null)[] => [...levels, ...Array<null>(Math.max(0, DEPTH - levels.length)).fill(null)];
  return (
    <section className="panel option-book" aria-label="Option order book">
      <header className="panel-header">
        <h2 title={contract.name}>{contract.name}</h2>
        <span className="muted" title={`mark ${formatFixed(mark, 4)} ${contract.underlying} ≈ $${formatFixed(mark * index, 2)}`}>
          mark {px(mark)} {shownUnit}
        </span>
      </header>
      <div className="ob-grid">
        <div className="ob-side bids">
          <div className="ob-row head">
            <span>Size</span>
            <span>Bid {shownUnit}</span>
          </div>
          {pad(bids).map((l, i) =>
            l ? (
              <div key={l.price} className="ob-row bid" role="button" title="Click: sell at this premium" onClick={() => useTicketStore.getState().pickLevel(String(l.price), 'bid')}>
                <span>{formatFixed(l.size, 1)}</span>
                <span className="px">{px(l.price)}</span>
              </div>
            ) : (
              <div key={`empty-${i}`} className="ob-row empty-level" />
            ),
          )}
        </div>
        <div className="ob-side asks">
          <div className="ob-row head">
            <span className="px">Ask {shownUnit}</span>
            <span>Size</span>
          </div>
          {pad(asks).map((l, i) =>
            l ? (
              <div key={l.price} className="ob-row ask" role="button" title="Click: buy at this premium" onClick={() => useTicketStore.getState().pickLevel(String(l.price), 'ask')}>
                <span className="px">{px(l.price)}</span>
                <span>{formatFixed(l.size, 1)}</span>
              </div>
            ) : (
              <div key={`empty-${i}`} className="ob-row empty-level" />
            ),
          )}
        </div>
      </div>
      {!book ? <div className="empty">Waiting for the book…</div> : null}
    </section>
  );
}
