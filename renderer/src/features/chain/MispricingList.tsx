import { mispricingKey, TRADEABLE_KINDS, type Mispricing, type MispricingKind } from '../../../../shared/domain/options.ts';
import { formatFixedBelow } from '../../../../shared/format/numbers.ts';
import { useNow } from '../../app/use-now.ts';
import { useOptionsStore } from '../../stores/options-store.ts';
import { useArbStore } from '../../stores/arb-store.ts';
import { useViewStore } from '../../stores/view-store.ts';

const KIND_LABEL: Record<MispricingKind, string> = {
  'rich-bid': 'Rich bid',
  'cheap-ask': 'Cheap ask',
  'cross-venue': 'Cross',
  butterfly: 'Butterfly',
  calendar: 'Calendar',
  vertical: 'Vertical',
};

function age(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`;
}

/** `BTC-26FEB27-100000-C` as the list has room for it: `26FEB27 100k C` (the header names the coin). */
export function compactOptionName(name: string): string {
  const [, expiry, strike, kind] = name.split('-');
  if (!expiry || !strike || !kind) return name;
  const k = Number(strike);
  return `${expiry} ${k >= 10_000 ? `${k / 1000}k` : strike} ${kind}`;
}

const VENUE_SHORT: Record<string, string> = { deribit: 'DBT', derive: 'DRV', hyperliquid: 'HL', aave: 'AAVE' };

/** Contracts in the finding beyond the first (a cross-venue pair is one contract on two venues). */
const otherContracts = (m: Mispricing): number => new Set(m.legs.map((l) => l.contract)).size - 1;
/** What the legs cell shows, then every leg: the cell elides at narrow widths and a spread's other legs are only counted there. */
const legsTitle = (m: Mispricing): string => {
  const others = otherContracts(m);
  const shown = `${compactOptionName(m.legs[0]?.contract ?? '')}${others > 0 ? ` +${others}` : ''}`;
  return `${shown}: ${m.legs.map((l) => `${l.side} ${compactOptionName(l.contract)}`).join(', ')}`;
};
/** Where each leg trades, in order: "DBT→DRV" for a buy on Deribit sold on Derive. */
const venuesOf = (m: Mispricing): string => [...new Set(m.legs.map((l) => VENUE_SHORT[l.venue] ?? l.venue))].join('·');

/**
 * Quotes far off the joint fitted surface, the same contract crossing between venues, and
 * no-arbitrage violations across both venues' quotes, best edge first, each with the size the
 * quotes carry and how long it has lasted. Clicking one moves the chain to its first leg.
 */
export function MispricingList() {
  const underlying = useViewStore((s) => s.optionUnderlying);
  const items = useOptionsStore((s) => s.mispricings[underlying]);
  const contracts = useOptionsStore((s) => s.contracts);
  const now = useNow(1000);
  const jump = (m: Mispricing) => {
    const c = contracts.find((x) => x.name === m.legs[0]?.contract);
    if (!c) return;
    const view = useViewStore.getState();
    view.setOptionExpiry(c.expiry);
    view.setCursor(c.strike, c.kind);
    // A combination that can be sent opens its preview too (it sends nothing until armed and confirmed).
    if (TRADEABLE_KINDS.has(m.kind)) void useArbStore.getState().open(mispricingKey(m));
  };
  return (
    <section className="panel mispricings" aria-label="Mispricing list">
      <header className="panel-header">
        <h2>
          Off-surface &amp; arbitrage <span className="muted" title="Deribit and Derive quotes, every leg net of its venue's taker fee">{underlying} · 2 venues · after fees</span>
        </h2>
        <span className="muted nowrap">{items ? `${items.length} found` : 'waiting for a fit'}</span>
      </header>
      <div className="mis-columns">
        <span>Kind</span>
        <span>Option</span>
        <span>Venues</span>
        <span>Edge</span>
        <span title="Contracts (units of the combination) executable at the quoted prices">Size</span>
        <span>Age</span>
      </div>
      <div className="mis-list">
        {items && items.length === 0 ? <div className="empty">Every quote sits within the surface and the no-arbitrage bounds.</div> : null}
        {(items ?? []).slice(0, 50).map((m) => (
          <button key={mispricingKey(m)} className={`mis-row kind-${m.kind}`} title={`${m.detail}${TRADEABLE_KINDS.has(m.kind) ? ' · click: show it on the chain and preview the trade' : ''}`} onClick={() => jump(m)} data-testid="mispricing" data-contract={m.legs[0]?.contract}>
            <span className="kind" title={m.kind === 'cross-venue' ? 'The same contract bid on one venue above its offer on the other' : undefined}>{KIND_LABEL[m.kind]}</span>
            <span className="legs" title={legsTitle(m)}>
              {compactOptionName(m.legs[0]?.contract ?? '')}
              {otherContracts(m) > 0 ? <small> +{otherContracts(m)}</small> : null}
            </span>
            <span className="venues">{venuesOf(m)}</span>
            <span className="edge">{m.edgeUnit === 'vol-pt' ? `${formatFixedBelow(m.edge, 10, 1)} vol pt` : `$${formatFixedBelow(m.edge, 100, 2)}`}</span>
            <span className="size">{formatFixedBelow(m.size, 10, 1)}</span>
            <span className="age">{age(now - m.since)}</span>
          </button>
        ))}
      </div>
    </section>
  );
}
