import { groupBy } from '../../../shared/collections.ts';
import { mispricingKey, optionTakerFeeUsd, type Mispricing, type MispricingLeg, type OptionContract, type OptionFeeSchedule, type OptionUnderlying, type RowField } from '../../../shared/domain/options.ts';
import { VENUE_LABELS, type VenueId } from '../../../shared/domain/venues.ts';
import type { OptionsBoard } from './options-board.ts';

export interface MispricingRules {
  /** Rich bid / cheap ask: distance from the fitted surface, vol points, after fees. */
  minVolPoints: number;
  /** Arbitrage and cross-venue: smallest profit per unit after fees, USD. */
  minArbUsd: number;
  /** The chain's own venue and its taker fee (Deribit: 0.03 % of the index, capped at 12.5 % of the premium). */
  ownVenue: VenueId;
  ownFee: OptionFeeSchedule;
}

export const DEFAULT_RULES: MispricingRules = { minVolPoints: 2, minArbUsd: 1, ownVenue: 'deribit', ownFee: { baseUsd: 0, rateOfIndex: 0.0003, premiumCap: 0.125 } };

/** Where a row keeps each venue's touch: the chain's own venue, and its peer (USD). */
const SIDE_FIELDS = {
  own: { bid: { px: 'bid', size: 'bidSize', iv: 'bidIv' }, ask: { px: 'ask', size: 'askSize', iv: 'askIv' } },
  peer: { bid: { px: 'peerBid', size: 'peerBidSize', iv: 'peerBidIv' }, ask: { px: 'peerAsk', size: 'peerAskSize', iv: 'peerAskIv' } },
} as const satisfies Record<'own' | 'peer', Record<'bid' | 'ask', { px: RowField; size: RowField; iv: RowField }>>;

/** One venue's best price on one side of a contract, in USD per contract, with what taking it costs. */
interface Touch {
  leg: Omit<MispricingLeg, 'side' | 'ratio'>;
  iv: number;
  /** Price net of the fee, the way a taker books it: ask + fee, bid − fee. */
  net: number;
}

/** Contracts grouped by `key`, each group ordered by `order`. */
function groupSorted(contracts: readonly OptionContract[], key: (c: OptionContract) => string, order: (c: OptionContract) => number): OptionContract[][] {
  return [...groupBy(contracts, key).values()].map((g) => g.sort((a, b) => order(a) - order(b)));
}

const leg = (t: Touch, side: 'buy' | 'sell', ratio = 1): MispricingLeg => ({ ...t.leg, side, ratio });
const money = (usd: number): string => `$${usd >= 100 ? usd.toFixed(0) : usd.toFixed(2)}`;
const volPct = (iv: number): string => `${(iv * 100).toFixed(1)} %`;
const where = (legs: readonly MispricingLeg[]): string => (new Set(legs.map((l) => l.venue)).size > 1 ? ' (across venues)' : '');
const sizeOf = (legs: readonly MispricingLeg[]): number => Math.min(...legs.map((l) => l.size / l.ratio));

/**
 * Where the chain's quotes cross between venues, sit off the joint fitted surface, or break
 * no-arbitrage (vertical, butterfly, calendar) — the combinations built from the best touch on
 * either venue, every leg net of its own venue's taker fee, in USD per contract. A trader would
 * hit the bid of a rich option or lift the offer of a cheap one; an arbitrage is a combination
 * executable at the quoted prices for a riskless profit, as many units as the thinnest leg shows.
 */
export function findMispricings(board: OptionsBoard, underlying: OptionUnderlying, contracts: readonly OptionContract[], now: number, rules = DEFAULT_RULES): Mispricing[] {
  const out: Mispricing[] = [];
  const val = (c: OptionContract, f: Parameters<OptionsBoard['get']>[1]): number => board.get(c.row, f);

  /** The touches of one side of a contract: the chain's own venue, then its peer where listed. */
  const touches = (c: OptionContract, side: 'bid' | 'ask'): Touch[] => {
    const index = val(c, 'index');
    if (!(index > 0)) return [];
    const one = (venue: VenueId, name: string, schedule: OptionFeeSchedule, f: { px: RowField; size: RowField; iv: RowField }, inverse: boolean): Touch[] => {
      const raw = val(c, f.px);
      if (!(raw > 0)) return [];
      const px = inverse ? raw * index : raw;
      const fee = optionTakerFeeUsd(schedule, px, index);
      return [{ leg: { venue, name, contract: c.name, priceUsd: px, feeUsd: fee, size: val(c, f.size) }, iv: val(c, f.iv), net: side === 'bid' ? px - fee : px + fee }];
    };
    const peer = c.peer;
    return [...one(rules.ownVenue, c.name, rules.ownFee, SIDE_FIELDS.own[side], c.settlement === 'inverse'), ...(peer ? one(peer.venue, peer.name, peer.fee, SIDE_FIELDS.peer[side], false) : [])];
  };
  const best = (c: OptionContract, side: 'bid' | 'ask'): Touch | null =>
    touches(c, side).reduce<Touch | null>((b, t) => (b === null || (side === 'bid' ? t.net > b.net : t.net < b.net) ? t : b), null);

  for (const c of contracts) {
    const fit = val(c, 'fitIv');
    const vega = val(c, 'vega');
    const bids = touches(c, 'bid');
    const asks = touches(c, 'ask');
    if (fit > 0 && vega > 0) {
      for (const b of bids) {
        const edge = (b.iv - fit) * 100 - b.leg.feeUsd / vega;
        if (b.iv > 0 && edge >= rules.minVolPoints) {
          const legs = [leg(b, 'sell')];
          out.push({ kind: 'rich-bid', underlying, legs, edge, edgeUnit: 'vol-pt', size: sizeOf(legs), detail: `sell on ${VENUE_LABELS[b.leg.venue]} at ${money(b.leg.priceUsd)} (bid IV ${volPct(b.iv)} vs surface ${volPct(fit)})`, since: now });
        }
      }
      for (const a of asks) {
        const edge = (fit - a.iv) * 100 - a.leg.feeUsd / vega;
        if (a.iv > 0 && edge >= rules.minVolPoints) {
          const legs = [leg(a, 'buy')];
          out.push({ kind: 'cheap-ask', underlying, legs, edge, edgeUnit: 'vol-pt', size: sizeOf(legs), detail: `buy on ${VENUE_LABELS[a.leg.venue]} at ${money(a.leg.priceUsd)} (ask IV ${volPct(a.iv)} vs surface ${volPct(fit)})`, since: now });
        }
      }
    }
    // The same contract bid on one venue above what it is offered for on the other, after both fees.
    for (const b of bids) {
      for (const a of asks) {
        if (a.leg.venue === b.leg.venue) continue;
        const edge = b.net - a.net;
        if (edge < rules.minArbUsd) continue;
        const legs = [leg(a, 'buy'), leg(b, 'sell')];
        const size = sizeOf(legs);
        out.push({ kind: 'cross-venue', underlying, legs, edge, edgeUnit: 'usd', size, detail: `buy on ${VENUE_LABELS[a.leg.venue]} at ${money(a.leg.priceUsd)}, sell on ${VENUE_LABELS[b.leg.venue]} at ${money(b.leg.priceUsd)}: ${money(edge)} a contract after both fees, ${money(edge * size)} for the ${size} shown`, since: now });
      }
    }
  }

  // Same expiry and type, by strike: price must fall (calls) or rise (puts) with strike, convexly.
  for (const g of groupSorted(contracts, (c) => `${c.expiry}|${c.kind}`, (c) => c.strike)) {
    for (let i = 0; i + 1 < g.length; i++) {
      const lo = g[i]!;
      const hi = g[i + 1]!;
      // Calls: buy the lower strike, sell the higher; puts the other way round.
      const [buyC, sellC] = lo.kind === 'call' ? [lo, hi] : [hi, lo];
      const a = best(buyC, 'ask');
      const b = best(sellC, 'bid');
      if (a && b && b.net - a.net >= rules.minArbUsd) {
        const legs = [leg(b, 'sell'), leg(a, 'buy')];
        out.push({ kind: 'vertical', underlying, legs, edge: b.net - a.net, edgeUnit: 'usd', size: sizeOf(legs), detail: `sell ${sellC.strike} on ${VENUE_LABELS[b.leg.venue]} at ${money(b.leg.priceUsd)}, buy ${buyC.strike} on ${VENUE_LABELS[a.leg.venue]} at ${money(a.leg.priceUsd)}: the spread cannot be worth less than zero${where(legs)}`, since: now });
      }
      if (i + 2 < g.length) {
        const [k1, k2, k3] = [g[i]!, g[i + 1]!, g[i + 2]!];
        const w1 = best(k1, 'ask');
        const w3 = best(k3, 'ask');
        const body = best(k2, 'bid');
        if (w1 && w3 && body) {
          // Unequal strike spacing: λ of the lower wing and (1 − λ) of the upper one per body.
          const lambda = (k3.strike - k2.strike) / (k3.strike - k1.strike);
          const edge = body.net - lambda * w1.net - (1 - lambda) * w3.net;
          if (edge >= rules.minArbUsd) {
            const legs = [leg(body, 'sell'), leg(w1, 'buy', lambda), leg(w3, 'buy', 1 - lambda)];
            out.push({ kind: 'butterfly', underlying, legs, edge, edgeUnit: 'usd', size: sizeOf(legs), detail: `sell ${k2.strike} on ${VENUE_LABELS[body.leg.venue]}, buy ${lambda.toFixed(2)} × ${k1.strike} on ${VENUE_LABELS[w1.leg.venue]} and ${(1 - lambda).toFixed(2)} × ${k3.strike} on ${VENUE_LABELS[w3.leg.venue]}: a butterfly cannot cost less than zero${where(legs)}`, since: now });
          }
        }
      }
    }
  }

  // Same strike and type across expiries: total variance may not fall with time (pricing.md §3.1).
  for (const g of groupSorted(contracts, (c) => `${c.strike}|${c.kind}`, (c) => c.expiry)) {
    for (let i = 0; i + 1 < g.length; i++) {
      const near = g[i]!;
      const far = g[i + 1]!;
      const b = best(near, 'bid');
      const a = best(far, 'ask');
      const tNear = near.expiry - now;
      const tFar = far.expiry - now;
      if (!b || !a || !(b.iv > 0 && a.iv > 0 && tNear > 0)) continue;
      // Vol the far option would need to carry the near one's total variance.
      const needed = Math.sqrt((b.iv * b.iv * tNear) / tFar);
      const edge = (needed - a.iv) * 100 * val(far, 'vega') - a.leg.feeUsd - b.leg.feeUsd;
      if (edge >= rules.minArbUsd) {
        const legs = [leg(b, 'sell'), leg(a, 'buy')];
        out.push({ kind: 'calendar', underlying, legs, edge, edgeUnit: 'usd', size: sizeOf(legs), detail: `sell ${near.name} on ${VENUE_LABELS[b.leg.venue]} at IV ${volPct(b.iv)}, buy ${far.name} on ${VENUE_LABELS[a.leg.venue]} at IV ${volPct(a.iv)}: total variance falls with time${where(legs)}`, since: now });
      }
    }
  }
  return out.sort((x, y) => y.edge - x.edge);
}

/** Carries each finding's first sighting over from the last scan: how long an edge has lasted. */
export function carrySince(before: readonly Mispricing[] | undefined, found: Mispricing[]): void {
  const since = new Map((before ?? []).map((m) => [mispricingKey(m), m.since]));
  for (const m of found) m.since = since.get(mispricingKey(m)) ?? m.since;
}
