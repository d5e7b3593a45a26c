import type { Mispricing, MispricingKind } from '../../../../shared/domain/options.ts';
import { formatFixed } from '../../../../shared/format/numbers.ts';
import { useNow } from '../../app/use-now.ts';
import { useOptionsStore } from '../../stores/options-store.ts';
import { useViewStore } from '../../stores/view-store.ts';

const KIND_LABEL: Record<MispricingKind, string> = {
  'rich-bid': 'Rich bid',
  'cheap-ask': 'Cheap ask',
  butterfly: 'Butterfly arb',
  calendar: 'Calendar arb',
  vertical: 'Vertical arb',
};

function age(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`;
}

/**
 * Quotes far off the fitted surface and no-arbitrage violations in the venue's own quotes, best edge
 * first. Clicking one moves the chain to its first leg.
 */
export function MispricingList() {
  const underlying = useViewStore((s) => s.optionUnderlying);
  const items = useOptionsStore((s) => s.mispricings[underlying]);
  const contracts = useOptionsStore((s) => s.contracts);
  const now = useNow(1000);
  const jump = (m: Mispricing) => {
    const c = contracts.find((x) => x.name === m.legs[0]);
    if (!c) return;
    const view = useViewStore.getState();
    view.setOptionExpiry(c.expiry);
    view.setCursor(c.strike, c.kind);
  };
  return (
    <section className="panel mispricings" aria-label="Mispricing list">
      <header className="panel-header">
        <h2>
          Off-surface &amp; arbitrage <span className="muted">{underlying} · net of taker fees</span>
        </h2>
        <span className="muted">{items ? `${items.length} found` : 'waiting for a fit'}</span>
      </header>
      <div className="mis-columns">
        <span>Kind</span>
        <span>Option</span>
        <span>Edge</span>
        <span>Age</span>
      </div>
      <div className="mis-list">
        {items && items.length === 0 ? <div className="empty">Every quote sits within the surface and the no-arbitrage bounds.</div> : null}
        {(items ?? []).slice(0, 50).map((m) => (
          <button key={`${m.kind}|${m.legs.join(',')}`} className={`mis-row kind-${m.kind}`} title={m.detail} onClick={() => jump(m)} data-testid="mispricing">
            <span className="kind">{KIND_LABEL[m.kind]}</span>
            <span className="legs">
              {m.legs[0]}
              {m.legs.length > 1 ? <small> +{m.legs.length - 1}</small> : null}
            </span>
            <span className="edge">{m.edgeUnit === 'vol-pt' ? `${formatFixed(m.edge, 1)} vol pt` : `$${formatFixed(m.edge, 0)}`}</span>
            <span className="age">{age(now - m.since)}</span>
          </button>
        ))}
      </div>
    </section>
  );
}
