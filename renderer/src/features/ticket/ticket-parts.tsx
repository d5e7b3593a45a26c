import type { ReactNode } from 'react';
import { useNow } from '../../app/use-now.ts';
import { useTicketStore, type TicketOrder } from '../../stores/ticket-store.ts';

/*
 * The parts every ticket shares (Perps and Options): the side switch, the order flags, and the
 * review → confirm buttons with the armed order's countdown and the outcome in words.
 */

export function SideSwitch() {
  const side = useTicketStore((s) => s.side);
  const set = useTicketStore((s) => s.set);
  return (
    <div className="controls" role="radiogroup" aria-label="Side">
      <button role="radio" aria-checked={side === 'buy'} className={`toggle side-buy${side === 'buy' ? ' active' : ''}`} onClick={() => set({ side: 'buy' })}>
        Buy
      </button>
      <button role="radio" aria-checked={side === 'sell'} className={`toggle side-sell${side === 'sell' ? ' active' : ''}`} onClick={() => set({ side: 'sell' })}>
        Sell
      </button>
    </div>
  );
}

export function TicketFlags() {
  const t = useTicketStore();
  return (
    <div className="ticket-flags">
      <select aria-label="Time in force" value={t.tif} disabled={t.postOnly} onChange={(e) => t.set({ tif: e.target.value as 'Gtc' | 'Ioc' })}>
        <option value="Gtc">GTC</option>
        <option value="Ioc">IOC</option>
      </select>
      <label>
        <input type="checkbox" checked={t.postOnly} onChange={(e) => t.set({ postOnly: e.target.checked })} /> Post-only
      </label>
      <label>
        <input type="checkbox" checked={t.reduceOnly} onChange={(e) => t.set({ reduceOnly: e.target.checked })} /> Reduce-only
      </label>
    </div>
  );
}

/** The form around a ticket: Enter reviews, Enter again confirms, Escape steps back. */
export function TicketForm({ order, blocked, children, describe }: { order: TicketOrder | null; blocked: string | null; children: ReactNode; describe: (o: TicketOrder) => string }) {
  const t = useTicketStore();
  const now = useNow(250);
  const armed = t.armed && t.armed.until > now ? t.armed : null;
  const submit = (): void => {
    if (blocked || !order) return;
    if (armed) void t.confirm(order);
    else t.arm(order);
  };
  return (
    <form
      className="ticket-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') t.disarm();
      }}
    >
      {children}
      {blocked && (t.sizeText || t.priceText) ? (
        <p className="ticket-problem" role="status">
          {blocked}
        </p>
      ) : null}
      <div className="ticket-actions">
        {armed ? (
          <>
            <button type="submit" className={`primary confirm ${armed.order.side}`} disabled={t.sending} autoFocus>
              Confirm {describe(armed.order)} ({Math.ceil((armed.until - now) / 1000)} s)
            </button>
            <button type="button" className="toggle" onClick={() => t.disarm()}>
              Back
            </button>
          </>
        ) : (
          <button type="submit" className={`review ${t.side}`} disabled={Boolean(blocked)}>
            Review {order ? describe(order).replace(/ @ .*$/, '') : t.side}
          </button>
        )}
      </div>
      {t.notice ? (
        <p className={`order-notice ${t.notice.tone}`} role="status">
          {t.notice.text}
        </p>
      ) : null}
    </form>
  );
}
