import { useEffect } from 'react';
import type { OptionContract } from '../../../../shared/domain/options.ts';
import { unpackSide } from '../../../../shared/stream/packed-book.ts';
import { formatFixed } from '../../../../shared/format/numbers.ts';
import { call } from '../../bridge/terminal.ts';
import { useMarketStore } from '../../stores/market-store.ts';
import { rowValue, useOptionsStore } from '../../stores/options-store.ts';
import { useTicketStore } from '../../stores/ticket-store.ts';

const DEPTH = 5;

/** The cursor option's order book (coin premiums, contract sizes). Only this book is streamed. */
export function OptionBook({ contract }: { contract: OptionContract | undefined }) {
  const name = contract?.name ?? null;
  const book = useMarketStore((s) => (name ? s.books[`deribit:${name}`] : undefined));
  const values = useOptionsStore((s) => s.values);
  useOptionsStore((s) => s.tick);

  useEffect(() => {
    void call('options.focus', { name }).catch(() => undefined);
  }, [name]);

  if (!contract) return <section className="panel option-book"><div className="empty">Move the cursor to an option to see its book.</div></section>;
  const bids = book ? unpackSide(book.levels, 'bid').slice(0, DEPTH) : [];
  const asks = book ? unpackSide(book.levels, 'ask').slice(0, DEPTH) : [];
  const index = rowValue(values, contract.row, 'index');
  return (
    <section className="panel option-book" aria-label="Option order book">
      <header className="panel-header">
        <h2>
          {contract.name} <span className="muted">book · coin · contracts</span>
        </h2>
        <span className="muted">mark {formatFixed(rowValue(values, contract.row, 'mark'), 4)} ≈ ${formatFixed(rowValue(values, contract.row, 'mark') * index, 0)}</span>
      </header>
      <div className="ob-grid">
        <div className="ob-side bids">
          {bids.map((l) => (
            <div key={l.price} className="ob-row bid" role="button" title="Click: sell at this premium" onClick={() => useTicketStore.getState().pickLevel(String(l.price), 'bid')}>
              <span>{formatFixed(l.size, 1)}</span>
              <span className="px">{formatFixed(l.price, 4)}</span>
            </div>
          ))}
        </div>
        <div className="ob-side asks">
          {asks.map((l) => (
            <div key={l.price} className="ob-row ask" role="button" title="Click: buy at this premium" onClick={() => useTicketStore.getState().pickLevel(String(l.price), 'ask')}>
              <span className="px">{formatFixed(l.price, 4)}</span>
              <span>{formatFixed(l.size, 1)}</span>
            </div>
          ))}
        </div>
      </div>
      {!book ? <div className="empty">Waiting for the book…</div> : null}
    </section>
  );
}
