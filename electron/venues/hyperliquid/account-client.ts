import { z } from 'zod';
import type { AccountClient, AccountSnapshot } from '../common/account.ts';
import { HyperliquidInfoClient } from './info-client.ts';

/*
 * The trading account as Hyperliquid reports it over /info: positions (clearinghouseState), open
 * orders (openOrders) and fills (userFills). Read whole after every reconnect, before any new order.
 */

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/);
const openOrdersSchema = z.array(z.object({ coin: z.string(), side: z.enum(['A', 'B']), limitPx: decimal, sz: decimal, oid: z.number(), timestamp: z.number(), cloid: z.string().optional() }).loose()).max(10_000);
const fillsSchema = z.array(z.object({ coin: z.string(), px: decimal, sz: decimal, side: z.enum(['A', 'B']), time: z.number(), tid: z.number(), cloid: z.string().optional() }).loose()).max(10_000);

export class HyperliquidAccountClient implements AccountClient {
  private readonly httpUrl: () => string;
  private readonly user: () => string | null;
  private readonly timeoutMs: number;

  constructor(httpUrl: () => string, user: () => string | null, timeoutMs = 5_000) {
    this.httpUrl = httpUrl;
    this.user = user;
    this.timeoutMs = timeoutMs;
  }

  async snapshot(since: number): Promise<AccountSnapshot> {
    const user = this.user();
    if (!user) return { positions: {}, openOrders: [], fills: [], at: Date.now() };
    const info = new HyperliquidInfoClient(this.httpUrl().replace(/\/$/, ''), this.timeoutMs);
    const [state, open, fills] = await Promise.all([info.clearinghouseState(user), info.query({ type: 'openOrders', user }, openOrdersSchema), info.query({ type: 'userFills', user }, fillsSchema)]);
    const positions: Record<string, number> = {};
    for (const { position: p } of state.assetPositions) if (Number(p.szi) !== 0) positions[p.coin] = Number(p.szi);
    return {
      positions,
      openOrders: open.map((o) => ({ clientId: o.cloid ?? null, venueOrderId: String(o.oid), instrument: o.coin, side: o.side === 'B' ? 'buy' : 'sell', remaining: Number(o.sz), price: Number(o.limitPx), placedAt: o.timestamp })),
      fills: fills
        .filter((f) => f.time >= since)
        .map((f) => ({ fillId: `tid:${f.tid}`, clientId: f.cloid ?? null, instrument: f.coin, side: f.side === 'B' ? ('buy' as const) : ('sell' as const), size: Number(f.sz), price: Number(f.px), at: f.time }))
        .sort((a, b) => a.at - b.at),
      at: state.time,
    };
  }
}
