import type { AccountSummary } from '../../../shared/domain/portfolio.ts';
import type { AaveMarginInput } from '../risk/ladder-margin.ts';
import { AaveReader, type AaveAccountData, type AaveMarketRef } from '../../venues/aave/aave-reader.ts';

/*
 * Aave v3 accounts, read once a second (a block is 12 s on mainnet, instant on the paper
 * market; the oracle moves between blocks only). Each read becomes an account row with its
 * health factor; a failed read keeps the last good one and says why, so the monitor's rules see
 * a stale account rather than a healthy-looking blank.
 */
export interface AaveWatchOptions {
  market: AaveMarketRef;
  accounts: string[];
  /** After every read (the accounts' read time moved). */
  changed: () => void;
  /** Only when an account's figures moved (health factor, collateral, debt, a price): the monitor judges at once. */
  moved?: () => void;
  now: () => number;
  pollMs?: number;
}

export class AaveWatch {
  private readonly o: AaveWatchOptions;
  private readonly reader: AaveReader;
  private readonly last = new Map<string, { data: AaveAccountData | null; error: string | null; at: number }>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private reading = false;

  constructor(options: AaveWatchOptions) {
    this.o = options;
    this.reader = new AaveReader(options.market);
  }

  start(): void {
    void this.read();
    this.timer ??= setInterval(() => void this.read(), this.o.pollMs ?? 1_000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.reader.close();
  }

  async read(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      let moved = false;
      for (const a of this.o.accounts) {
        const prev = this.last.get(a);
        try {
          const data = await this.reader.account(a, this.o.now());
          moved ||= !prev?.data || prev.error !== null || figures(prev.data) !== figures(data);
          this.last.set(a, { data, error: null, at: this.o.now() });
        } catch (err) {
          moved ||= prev?.error === null;
          this.last.set(a, { data: prev?.data ?? null, error: `Aave could not be read: ${(err as Error).message.slice(0, 200)}`, at: this.o.now() });
        }
      }
      this.o.changed();
      if (moved) this.o.moved?.();
    } finally {
      this.reading = false;
    }
  }

  data(account: string): AaveAccountData | null {
    return this.last.get(account.toLowerCase())?.data ?? null;
  }

  /** Why the last read of the account failed, or null. */
  error(account: string): string | null {
    return this.last.get(account.toLowerCase())?.error ?? null;
  }

  /**
   * Each account's reserves for the Greeks ladder of `underlying`: wrapped tokens (WETH, WBTC)
   * move with their coin, the rest (stablecoins) stay. Only accounts with something that moves.
   */
  marginInputs(underlying: string): AaveMarginInput[] {
    const out: AaveMarginInput[] = [];
    for (const [account, { data }] of this.last) {
      if (!data || data.debtUsd <= 0) continue;
      const reserves = data.reserves.map((r) => ({ suppliedUsd: r.supplied * r.priceUsd, borrowedUsd: r.borrowed * r.priceUsd, collateral: r.collateral, movesWithUnderlying: coinOf(r.symbol) === underlying }));
      if (reserves.some((r) => r.movesWithUnderlying && (r.suppliedUsd > 0 || r.borrowedUsd > 0))) out.push({ account, liquidationThreshold: data.liquidationThreshold, reserves });
    }
    return out;
  }

  summaries(): AccountSummary[] {
    return [...this.last.entries()].map(([account, { data, error, at }]) => ({
      source: 'aave',
      account,
      equityUsd: data ? data.collateralUsd - data.debtUsd : null,
      marginUsedUsd: data ? data.debtUsd : null,
      maintenanceUsd: data ? data.collateralUsd * data.liquidationThreshold : null,
      healthFactor: data ? data.healthFactor : null,
      updatedAt: data ? data.readAt : at,
      error,
    }));
  }
}

/** The coin a reserve's price follows: WETH → ETH, WBTC → BTC; anything else is itself. */
export function coinOf(symbol: string): string {
  return /^W(ETH|BTC)$/.test(symbol) ? symbol.slice(1) : symbol;
}

/** What a trader watches on an account, as one comparable string. */
function figures(d: AaveAccountData): string {
  return `${d.healthFactor}|${d.collateralUsd}|${d.debtUsd}|${d.reserves.map((r) => `${r.priceUsd}:${r.supplied}:${r.borrowed}`).join(',')}`;
}
