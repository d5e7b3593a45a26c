import { Contract, type JsonRpcProvider } from 'ethers';
import { DATA_PROVIDER, ORACLE, POOL_READS } from './aave-abi.ts';
import { evmRpc } from './evm-rpc.ts';

/*
 * Reads an Aave v3 account over JSON-RPC (DESIGN.md §3, venues.md §4): the pool's
 * getUserAccountData (collateral, debt and what can still be borrowed, in the market's base
 * currency — USD with 8 decimals — the liquidation threshold and the health factor, 18
 * decimals), and per reserve the oracle price and the account's supply and debt. The same
 * selectors as the live markets, so this reads mainnet as it reads the paper market.
 */

export interface AaveReserveRef {
  symbol: string;
  address: string;
  decimals: number;
}

export interface AaveMarketRef {
  rpcUrl: string;
  chainId: number;
  pool: string;
  oracle: string;
  dataProvider: string;
  reserves: AaveReserveRef[];
}

export interface AaveReserveHolding {
  symbol: string;
  /** Oracle price, USD per token. */
  priceUsd: number;
  /** Supplied (aToken balance) and borrowed (stable + variable), tokens. */
  supplied: number;
  borrowed: number;
  collateral: boolean;
}

export interface AaveAccountData {
  account: string;
  collateralUsd: number;
  debtUsd: number;
  availableBorrowsUsd: number;
  /** Weighted liquidation threshold and LTV of the collateral, fractions. */
  liquidationThreshold: number;
  ltv: number;
  /** null: no debt, nothing to liquidate. */
  healthFactor: number | null;
  reserves: AaveReserveHolding[];
  readAt: number;
}

/** Health factor as Aave defines it for no debt: the largest uint256. */
const NO_DEBT = 2n ** 255n;

const units = (v: bigint, decimals: number): number => Number(v) / 10 ** decimals;

export class AaveReader {
  private readonly rpc: JsonRpcProvider;
  private readonly pool: Contract;
  private readonly oracle: Contract;
  private readonly data: Contract;
  private readonly market: AaveMarketRef;

  constructor(market: AaveMarketRef) {
    this.market = market;
    this.rpc = evmRpc(market.rpcUrl, market.chainId);
    this.pool = new Contract(market.pool, POOL_READS, this.rpc);
    this.oracle = new Contract(market.oracle, ORACLE, this.rpc);
    this.data = new Contract(market.dataProvider, DATA_PROVIDER, this.rpc);
  }

  async account(user: string, now: number = Date.now()): Promise<AaveAccountData> {
    const [d, unit] = await Promise.all([this.pool.getUserAccountData!(user) as Promise<bigint[]>, this.oracle.BASE_CURRENCY_UNIT!() as Promise<bigint>]);
    const base = Math.round(Math.log10(Number(unit)));
    const reserves = await Promise.all(
      this.market.reserves.map(async (r) => {
        const [price, u] = await Promise.all([this.oracle.getAssetPrice!(r.address) as Promise<bigint>, this.data.getUserReserveData!(r.address, user) as Promise<(bigint | boolean)[]>]);
        return { symbol: r.symbol, priceUsd: units(price, base), supplied: units(u[0] as bigint, r.decimals), borrowed: units((u[1] as bigint) + (u[2] as bigint), r.decimals), collateral: u[8] as boolean };
      }),
    );
    const hf = d[5]!;
    return {
      account: user.toLowerCase(),
      collateralUsd: units(d[0]!, base),
      debtUsd: units(d[1]!, base),
      availableBorrowsUsd: units(d[2]!, base),
      liquidationThreshold: Number(d[3]!) / 10_000,
      ltv: Number(d[4]!) / 10_000,
      // Interest dust left after a full repay (under a cent) is no debt to liquidate: a health factor in the billions says nothing.
      healthFactor: hf >= NO_DEBT || units(d[1]!, base) < 0.01 ? null : units(hf, 18),
      reserves,
      readAt: now,
    };
  }

  close(): void {
    this.rpc.destroy();
  }
}
