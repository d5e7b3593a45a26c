import { create } from 'zustand';
import type { OrderRow } from '../../../shared/domain/orders.ts';
import { call } from '../bridge/terminal.ts';

/** How long an armed ticket waits for its confirmation. */
export const TICKET_ARM_MS = 5_000;

/** What the ticket sends, exactly; armed as it is, so a change after arming disarms it. */
export interface TicketOrder {
  venue: 'hyperliquid' | 'deribit';
  instrument: string;
  side: 'buy' | 'sell';
  /** In the instrument's size unit (coins for Hyperliquid). */
  size: number;
  limit: number;
  tif: 'Gtc' | 'Ioc' | 'Alo';
  reduceOnly: boolean;
}

export interface TicketStore {
  side: 'buy' | 'sell';
  sizeText: string;
  sizeUnit: 'coin' | 'usd';
  priceText: string;
  tif: 'Gtc' | 'Ioc';
  postOnly: boolean;
  reduceOnly: boolean;
  /** Where the Perps ticket sends a coin's perpetual: Hyperliquid, or Deribit's inverse perpetual. */
  perpVenue: 'hyperliquid' | 'deribit';
  /** Armed: the order as it will be sent, its intent id (one order however often confirm is pressed), and until when. */
  armed: { order: TicketOrder; intentId: string; until: number } | null;
  sending: boolean;
  notice: { text: string; tone: 'ok' | 'error' } | null;
  set: (p: Partial<Pick<TicketStore, 'side' | 'sizeText' | 'sizeUnit' | 'priceText' | 'tif' | 'postOnly' | 'reduceOnly' | 'perpVenue'>>) => void;
  /** A book level was clicked: its price, and the side that takes it (an ask is bought, a bid sold). */
  pickLevel: (price: string, bookSide: 'bid' | 'ask') => void;
  arm: (order: TicketOrder, now?: number) => void;
  disarm: () => void;
  /** The market the ticket's price was typed for (venue and instrument), null before any. */
  market: string | null;
  /**
   * The ticket now shows `market`: when it is another one, its price, the armed order and the last
   * outcome were for the one before and are cleared. The same market again (the ticket drawn anew
   * after a layout change) keeps what the trader typed or clicked.
   */
  resetFor: (market: string) => void;
  /** Sends the armed order if it is still armed and still what the ticket shows. */
  confirm: (current: TicketOrder | null, now?: number) => Promise<void>;
}

const same = (a: TicketOrder, b: TicketOrder): boolean => (Object.keys(a) as (keyof TicketOrder)[]).every((k) => a[k] === b[k]);

export const useTicketStore = create<TicketStore>((set, get) => ({
  side: 'buy',
  sizeText: '',
  sizeUnit: 'coin',
  priceText: '',
  tif: 'Gtc',
  postOnly: false,
  reduceOnly: false,
  perpVenue: 'hyperliquid',
  armed: null,
  sending: false,
  notice: null,
  market: null,
  // Any change to what would be sent disarms: the confirmation is for the order as reviewed.
  set: (p) => set({ ...p, armed: null }),
  pickLevel: (price, bookSide) => set({ priceText: price, side: bookSide === 'ask' ? 'buy' : 'sell', armed: null }),
  arm: (order, now = Date.now()) => set({ armed: { order, intentId: `tk-${crypto.randomUUID()}`, until: now + TICKET_ARM_MS }, notice: null }),
  disarm: () => set({ armed: null }),
  resetFor: (market) => {
    if (get().market !== market) set({ market, priceText: '', armed: null, notice: null });
  },
  confirm: async (current, now = Date.now()) => {
    const { armed, sending } = get();
    if (sending) return;
    if (!armed || now > armed.until || !current || !same(armed.order, current)) {
      set({ armed: null, notice: { text: 'not sent: review the order again (the confirmation expired or the ticket changed)', tone: 'error' } });
      return;
    }
    set({ sending: true });
    try {
      const row = await call('orders.place', { intentId: armed.intentId, ...armed.order });
      set({ notice: describe(row), armed: null });
    } catch (err) {
      set({ notice: { text: `not sent: ${(err as Error).message}`, tone: 'error' }, armed: null });
    } finally {
      set({ sending: false });
    }
  },
}));

function describe(o: OrderRow): { text: string; tone: 'ok' | 'error' } {
  const what = `${o.side} ${o.size} ${o.instrument}`;
  if (o.state === 'filled') return { text: `filled ${what} at ${o.avgPrice}`, tone: 'ok' };
  if (o.state === 'partially-filled') return { text: `${what}: ${o.filled} filled at ${o.avgPrice}, the rest works at ${o.price}`, tone: 'ok' };
  if (o.state === 'accepted' || o.state === 'submitted') return { text: `${what} works at ${o.price}`, tone: 'ok' };
  return { text: `${what} ${o.state}${o.reason ? `: ${o.reason}` : ''}`, tone: 'error' };
}
