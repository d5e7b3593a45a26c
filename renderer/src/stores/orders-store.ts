import { create } from 'zustand';
import { TERMINAL, type OrderRow, type OrdersSnapshot } from '../../../shared/domain/orders.ts';
import { call } from '../bridge/terminal.ts';

/** How long a first "cancel all" stays armed for the second press that carries it out. */
export const CANCEL_ALL_ARM_MS = 3_000;

export interface OrdersStore {
  snapshot: OrdersSnapshot;
  /** The live order the keyboard acts on (its intent id), or null. */
  selected: string | null;
  /** Until when a first "cancel all" waits for its confirmation, ms; 0 when not armed. */
  cancelAllArmedUntil: number;
  /** What the last order action did, in words, for the panel's header. */
  notice: { text: string; tone: 'ok' | 'error' } | null;
  applyFrame: (snapshot: OrdersSnapshot | null) => void;
  step: (by: 1 | -1) => void;
  select: (intentId: string | null) => void;
  cancel: (intentId: string) => Promise<void>;
  /** First call arms, a second within CANCEL_ALL_ARM_MS cancels every live order. */
  cancelAll: (now?: number) => Promise<void>;
}

export const liveOrders = (s: OrdersSnapshot): OrderRow[] => s.orders.filter((o) => !TERMINAL.has(o.state));

/** Orders, fills and the venues' trading gates as the engine last published them. */
export const useOrdersStore = create<OrdersStore>((set, get) => ({
  snapshot: { orders: [], fills: [], gates: [] },
  selected: null,
  cancelAllArmedUntil: 0,
  notice: null,
  applyFrame: (snapshot) => {
    if (!snapshot) return;
    const live = liveOrders(snapshot);
    const selected = get().selected;
    // A selected order that finished gives way to the next live one, never to nothing silently.
    set({ snapshot, selected: selected && live.some((o) => o.intentId === selected) ? selected : (live[0]?.intentId ?? null) });
  },
  step: (by) => {
    const live = liveOrders(get().snapshot);
    if (!live.length) return;
    const i = live.findIndex((o) => o.intentId === get().selected);
    set({ selected: live[(i + by + live.length) % live.length]!.intentId });
  },
  select: (intentId) => set({ selected: intentId }),
  cancel: async (intentId) => {
    const row = get().snapshot.orders.find((o) => o.intentId === intentId);
    try {
      const after = await call('orders.cancel', { intentId });
      set({ notice: { text: after.state === 'cancelled' ? `cancelled ${describe(after)}` : `${describe(after)} is ${after.state}${after.reason ? `: ${after.reason}` : ''}`, tone: after.state === 'cancelled' ? 'ok' : 'error' } });
    } catch (err) {
      set({ notice: { text: `could not cancel ${row ? describe(row) : 'the order'}: ${(err as Error).message}`, tone: 'error' } });
    }
  },
  cancelAll: async (now = Date.now()) => {
    const live = liveOrders(get().snapshot).length;
    if (now > get().cancelAllArmedUntil) {
      set({ cancelAllArmedUntil: now + CANCEL_ALL_ARM_MS, notice: { text: live ? `press again to cancel all ${live} open order${live === 1 ? '' : 's'}` : 'no open orders', tone: 'ok' } });
      return;
    }
    set({ cancelAllArmedUntil: 0 });
    try {
      const r = await call('orders.cancelAll', { venue: null });
      set({ notice: { text: `cancelled ${r.cancelled} order${r.cancelled === 1 ? '' : 's'}${r.failed.length ? `; not cancelled: ${r.failed.join('; ')}` : ''}`, tone: r.failed.length ? 'error' : 'ok' } });
    } catch (err) {
      set({ notice: { text: `cancel all failed: ${(err as Error).message}`, tone: 'error' } });
    }
  },
}));

function describe(o: Pick<OrderRow, 'side' | 'size' | 'instrument' | 'price'>): string {
  return `${o.side} ${o.size} ${o.instrument} @ ${o.price}`;
}
