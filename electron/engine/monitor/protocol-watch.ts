import type { Measurement } from './measures.ts';
import { formatDollars, formatFixed } from '../../../shared/format/numbers.ts';

/*
 * "The protocol broke" (issue "Kill switch", item 3), measured from what the engine already
 * holds: a perp's mid off its index, a book's spread blown out or its depth gone, a stablecoin
 * reserve off $1 at Aave's own oracle, and an Aave oracle that stopped following its market. The
 * figures go through the alert rules like any other (thresholds, hysteresis, escalation); their
 * critical level is what auto-divestment listens for. Subjects start with the venue.
 */

export interface PerpReading {
  venue: 'hyperliquid' | 'deribit';
  underlying: string;
  instrument: string;
  bid: number | null;
  ask: number | null;
  /** What the thinner side offers within 1 % of the mid, USD. */
  depthUsd: number | null;
  /** The index it is judged against, USD, and whose. */
  index: number | null;
  indexName: string;
}

export interface OracleReading {
  symbol: string;
  priceUsd: number;
  /** The coin it tracks on the perp venues (WETH → ETH), for "the market moved and the oracle did not". */
  tracks: string | null;
}

export interface ProtocolReadings {
  perps: PerpReading[];
  oracles: OracleReading[];
  /** Mid of a coin on the perp venues now, USD. */
  marketMid: (coin: string) => number | null;
}

const STABLECOINS = new Set(['USDC', 'USDT', 'DAI', 'USDS', 'GHO']);
/** How far the market must move, as a fraction, before an unchanged oracle counts as frozen. */
const MARKET_MOVE = 0.01;

const bps = (x: number): string => `${formatFixed(x, 0)} bps`;
const usd = formatDollars;
const NAMES = { hyperliquid: 'Hyperliquid', deribit: 'Deribit' } as const;

/** Remembers when each oracle price last changed and where its market was then. */
export class ProtocolWatch {
  private readonly lastChange = new Map<string, { price: number; at: number; market: number | null }>();

  measure(r: ProtocolReadings, now: number): Measurement[] {
    const out: Measurement[] = [];
    for (const p of r.perps) {
      const name = `${NAMES[p.venue]} ${p.instrument}`;
      const target = { workspace: p.venue === 'deribit' ? ('options' as const) : ('market' as const), figure: `venue:${p.venue}` };
      if (p.bid === null || p.ask === null || !(p.bid > 0) || !(p.ask > p.bid)) continue;
      const mid = (p.bid + p.ask) / 2;
      const spread = ((p.ask - p.bid) / mid) * 10_000;
      out.push({ rule: 'book-spread', subject: `${p.venue}:${p.instrument}`, value: spread, target, describe: (t) => `${name}: spread ${bps(spread)} of the mid (alert above ${bps(t)})` });
      if (p.depthUsd !== null) {
        const depth = p.depthUsd;
        out.push({ rule: 'book-depth', subject: `${p.venue}:${p.instrument}`, value: depth, target, describe: (t) => `${name}: only ${usd(depth)} offered within 1 % of the mid on its thinner side (alert below ${usd(t)})` });
      }
      if (p.index !== null && p.index > 0) {
        const off = Math.abs(mid / p.index - 1) * 10_000;
        out.push({ rule: 'mark-deviation', subject: `${p.venue}:${p.underlying}`, value: off, target, describe: (t) => `${name}: mid ${mid.toFixed(1)} is ${bps(off)} ${mid > p.index! ? 'above' : 'below'} the ${p.indexName} ${p.index!.toFixed(1)} (alert above ${bps(t)})` });
      }
    }
    for (const o of r.oracles) {
      const target = { workspace: 'portfolio' as const, figure: 'accounts' };
      if (STABLECOINS.has(o.symbol)) {
        const off = Math.abs(o.priceUsd - 1) * 10_000;
        out.push({ rule: 'stablecoin-depeg', subject: `aave:${o.symbol}`, value: off, target, describe: (t) => `${o.symbol} at $${o.priceUsd.toFixed(4)} on Aave's oracle: ${bps(off)} off $1 (alert above ${bps(t)})` });
        continue;
      }
      if (!o.tracks) continue;
      const market = r.marketMid(o.tracks);
      const last = this.lastChange.get(o.symbol);
      if (!last || last.price !== o.priceUsd) {
        this.lastChange.set(o.symbol, { price: o.priceUsd, at: now, market });
        out.push({ rule: 'oracle-frozen', subject: `aave:${o.symbol}`, value: 0, target, describe: () => '' });
        continue;
      }
      const moved = market !== null && last.market !== null ? Math.abs(market / last.market - 1) : 0;
      const seconds = moved >= MARKET_MOVE ? (now - last.at) / 1000 : 0;
      out.push({ rule: 'oracle-frozen', subject: `aave:${o.symbol}`, value: seconds, target, describe: (t) => `Aave's ${o.symbol} price $${o.priceUsd.toFixed(2)} has not moved for ${Math.round(seconds)} s while ${o.tracks} moved ${(moved * 100).toFixed(1)} % (alert after ${Math.round(t)} s)` });
    }
    return out;
  }
}
