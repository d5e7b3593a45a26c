import { groupBy } from '../../../shared/collections.ts';
import type { Mispricing, OptionContract, OptionUnderlying } from '../../../shared/domain/options.ts';
import type { OptionsBoard } from './options-board.ts';

export interface MispricingRules {
  /** Rich bid / cheap ask: distance from the fitted surface, vol points, after fees. */
  minVolPoints: number;
  /** Arbitrage: smallest profit per contract after fees, USD. */
  minArbUsd: number;
  /** Taker fee per contract in coin, capped at `feeCap` × premium (Deribit: 0.0003, 12.5 %). */
  takerFeeCoin: number;
  feeCap: number;
}

export const DEFAULT_RULES: MispricingRules = { minVolPoints: 2, minArbUsd: 1, takerFeeCoin: 0.0003, feeCap: 0.125 };

/** Contracts grouped by `key`, each group ordered by `order`. */
function groupSorted(contracts: readonly OptionContract[], key: (c: OptionContract) => string, order: (c: OptionContract) => number): OptionContract[][] {
  return [...groupBy(contracts, key).values()].map((g) => g.sort((a, b) => order(a) - order(b)));
}

/** Fee in coin for one contract at `premium` coin. */
function fee(rules: MispricingRules, premium: number): number {
  return Math.min(rules.takerFeeCoin, rules.feeCap * premium);
}

/**
 * Options whose quotes sit off the fitted surface, and no-arbitrage violations in the venue's own
 * quotes (vertical, butterfly, calendar), all net of taker fees. A trader would hit the bid of a
 * rich option or lift the offer of a cheap one; an arbitrage is a combination executable at the
 * quoted prices for a riskless profit.
 */
export function findMispricings(board: OptionsBoard, underlying: OptionUnderlying, contracts: readonly OptionContract[], now: number, rules = DEFAULT_RULES): Mispricing[] {
  const out: Mispricing[] = [];
  const val = (c: OptionContract, f: Parameters<OptionsBoard['get']>[1]): number => board.get(c.row, f);
  const usd = (c: OptionContract, coin: number): number => coin * val(c, 'index');

  for (const c of contracts) {
    const fit = val(c, 'fitIv');
    const vega = val(c, 'vega');
    if (!(fit > 0) || !(vega > 0)) continue;
    const bid = val(c, 'bid');
    const ask = val(c, 'ask');
    const bidIv = val(c, 'bidIv');
    const askIv = val(c, 'askIv');
    if (bid > 0 && bidIv > 0) {
      const edge = (bidIv - fit) * 100 - usd(c, fee(rules, bid)) / vega;
      if (edge >= rules.minVolPoints) {
        out.push({ kind: 'rich-bid', underlying, legs: [c.name], edge, edgeUnit: 'vol-pt', detail: `sell at ${bid} (bid IV ${(bidIv * 100).toFixed(1)} % vs surface ${(fit * 100).toFixed(1)} %)`, since: now });
      }
    }
    if (ask > 0 && askIv > 0) {
      const edge = (fit - askIv) * 100 - usd(c, fee(rules, ask)) / vega;
      if (edge >= rules.minVolPoints) {
        out.push({ kind: 'cheap-ask', underlying, legs: [c.name], edge, edgeUnit: 'vol-pt', detail: `buy at ${ask} (ask IV ${(askIv * 100).toFixed(1)} % vs surface ${(fit * 100).toFixed(1)} %)`, since: now });
      }
    }
  }

  // Same expiry and type, by strike: price must fall (calls) or rise (puts) with strike, convexly.
  for (const g of groupSorted(contracts, (c) => `${c.expiry}|${c.kind}`, (c) => c.strike)) {
    for (let i = 0; i + 1 < g.length; i++) {
      const lo = g[i]!;
      const hi = g[i + 1]!;
      // Calls: buy the lower strike, sell the higher; puts the other way round.
      const [buy, sell] = lo.kind === 'call' ? [lo, hi] : [hi, lo];
      const a = val(buy, 'ask');
      const b = val(sell, 'bid');
      if (a > 0 && b > 0) {
        const edge = usd(buy, b - a - fee(rules, a) - fee(rules, b));
        if (edge >= rules.minArbUsd) {
          out.push({ kind: 'vertical', underlying, legs: [sell.name, buy.name], edge, edgeUnit: 'usd', detail: `sell ${sell.name} at ${b}, buy ${buy.name} at ${a}: the spread cannot be worth less than zero`, since: now });
        }
      }
      if (i + 2 < g.length) {
        const k1 = g[i]!;
        const k2 = g[i + 1]!;
        const k3 = g[i + 2]!;
        const a1 = val(k1, 'ask');
        const a3 = val(k3, 'ask');
        const b2 = val(k2, 'bid');
        if (a1 > 0 && a3 > 0 && b2 > 0) {
          // Unequal strike spacing: λ of the lower wing and (1 − λ) of the upper one per body.
          const lambda = (k3.strike - k2.strike) / (k3.strike - k1.strike);
          const cost = lambda * (a1 + fee(rules, a1)) + (1 - lambda) * (a3 + fee(rules, a3)) - (b2 - fee(rules, b2));
          const edge = -usd(k2, cost);
          if (edge >= rules.minArbUsd) {
            out.push({ kind: 'butterfly', underlying, legs: [k2.name, k1.name, k3.name], edge, edgeUnit: 'usd', detail: `sell ${k2.name} at ${b2}, buy ${lambda.toFixed(2)} × ${k1.name} and ${(1 - lambda).toFixed(2)} × ${k3.name}: a butterfly cannot cost less than zero`, since: now });
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
      const bidIv = val(near, 'bidIv');
      const askIv = val(far, 'askIv');
      const tNear = near.expiry - now;
      const tFar = far.expiry - now;
      if (!(bidIv > 0 && askIv > 0 && tNear > 0)) continue;
      // Vol the far option would need to carry the near one's total variance.
      const needed = Math.sqrt((bidIv * bidIv * tNear) / tFar);
      const vega = val(far, 'vega');
      const edge = (needed - askIv) * 100 * vega - usd(far, fee(rules, val(far, 'ask')) + fee(rules, val(near, 'bid')));
      if (edge >= rules.minArbUsd) {
        out.push({ kind: 'calendar', underlying, legs: [near.name, far.name], edge, edgeUnit: 'usd', detail: `sell ${near.name} at IV ${(bidIv * 100).toFixed(1)} %, buy ${far.name} at IV ${(askIv * 100).toFixed(1)} %: total variance falls with time`, since: now });
      }
    }
  }
  return out.sort((a, b) => b.edge - a.edge);
}
