import { z } from 'zod';
import type { AccountClient, AccountSnapshot } from '../common/account.ts';

/*
 * The Deribit account whole, for the reconcile after a reconnect (§4b): positions, open orders
 * (get_open_orders_by_currency) and recent trades (get_user_trades_by_currency), per currency,
 * read on the engine's own session. Our client id is the order's label; sizes are Deribit's
 * (coins for options, USD for perpetuals), as the orders themselves are.
 */

type Read = (method: string, params: Record<string, unknown>, schema: z.ZodType) => Promise<unknown>;

const positions = z.array(z.object({ instrument_name: z.string(), size: z.number() }).loose()).max(5_000);
const openOrders = z.array(z.object({ order_id: z.string(), instrument_name: z.string(), direction: z.enum(['buy', 'sell']), amount: z.number(), filled_amount: z.number(), price: z.union([z.number(), z.string()]), label: z.string().optional(), creation_timestamp: z.number() }).loose()).max(10_000);
const trades = z.object({ trades: z.array(z.object({ trade_id: z.string(), instrument_name: z.string(), direction: z.enum(['buy', 'sell']), amount: z.number().positive(), price: z.number().positive(), timestamp: z.number(), label: z.string().optional() }).loose()).max(10_000) }).loose();

export class DeribitAccountClient implements AccountClient {
  private readonly read: Read;
  private readonly currencies: string[];

  constructor(read: Read, currencies: string[] = ['BTC', 'ETH']) {
    this.read = read;
    this.currencies = currencies;
  }

  async snapshot(since: number): Promise<AccountSnapshot> {
    const out: AccountSnapshot = { positions: {}, openOrders: [], fills: [], at: Date.now() };
    for (const currency of this.currencies) {
      const [pos, open, done] = (await Promise.all([
        this.read('private/get_positions', { currency }, positions),
        this.read('private/get_open_orders_by_currency', { currency }, openOrders),
        this.read('private/get_user_trades_by_currency', { currency, count: 1000 }, trades),
      ])) as [z.infer<typeof positions>, z.infer<typeof openOrders>, z.infer<typeof trades>];
      for (const p of pos) if (p.size !== 0) out.positions[p.instrument_name] = p.size;
      for (const o of open)
        out.openOrders.push({ clientId: o.label || null, venueOrderId: o.order_id, instrument: o.instrument_name, side: o.direction, remaining: o.amount - o.filled_amount, price: typeof o.price === 'number' ? o.price : NaN, placedAt: o.creation_timestamp });
      for (const t of done.trades)
        if (t.timestamp >= since) out.fills.push({ fillId: `trade:${t.trade_id}`, clientId: t.label || null, instrument: t.instrument_name, side: t.direction, size: t.amount, price: t.price, at: t.timestamp });
    }
    out.fills.sort((a, b) => a.at - b.at);
    return out;
  }
}
