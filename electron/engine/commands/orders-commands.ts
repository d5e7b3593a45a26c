import type { EngineJournal } from '../journal/journal-db.ts';
import type { OrdersDesk } from '../orders/orders-desk.ts';
import type { EngineHandlers } from './handlers.ts';

/** orders.* and journal.*: manual orders, cancels from the keyboard, and the journal screen. */
export function ordersCommands(orders: OrdersDesk, journal: () => { db: EngineJournal | null; damaged: string | null }): EngineHandlers<'orders' | 'journal'> {
  return {
    'orders.place': (p) => orders.place(p),
    'orders.cancel': (p) => orders.cancel(p.intentId),
    'orders.modify': (p) => orders.modify(p.intentId, { limit: p.limit, size: p.size }),
    'orders.cancelAll': (p) => orders.cancelAll(p.venue),
    'orders.list': () => orders.snapshot(),
    'journal.query': (q) => {
      const { db, damaged } = journal();
      if (!db) return { rows: [], total: 0, file: null, damaged };
      return { ...db.query(q), file: db.path, damaged };
    },
  };
}
