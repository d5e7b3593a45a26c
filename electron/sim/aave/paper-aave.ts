import { Contract, ContractFactory, NonceManager, Wallet, parseUnits } from 'ethers';
import type { SimMarket } from '../sim-market.ts';
import { artifact, deployAaveMarket, localProvider, type AaveMarket } from './deploy-market.ts';
import { DEV_DEPLOYER_KEY, startLocalEvm, type LocalEvm } from './local-evm.ts';

/*
 * Paper mode's Aave v3: the real market on the local EVM, a liquidity provider, and a paper
 * borrower (10 WETH supplied, 15,000 USDC borrowed: health factor about 1.65 at $3,000) whose
 * collateral is priced by the simulated ETH spot, so its health factor moves with the market the
 * perps and options trade on. The oracle follows the spot once a second when it moved.
 */

export interface AaveEndpoints {
  rpcUrl: string;
  chainId: number;
  market: AaveMarket;
  /** The paper borrower, watched like the Hyperliquid paper account. */
  paperAccount: string;
}

export interface PaperAave {
  endpoints: AaveEndpoints;
  /** Moves the WETH oracle price now (tests; the follower does it from the spot otherwise). */
  setWethPrice(usd: number): Promise<void>;
  /**
   * Moves one reserve's oracle price now, and for `holdMs` stops the WETH oracle following the
   * spot: an oracle that has left the market (a depeg, a frozen or broken feed) stays where put.
   */
  setPrice(symbol: 'WETH' | 'USDC', usd: number, holdMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Anvil's second development account: the paper borrower (public knowledge, never real). */
export const PAPER_BORROWER_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
/** The oracle is moved when the spot has moved more than this since the last push. */
const FOLLOW_THRESHOLD = 0.0005;

export async function startPaperAave(market: SimMarket | null, options: { followMs?: number; wethPrice?: number } = {}): Promise<PaperAave> {
  const evm: LocalEvm = await startLocalEvm();
  try {
    const spot = market?.coin('ETH')?.mid ?? options.wethPrice ?? 3_000;
    const m = await deployAaveMarket(evm.url, evm.chainId, DEV_DEPLOYER_KEY, { weth: spot, usdc: 1 });
    const rpc = localProvider(evm.url, evm.chainId);
    const admin = new NonceManager(new Wallet(DEV_DEPLOYER_KEY, rpc));
    const borrower = new NonceManager(new Wallet(PAPER_BORROWER_KEY, rpc));
    const erc20 = artifact('MintableERC20').abi;
    const poolAbi = artifact('Pool').abi;
    const wait = async (p: Promise<{ wait: () => Promise<unknown> }>): Promise<void> => void (await (await p).wait());
    const call = (c: Contract, method: string, ...args: unknown[]) => (c[method] as (...a: unknown[]) => Promise<{ wait: () => Promise<unknown> }>)(...args);
    // Liquidity: the admin supplies 1 M USDC for the paper borrower to borrow.
    const usdcAdmin = new Contract(m.usdc, erc20, admin);
    await wait(call(usdcAdmin, 'mint(address,uint256)', m.admin, parseUnits('1000000', 6)));
    await wait(call(usdcAdmin, 'approve', m.pool, parseUnits('1000000', 6)));
    await wait(call(new Contract(m.pool, poolAbi, admin), 'supply', m.usdc, parseUnits('1000000', 6), m.admin, 0));
    // The paper borrower: 10 WETH in, USDC out to a health factor near 1.65 at the start price.
    const borrowerAddress = await borrower.getAddress();
    const wethBorrower = new Contract(m.weth, erc20, borrower);
    await wait(call(wethBorrower, 'mint(address,uint256)', borrowerAddress, parseUnits('10', 18)));
    await wait(call(wethBorrower, 'approve', m.pool, parseUnits('10', 18)));
    const poolBorrower = new Contract(m.pool, poolAbi, borrower);
    await wait(call(poolBorrower, 'supply', m.weth, parseUnits('10', 18), borrowerAddress, 0));
    const borrowUsd = Math.floor((10 * spot * 0.825) / 1.65);
    await wait(call(poolBorrower, 'borrow', m.usdc, parseUnits(String(borrowUsd), 6), 2n, 0, borrowerAddress));

    const oracle = new Contract(m.oracle, artifact('AaveOracle').abi, admin);
    let pushed = spot;
    let holdUntil = 0;
    let pushing: Promise<void> = Promise.resolve();
    const setPrice = (symbol: 'WETH' | 'USDC', usd: number, holdMs = 0): Promise<void> => {
      // 0 releases a hold: the follower puts the spot back within its next second.
      holdUntil = holdMs > 0 ? Date.now() + holdMs : 0;
      pushing = pushing.then(async () => {
        // The chain decides the nonce (a test may have reverted it, or used the admin key itself).
        admin.reset();
        const a = artifact('MockAggregator');
        const agg = await new ContractFactory(a.abi, a.bytecode, admin).deploy(BigInt(Math.round(usd * 1e8)));
        await agg.waitForDeployment();
        await wait(call(oracle, 'setAssetSources', [symbol === 'WETH' ? m.weth : m.usdc], [await agg.getAddress()]));
        if (symbol === 'WETH') pushed = usd;
      });
      return pushing;
    };
    const setWethPrice = (usd: number): Promise<void> => setPrice('WETH', usd);
    const timer = market
      ? setInterval(() => {
          const now = market.coin('ETH')?.mid;
          if (Date.now() < holdUntil) return;
          if (now && Math.abs(now / pushed - 1) > FOLLOW_THRESHOLD) void setWethPrice(now).catch(() => undefined);
        }, options.followMs ?? 1_000)
      : null;
    return {
      endpoints: { rpcUrl: evm.url, chainId: evm.chainId, market: m, paperAccount: borrowerAddress.toLowerCase() },
      setWethPrice,
      setPrice,
      close: async () => {
        if (timer) clearInterval(timer);
        await pushing.catch(() => undefined);
        rpc.destroy();
        await evm.stop();
      },
    };
  } catch (err) {
    await evm.stop();
    throw err;
  }
}
