import type { SimCoin } from '../sim-market.ts';

/*
 * The simulated Deribit's BTC and ETH perpetuals (venues-trading D11, D13, D14): inverse, sized in
 * USD (contracts of 10 USD for BTC, 1 USD for ETH), priced on a 0.5 / 0.05 USD tick, matched
 * against the same simulated market the Hyperliquid simulator serves (one underlying, two
 * venues, as a hedger sees them). Taker 0.05 %, maker 0 %, fees and PnL in coin. Standard margin:
 * IM = coin × (2 % + coin × k), MM = coin × (1 % + coin × k), k 0.005 % BTC / 0.0004 % ETH.
 */

export const PERP_RULES: Record<string, { contract: number; tick: number; k: number }> = {
  BTC: { contract: 10, tick: 0.5, k: 0.00005 },
  ETH: { contract: 1, tick: 0.05, k: 0.000004 },
};
export const PERP_TAKER_FEE = 0.0005;

export interface PerpPosition {
  /** Signed USD. */
  sizeUsd: number;
  averagePrice: number;
  realisedCoin: number;
}

/** The coin of a perpetual's name ("BTC-PERPETUAL" → "BTC"), or null for anything else. */
export function perpCoin(name: string): string | null {
  const m = /^(BTC|ETH)-PERPETUAL$/.exec(name);
  return m ? m[1]! : null;
}

/** Levels best first as [price USD, size USD]: the shared book's coin sizes at its prices. */
export function perpLevels(coin: SimCoin, side: 'buy' | 'sell'): [number, number][] {
  return coin.book.sorted(side === 'buy' ? 'ask' : 'bid').map((l) => {
    const px = l.ticks * coin.tick;
    return [px, l.size * px];
  });
}

/** Adds a fill of `signedUsd` at `price`; a reduction realises the inverse PnL in coin. */
export function applyPerpFill(p: PerpPosition, signedUsd: number, price: number): void {
  if (p.sizeUsd === 0 || Math.sign(p.sizeUsd) === Math.sign(signedUsd)) {
    const size = p.sizeUsd + signedUsd;
    // Inverse: the average entry is the USD-weighted harmonic mean.
    p.averagePrice = size / (p.sizeUsd / (p.averagePrice || price) + signedUsd / price);
    p.sizeUsd = size;
    return;
  }
  const closing = Math.min(Math.abs(signedUsd), Math.abs(p.sizeUsd)) * Math.sign(p.sizeUsd);
  p.realisedCoin += closing * (1 / p.averagePrice - 1 / price);
  const after = p.sizeUsd + signedUsd;
  if (Math.abs(after) < 1e-9) Object.assign(p, { sizeUsd: 0, averagePrice: 0 });
  else if (Math.sign(after) !== Math.sign(p.sizeUsd)) Object.assign(p, { sizeUsd: after, averagePrice: price });
  else p.sizeUsd = after;
}

export function perpMargins(coinName: string, sizeUsd: number, mark: number): { initial: number; maintenance: number; sizeCoin: number } {
  const k = PERP_RULES[coinName]!.k;
  const sizeCoin = Math.abs(sizeUsd) / mark;
  return { initial: sizeCoin * (0.02 + sizeCoin * k), maintenance: sizeCoin * (0.01 + sizeCoin * k), sizeCoin };
}

/**
 * Estimated liquidation price of a lone perp on balance B (D14, derived): solve
 * k·x² + 1.01·x − (B + S/e) = 0 (long) or k·x² − 0.99·x − (B − S/e) = 0 (short) for x coins; S/x.
 */
export function perpLiquidationPrice(coinName: string, sizeUsd: number, entry: number, balance: number): number | null {
  if (sizeUsd === 0) return null;
  const k = PERP_RULES[coinName]!.k;
  const s = Math.abs(sizeUsd);
  const [b, c] = sizeUsd > 0 ? [1.01, -(balance + s / entry)] : [-0.99, -(balance - s / entry)];
  const disc = b * b - 4 * k * c;
  if (disc < 0) return null;
  const roots = [(-b + Math.sqrt(disc)) / (2 * k), (-b - Math.sqrt(disc)) / (2 * k)].filter((x) => x > 0);
  const prices = roots.map((x) => s / x).filter((px) => (sizeUsd > 0 ? px < entry : px > entry));
  return prices.length ? (sizeUsd > 0 ? Math.max(...prices) : Math.min(...prices)) : null;
}
