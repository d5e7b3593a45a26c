import { priceDecimalsAt } from '../../../../shared/domain/instruments.ts';
import { formatFixed } from '../../../../shared/format/numbers.ts';
import { useMarketStore } from '../../stores/market-store.ts';
import { useViewStore } from '../../stores/view-store.ts';

/** Instrument switcher with each market's live mid; number keys 1–9 select. */
export function InstrumentTabs() {
  const instruments = useMarketStore((s) => s.instruments);
  const mids = useMarketStore((s) => s.mids);
  const { selectedId, select } = useViewStore();
  return (
    <div className="instrument-tabs" role="tablist" aria-label="Instruments">
      {instruments.map((inst, i) => {
        const mid = mids[inst.id];
        return (
          <button
            key={inst.id}
            type="button"
            role="tab"
            aria-selected={inst.id === selectedId}
            className={inst.id === selectedId ? 'tab active' : 'tab'}
            onClick={(e) => {
              select(inst.id);
              // Keys drive the app; a focused button would turn Space/Enter into a click.
              e.currentTarget.blur();
            }}
            title={`${inst.symbol} on ${inst.venue} (key ${i + 1})`}
            data-testid={`instrument-${inst.symbol}`}
          >
            <span className="symbol">{inst.symbol}</span>
            <span className="mid">{mid !== undefined ? formatFixed(mid, priceDecimalsAt(mid, inst)) : '–'}</span>
          </button>
        );
      })}
    </div>
  );
}
