import { maintenanceFraction, venueLiquidationPx } from './margin-rules.ts';
import type { SimMarket } from '../sim-market.ts';
import { wireSize } from '../wire-format.ts';

/** The paper account's address; paper mode watches it, as a trader would watch their own. */
export const PAPER_ADDRESS = '0x5eed00000000000000000000000000000000d35c';

interface PaperPerp {
  coin: string;
  szi: number;
  entryPx: number;
  leverage: { type: 'cross' | 'isolated'; value: number };
  /** Isolated only: margin put up at entry, USD. */
  isolatedMargin: number;
  fundingAllTime: number;
  fundingSinceOpen: number;
}


/**
 * The perp hedge of the paper book: short BTC and ETH perps that roughly offset the delta of the
 * simulated Deribit options, one cross and one isolated, so both margin modes and their
 * liquidation prices show. `clearinghouseState` is computed from live mids as the venue would.
 */
export class PaperPerpAccount {
  readonly address: string;
  private readonly perps: PaperPerp[] = [];
  /** Cross collateral, USD: deposits, realised PnL, less fees. */
  private cash: number;
  private readonly market: SimMarket;
  private everFunded = false;
  private lastFundingHour: number | null = null;
  private readonly defaultLeverage = new Map<string, number>();
  /** Coins set to isolated margin (updateLeverage with isCross false): new positions open isolated. */
  private readonly isolatedCoins = new Set<string>();

  /** `seeded`: the paper book's hedge (the paper account); otherwise an empty account with `cash`. */
  constructor(market: SimMarket, now: number, options: { seeded?: boolean; cash?: number; address?: string } = {}) {
    this.market = market;
    this.lastFundingHour = Math.floor(now / 3_600_000);
    this.cash = options.cash ?? 120_000;
    this.address = options.address ?? PAPER_ADDRESS;
    if (options.seeded === false) return;
    const entry = (coin: string, m: number): number => Number(((market.coin(coin)?.mid ?? 0) * m).toPrecision(5));
    if (market.coin('BTC')) this.perps.push({ coin: 'BTC', szi: -4, entryPx: entry('BTC', 1.004), leverage: { type: 'cross', value: 10 }, isolatedMargin: 0, fundingAllTime: -312.4, fundingSinceOpen: 0 });
    if (market.coin('ETH')) {
      const px = entry('ETH', 0.997);
      this.perps.push({ coin: 'ETH', szi: -20, entryPx: px, leverage: { type: 'isolated', value: 5 }, isolatedMargin: (20 * px) / 5, fundingAllTime: 41.7, fundingSinceOpen: 0 });
    }
  }

  /** Paper deposits (the testnet faucet's part): USDC into the cross balance. */
  deposit(usd: number): void {
    if (!(usd > 0)) throw new RangeError('a deposit must be positive');
    this.cash += usd;
    this.everFunded = true;
  }

  /** Whether the account ever held funds: the venue refuses actions from one that never did. */
  get funded(): boolean {
    return this.everFunded || this.cash > 0 || this.perps.length > 0;
  }

  /**
   * Collateral free for a new order's initial margin, USD: cross account value less the margin
   * the cross positions use (the venue's `withdrawable` before the transfer rule).
   */
  freeCollateral(): number {
    let crossUpnl = 0;
    let crossMargin = 0;
    for (const p of this.perps) {
      if (p.leverage.type !== 'cross') continue;
      const mark = this.market.coin(p.coin)?.mid ?? p.entryPx;
      crossUpnl += p.szi * (mark - p.entryPx);
      crossMargin += (Math.abs(p.szi) * mark) / p.leverage.value;
    }
    return this.cash + crossUpnl - crossMargin;
  }

  /** The leverage a new position in `coin` opens at (the account's setting for it). */
  leverageFor(coin: string): number {
    return this.perps.find((p) => p.coin === coin)?.leverage.value ?? this.defaultLeverage.get(coin) ?? 20;
  }

  setLeverage(coin: string, value: number, cross: boolean): string | null {
    const p = this.perps.find((x) => x.coin === coin);
    if (p && (p.leverage.type === 'cross') !== cross) return 'Cannot switch leverage type with open position.';
    if (p) p.leverage.value = value;
    this.defaultLeverage.set(coin, value);
    if (cross) this.isolatedCoins.delete(coin);
    else this.isolatedCoins.add(coin);
    return null;
  }

  /** Adds (or removes, negative) isolated margin; the venue's refusals in its words. */
  moveIsolatedMargin(coin: string, usd: number): string | null {
    const p = this.perps.find((x) => x.coin === coin);
    if (!p || p.leverage.type !== 'isolated') return 'Cannot update margin for a position that is not isolated.';
    if (usd > 0 && usd > this.freeCollateral()) return 'Insufficient margin to update isolated margin.';
    if (usd < 0) {
      const mark = this.market.coin(coin)?.mid ?? p.entryPx;
      const floor = Math.max((Math.abs(p.szi) * mark) / p.leverage.value, 0.1 * Math.abs(p.szi) * mark);
      if (p.isolatedMargin + p.szi * (mark - p.entryPx) + usd < floor) return 'Insufficient margin for reduction.';
    }
    p.isolatedMargin += usd;
    this.cash -= usd;
    return null;
  }

  /**
   * Hourly funding (venues-trading H5.3): at each top of the hour every position pays or receives
   * szi · mark · rate; cross into the balance, isolated into its margin. Returns the payments made.
   */
  applyFunding(now: number, rate: number): { coin: string; usdc: number; szi: number }[] {
    const hour = Math.floor(now / 3_600_000);
    if (this.lastFundingHour === null) {
      this.lastFundingHour = hour;
      return [];
    }
    if (hour <= this.lastFundingHour) return [];
    this.lastFundingHour = hour;
    const paid: { coin: string; usdc: number; szi: number }[] = [];
    for (const p of this.perps) {
      const mark = this.market.coin(p.coin)?.mid;
      if (!mark) continue;
      const usdc = -p.szi * mark * rate;
      if (p.leverage.type === 'isolated') p.isolatedMargin += usdc;
      else this.cash += usdc;
      p.fundingAllTime -= usdc;
      p.fundingSinceOpen -= usdc;
      paid.push({ coin: p.coin, usdc, szi: p.szi });
    }
    return paid;
  }

  /** Signed size in coins (0 when flat). */
  position(coin: string): number {
    return this.perps.find((p) => p.coin === coin)?.szi ?? 0;
  }

  /**
   * A fill of `signed` coins (+ buy) at `px`, paying `fee` USD: adds to the position at a new
   * average entry, or reduces it and realises PnL into the collateral; a flip opens the rest at px.
   */
  applyFill(coin: string, signed: number, px: number, fee: number): { closedPnl: number; startPosition: number } {
    this.cash -= fee;
    const existing = this.perps.find((p) => p.coin === coin);
    const start = existing?.szi ?? 0;
    if (!existing) {
      // An isolated position's margin moves out of the cross balance into the position.
      const isolated = this.isolatedCoins.has(coin);
      const leverage = this.leverageFor(coin);
      const margin = isolated ? (Math.abs(signed) * px) / leverage : 0;
      this.cash -= margin;
      this.perps.push({ coin, szi: signed, entryPx: px, leverage: { type: isolated ? 'isolated' : 'cross', value: leverage }, isolatedMargin: margin, fundingAllTime: 0, fundingSinceOpen: 0 });
      return { closedPnl: 0, startPosition: 0 };
    }
    if (Math.sign(existing.szi) === Math.sign(signed)) {
      const size = existing.szi + signed;
      existing.entryPx = (existing.entryPx * existing.szi + px * signed) / size;
      if (existing.leverage.type === 'isolated') {
        const margin = (Math.abs(signed) * px) / existing.leverage.value;
        existing.isolatedMargin += margin;
        this.cash -= margin;
      }
      existing.szi = size;
      return { closedPnl: 0, startPosition: start };
    }
    const closing = Math.min(Math.abs(signed), Math.abs(existing.szi));
    const closedPnl = closing * (px - existing.entryPx) * Math.sign(existing.szi);
    this.cash += closedPnl;
    const after = existing.szi + signed;
    if (existing.leverage.type === 'isolated') {
      // The margin of the part closed goes back to the cross balance.
      const released = existing.isolatedMargin * (1 - Math.min(1, Math.abs(after) / Math.abs(existing.szi)));
      existing.isolatedMargin -= released;
      this.cash += released;
    }
    if (Math.abs(after) < 1e-12) this.perps.splice(this.perps.indexOf(existing), 1);
    else if (Math.sign(after) !== Math.sign(existing.szi)) Object.assign(existing, { szi: after, entryPx: px });
    else existing.szi = after;
    return { closedPnl, startPosition: start };
  }

  /** The account as `clearinghouseState` reports it; decimals as strings. */
  state(now: number): Record<string, unknown> {
    const rows = this.perps.map((p) => {
      const coin = this.market.coin(p.coin)!;
      const mark = coin.mid;
      const upnl = p.szi * (mark - p.entryPx);
      const value = Math.abs(p.szi) * mark;
      return { p, mark, upnl, value, maxLeverage: coin.config.maxLeverage };
    });
    const cross = rows.filter((x) => x.p.leverage.type === 'cross');
    const crossValue = this.cash + cross.reduce((s, x) => s + x.upnl, 0);
    const crossMaintenance = cross.reduce((s, x) => s + x.value * maintenanceFraction(x.maxLeverage), 0);
    const crossMarginUsed = cross.reduce((s, x) => s + x.value / x.p.leverage.value, 0);
    const isolatedValue = rows.filter((x) => x.p.leverage.type === 'isolated').reduce((s, x) => s + x.p.isolatedMargin + x.upnl, 0);
    const assetPositions = rows.map(({ p, mark, upnl, value, maxLeverage }) => {
      const isolated = p.leverage.type === 'isolated';
      const equity = isolated ? p.isolatedMargin + upnl : crossValue;
      const others = isolated ? 0 : crossMaintenance - value * maintenanceFraction(maxLeverage);
      const liq = venueLiquidationPx(p.szi, mark, maxLeverage, equity, others);
      // Funding is applied each hour (applyFunding); these are what it added up to (paid > 0).
      const sinceOpen = p.fundingSinceOpen;
      return {
        type: 'oneWay',
        position: {
          coin: p.coin,
          szi: wireSize(p.szi, this.market.coin(p.coin)?.config.szDecimals ?? 4),
          entryPx: wireSize(p.entryPx, 2),
          leverage: isolated ? { type: 'isolated', value: p.leverage.value, rawUsd: wireSize(p.isolatedMargin - p.szi * p.entryPx, 6) } : { type: 'cross', value: p.leverage.value },
          liquidationPx: liq === null ? null : wireSize(liq, 8),
          marginUsed: wireSize(isolated ? equity : value / p.leverage.value, 6),
          maxLeverage,
          positionValue: wireSize(value, 5),
          returnOnEquity: wireSize(upnl / ((Math.abs(p.szi) * p.entryPx) / p.leverage.value), 7),
          unrealizedPnl: wireSize(upnl, 4),
          cumFunding: { allTime: wireSize(p.fundingAllTime, 6), sinceChange: wireSize(sinceOpen, 6), sinceOpen: wireSize(sinceOpen, 6) },
        },
      };
    });
    const totalNtl = rows.reduce((s, x) => s + x.value, 0);
    const crossSummary = { accountValue: wireSize(crossValue, 6), totalMarginUsed: wireSize(crossMarginUsed, 6), totalNtlPos: wireSize(cross.reduce((s, x) => s + x.value, 0), 6), totalRawUsd: wireSize(this.cash, 6) };
    return {
      assetPositions,
      crossMaintenanceMarginUsed: wireSize(crossMaintenance, 6),
      crossMarginSummary: crossSummary,
      marginSummary: {
        accountValue: wireSize(crossValue + isolatedValue, 6),
        totalMarginUsed: wireSize(crossMarginUsed + isolatedValue, 6),
        totalNtlPos: wireSize(totalNtl, 6),
        totalRawUsd: wireSize(this.cash + isolatedValue, 6),
      },
      time: now,
      withdrawable: wireSize(Math.max(0, crossValue - crossMarginUsed), 6),
    };
  }
}

/** What the venue answers for an address it does not know: an empty account, not an error. */
export function emptyClearinghouseState(now: number): Record<string, unknown> {
  const zero = { accountValue: '0.0', totalMarginUsed: '0.0', totalNtlPos: '0.0', totalRawUsd: '0.0' };
  return { assetPositions: [], crossMaintenanceMarginUsed: '0.0', crossMarginSummary: zero, marginSummary: zero, time: now, withdrawable: '0.0' };
}
