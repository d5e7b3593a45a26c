import { useKeyHint } from '../../hotkeys/key-hint.ts';
import { useEffect, useMemo } from 'react';
import { OPTION_UNDERLYINGS, sviImpliedVol } from '../../../../shared/domain/options.ts';
import { formatFixed } from '../../../../shared/format/numbers.ts';
import { useNow } from '../../app/use-now.ts';
import { useOptionsStore } from '../../stores/options-store.ts';
import { useViewStore } from '../../stores/view-store.ts';
import { atmStrike, expiriesOf, expiryForward, expiryLabel, shownExpiry, strikeRows, timeLeft } from './chain-model.ts';
import { ChainTable } from './ChainTable.tsx';
import { MispricingList } from './MispricingList.tsx';
import { OptionBook } from './OptionBook.tsx';
import { OptionTicket } from '../ticket/OptionTicket.tsx';
import { SmileChart, TermStructure } from './SmileChart.tsx';

/** The options screen: chain for one expiry, its smile and the term structure, the cursor option's book, and the mispricing list. */
export function OptionsWorkspace() {
  const unitKey = useKeyHint('options.toggleUnit');
  const venuesKey = useKeyHint('options.toggleVenues');
  const contracts = useOptionsStore((s) => s.contracts);
  const values = useOptionsStore((s) => s.values);
  useOptionsStore((s) => s.tick);
  const surfaces = useOptionsStore((s) => s.surfaces);
  const { optionUnderlying: underlying, optionExpiry, premiumUnit, cursorStrike, cursorKind, chainView } = useViewStore();
  const view = useViewStore.getState();
  const now = useNow(30_000);

  const expiries = useMemo(() => expiriesOf(contracts, underlying), [contracts, underlying]);
  const expiry = shownExpiry(expiries, optionExpiry);
  const rows = useMemo(() => (expiry === null ? [] : strikeRows(contracts, underlying, expiry)), [contracts, underlying, expiry]);
  const forward = expiryForward(rows, values);
  const atm = atmStrike(rows, forward);
  const slices = surfaces[underlying]?.slices ?? [];
  const slice = slices.find((s) => s.expiry === expiry);
  const cursorRow = rows.find((r) => r.strike === cursorStrike);
  const cursorContract = cursorRow?.[cursorKind];

  useEffect(() => {
    if (expiry !== null && optionExpiry !== expiry) view.setOptionExpiry(expiry);
  }, [expiry, optionExpiry, view]);

  if (contracts.length === 0) return <div className="empty large">Loading the options chain…</div>;

  return (
    <div className="options-workspace">
      <div className="chain-toolbar">
        <div className="instrument-tabs" role="tablist" aria-label="Underlying">
          {OPTION_UNDERLYINGS.map((u) => (
            <button key={u} role="tab" aria-selected={u === underlying} className={`tab${u === underlying ? ' active' : ''}`} onClick={() => view.setOptionUnderlying(u)}>
              <span className="symbol">{u}</span>
            </button>
          ))}
        </div>
        <div className="expiry-tabs" role="tablist" aria-label="Expiry">
          {expiries.map((e) => (
            <button key={e} role="tab" aria-selected={e === expiry} className={`tab expiry${e === expiry ? ' active' : ''}`} onClick={() => view.setOptionExpiry(e)} title={`${new Date(e).toISOString().slice(0, 16).replace('T', ' ')} UTC`}>
              <span className="symbol">{expiryLabel(e)}</span>
              <span className="mid">{timeLeft(e, now)}</span>
            </button>
          ))}
        </div>
        <span className="spacer" />
        <span className="muted" title="Forward the venue prices this expiry against">
          F {formatFixed(forward, 0)} · ATM IV {slice ? formatFixed(sviImpliedVol(slice, 0) * 100, 1) : '–'} %
        </span>
        <button className={`toggle${chainView === 'venues' ? ' active' : ''}`} aria-pressed={chainView === 'venues'} onClick={() => view.toggleChainView()} title={`Chain columns: our Greeks beside Deribit, or Deribit and Derive quotes side by side${venuesKey}`}>
          {chainView === 'venues' ? 'Deribit + Derive' : 'Greeks'}
        </button>
        <button className="toggle active" onClick={() => view.togglePremiumUnit()} title={`Premiums in coin or USD${unitKey}`}>
          {premiumUnit === 'coin' ? `Premium: ${underlying}` : 'Premium: USD'}
        </button>
      </div>
      <section className="panel chain">
        <ChainTable rows={rows} atm={atm} forward={forward} />
      </section>
      <div className="options-side">
        <SmileChart rows={rows} slice={slice} forward={forward} expiry={expiry} />
        <TermStructure slices={slices} selected={expiry} />
        <OptionBook contract={cursorContract} />
        {cursorContract ? <OptionTicket contract={cursorContract} /> : null}
        <MispricingList />
      </div>
    </div>
  );
}
