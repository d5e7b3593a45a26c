import { z } from 'zod';
import { HyperliquidInfoClient } from '../../venues/hyperliquid/info-client.ts';

/*
 * What main itself knows from the venue, for the budget guard: the asset list (index → coin),
 * mid prices, and the master account's positions and open orders. Asked of the venue just
 * before a signature, so a caller cannot claim a position it does not have.
 */

export interface VenueView {
  /** Asset index → coin name ("BTC"). */
  coins: string[];
  /** USD per coin. Maps, not objects: a coin named "toString" or "__proto__" is just a name. */
  mids: Map<string, number>;
  /** Signed size in coins per coin (positive long). */
  positions: Map<string, number>;
  /** Resting orders that would add to a position if filled: coins bought / sold, per coin. */
  openBuys: Map<string, number>;
  openSells: Map<string, number>;
}

export type ReadVenueView = (user: string) => Promise<VenueView>;

const num = z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number);
const metaSchema = z.looseObject({ universe: z.array(z.looseObject({ name: z.string().min(1).max(20) })).max(1000) });
const midsSchema = z.record(z.string(), num);
const stateSchema = z.looseObject({ assetPositions: z.array(z.looseObject({ position: z.looseObject({ coin: z.string(), szi: num }) })).max(1000) });
const openOrdersSchema = z.array(z.looseObject({ coin: z.string(), side: z.enum(['A', 'B']), sz: num })).max(10_000);

/** The view over Hyperliquid's /info, with the asset list cached for a minute. */
export function hyperliquidVenueView(httpUrl: () => Promise<string>, timeoutMs = 5_000): ReadVenueView {
  let meta: { coins: string[]; at: number; url: string } | null = null;
  return async (user) => {
    const url = (await httpUrl()).replace(/\/$/, '');
    const info = new HyperliquidInfoClient(url, timeoutMs);
    if (!meta || meta.url !== url || Date.now() - meta.at > 60_000) {
      const m = await info.query({ type: 'meta' }, metaSchema);
      meta = { coins: m.universe.map((u) => u.name), at: Date.now(), url };
    }
    const [mids, state, orders] = await Promise.all([
      info.query({ type: 'allMids' }, midsSchema),
      info.query({ type: 'clearinghouseState', user }, stateSchema),
      info.query({ type: 'openOrders', user }, openOrdersSchema),
    ]);
    const add = (m: Map<string, number>, coin: string, v: number): void => void m.set(coin, (m.get(coin) ?? 0) + v);
    const positions = new Map<string, number>();
    for (const p of state.assetPositions) add(positions, p.position.coin, p.position.szi);
    const openBuys = new Map<string, number>();
    const openSells = new Map<string, number>();
    for (const o of orders) add(o.side === 'B' ? openBuys : openSells, o.coin, o.sz);
    return { coins: meta.coins, mids: new Map(Object.entries(mids)), positions, openBuys, openSells };
  };
}
