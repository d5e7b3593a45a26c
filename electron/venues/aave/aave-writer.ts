import { Contract, parseUnits, type JsonRpcProvider } from 'ethers';
import { ERC20, POOL_TOP_UPS as POOL, POOL_WITHDRAW } from './aave-abi.ts';
import { evmRpc } from './evm-rpc.ts';
import type { AaveMarketRef, AaveReserveRef } from './aave-reader.ts';

/*
 * Aave v3 writes for top-ups: ERC-20 approve, supply and repay, as EIP-1559 transactions built
 * here (nonce, gas, fees from the chain), signed by main (which reads them itself and checks them
 * against the budget) and broadcast here; then the receipt is awaited and a revert is told in
 * words (Aave's numeric error codes, decoded). The nonce is the chain's pending count, or one past
 * our last transaction while the node still holds that one (a node slow to count it must not make
 * us reuse its nonce); a transaction the chain forgot (dropped, or a reorg) never leaves the next
 * one waiting behind a gap. A gas price above the cap waits instead of overpaying.
 */

export type AavePurpose = 'top-up' | 'manual' | 'flatten';
export type AaveSign = (request: { from: string; tx: AaveUnsignedTx; purpose: AavePurpose; summary: string }) => Promise<{ rawTx: string }>;

export interface AaveUnsignedTx {
  chainId: number;
  to: string;
  data: string;
  nonce: number;
  gasLimit: string;
  maxFeePerGas: string;
  maxPriorityFeePerGas: string;
  value: string;
}


/** Aave v3's error codes (Errors.sol) in words, for the ones a top-up can meet. */
const AAVE_ERRORS: Record<string, string> = {
  '26': 'the amount is zero or invalid',
  '27': 'the reserve is not active',
  '28': 'the reserve is frozen',
  '29': 'the reserve is paused',
  '32': 'not enough balance in the wallet',
  '34': 'no collateral balance',
  '35': 'the health factor would be below the liquidation threshold',
  '39': 'no debt of that type to repay',
  '43': 'the wallet holds none of the asset',
  '51': 'the reserve’s supply cap is reached',
  '59': 'the price oracle sentinel refused (sequencer down or grace period)',
};

export class AaveTxFailed extends Error {}

export interface AaveWriterOptions {
  market: AaveMarketRef;
  sign: AaveSign;
  /** Highest fee per gas paid, gwei (main caps it too). */
  gasCapGwei: number;
  receiptTimeoutMs?: number;
}

function reason(err: unknown): string {
  const e = err as { reason?: string; shortMessage?: string; message?: string; info?: { error?: { message?: string } } };
  const text = e.reason ?? e.info?.error?.message ?? e.shortMessage ?? e.message ?? 'unknown error';
  const code = /(?:reverted(?: with reason string)?:?\s*'?|execution reverted:?\s*)(\d{1,3})'?/.exec(text)?.[1] ?? (/^\d{1,3}$/.test(e.reason ?? '') ? e.reason : undefined);
  return code ? `Aave refused: ${AAVE_ERRORS[code] ?? `error ${code}`} (code ${code})` : text.slice(0, 300);
}

export class AaveWriter {
  private readonly o: AaveWriterOptions;
  private readonly rpc: JsonRpcProvider;
  /** Per account, our last transaction sent: its nonce and hash. */
  private readonly lastSent = new Map<string, { nonce: number; hash: string }>();
  private sending: Promise<unknown> = Promise.resolve();

  constructor(options: AaveWriterOptions) {
    this.o = options;
    this.rpc = evmRpc(options.market.rpcUrl, options.market.chainId);
  }

  async balance(owner: string, reserve: AaveReserveRef): Promise<number> {
    const token = new Contract(reserve.address, ERC20, this.rpc);
    return Number((await token.balanceOf!(owner)) as bigint) / 10 ** reserve.decimals;
  }

  /** Supplies `tokens` of a reserve as collateral for `from` (approving the pool first when needed). */
  supply(from: string, reserve: AaveReserveRef, tokens: number, purpose: AavePurpose, gasCapGwei = this.o.gasCapGwei): Promise<string[]> {
    return this.serial(async () => {
      const amount = parseUnits(tokens.toFixed(reserve.decimals), reserve.decimals);
      if (amount <= 0n) throw new AaveTxFailed('the amount rounds to zero');
      const have = (await new Contract(reserve.address, ERC20, this.rpc).balanceOf!(from)) as bigint;
      if (have < amount) throw new AaveTxFailed(`the wallet holds ${Number(have) / 10 ** reserve.decimals} ${reserve.symbol}, less than the ${tokens} ${reserve.symbol} to supply`);
      const hashes: string[] = [];
      const allowance = (await new Contract(reserve.address, ERC20, this.rpc).allowance!(from, this.o.market.pool)) as bigint;
      if (allowance < amount) hashes.push(await this.send(from, reserve.address, ERC20.encodeFunctionData('approve', [this.o.market.pool, amount]), purpose, `approve ${tokens} ${reserve.symbol} to the Aave pool`, gasCapGwei));
      hashes.push(await this.send(from, this.o.market.pool, POOL.encodeFunctionData('supply', [reserve.address, amount, from, 0]), purpose, `supply ${tokens} ${reserve.symbol} to Aave`, gasCapGwei));
      return hashes;
    });
  }

  /**
   * Repays up to `tokens` of variable-rate debt for `from` from its wallet (approving the pool
   * first when needed). Aave takes only what is owed; a little over the debt covers the interest
   * that accrues while the transaction lands.
   */
  repay(from: string, reserve: AaveReserveRef, tokens: number, purpose: AavePurpose): Promise<string[]> {
    return this.serial(async () => {
      const amount = parseUnits(tokens.toFixed(reserve.decimals), reserve.decimals);
      if (amount <= 0n) throw new AaveTxFailed('the amount rounds to zero');
      const token = new Contract(reserve.address, ERC20, this.rpc);
      const have = (await token.balanceOf!(from)) as bigint;
      if (have <= 0n) throw new AaveTxFailed(`the wallet holds no ${reserve.symbol} to repay with`);
      const pay = have < amount ? have : amount;
      const hashes: string[] = [];
      const allowance = (await token.allowance!(from, this.o.market.pool)) as bigint;
      const words = `${Number(pay) / 10 ** reserve.decimals} ${reserve.symbol}`;
      if (allowance < pay) hashes.push(await this.send(from, reserve.address, ERC20.encodeFunctionData('approve', [this.o.market.pool, pay]), purpose, `approve ${words} to the Aave pool`, this.o.gasCapGwei));
      hashes.push(await this.send(from, this.o.market.pool, POOL.encodeFunctionData('repay', [reserve.address, pay, 2, from]), purpose, `repay ${words} of Aave debt`, this.o.gasCapGwei));
      return hashes;
    });
  }

  /** The collateral of a reserve back to `from`'s own wallet: `tokens`, or all of it (null). Main signs it only with no debt left. */
  withdraw(from: string, reserve: AaveReserveRef, tokens: number | null, purpose: AavePurpose): Promise<string[]> {
    return this.serial(async () => {
      const amount = tokens === null ? 2n ** 256n - 1n : parseUnits(tokens.toFixed(reserve.decimals), reserve.decimals);
      if (amount <= 0n) throw new AaveTxFailed('the amount rounds to zero');
      return [await this.send(from, this.o.market.pool, POOL_WITHDRAW.encodeFunctionData('withdraw', [reserve.address, amount, from]), purpose, `withdraw ${tokens === null ? 'all' : tokens} ${reserve.symbol} from Aave to the wallet`, this.o.gasCapGwei)];
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.sending.then(fn, fn);
    this.sending = run.catch(() => undefined);
    return run;
  }

  /** Builds, has main sign, broadcasts and waits for one transaction; its hash, or why it failed. */
  private async send(from: string, to: string, data: string, purpose: AavePurpose, summary: string, gasCapGwei: number): Promise<string> {
    const key = from.toLowerCase();
    const nonce = await this.nonceFor(from);
    const fees = await this.rpc.getFeeData();
    const cap = parseUnits(String(Math.min(gasCapGwei, this.o.gasCapGwei)), 'gwei');
    const priority = fees.maxPriorityFeePerGas ?? parseUnits('1', 'gwei');
    const maxFee = fees.maxFeePerGas ?? cap;
    if ((fees.gasPrice ?? 0n) > cap) throw new AaveTxFailed(`gas is ${Number(fees.gasPrice) / 1e9} gwei, above the ${Math.min(gasCapGwei, this.o.gasCapGwei)} gwei cap; nothing sent`);
    let gas: bigint;
    try {
      gas = await this.rpc.estimateGas({ from, to, data });
    } catch (err) {
      throw new AaveTxFailed(reason(err));
    }
    const tx: AaveUnsignedTx = { chainId: this.o.market.chainId, to, data, nonce, gasLimit: String((gas * 12n) / 10n), maxFeePerGas: String(maxFee < cap ? maxFee : cap), maxPriorityFeePerGas: String(priority < cap ? priority : cap), value: '0' };
    const { rawTx } = await this.o.sign({ from, tx, purpose, summary });
    let hash: string;
    try {
      hash = (await this.rpc.send('eth_sendRawTransaction', [rawTx])) as string;
    } catch (err) {
      // Not taken: the nonce is free again for the next attempt.
      throw new AaveTxFailed(`the node refused the transaction: ${reason(err)}`);
    }
    this.lastSent.set(key, { nonce, hash });
    // Right after sending a receipt can still be null: poll until it is there.
    const end = Date.now() + (this.o.receiptTimeoutMs ?? 60_000);
    for (;;) {
      const receipt = await this.rpc.getTransactionReceipt(hash);
      if (receipt) {
        if (receipt.status === 1) return hash;
        let why = 'reverted';
        try {
          await this.rpc.call({ from, to, data, blockTag: receipt.blockNumber });
        } catch (err) {
          why = reason(err);
        }
        throw new AaveTxFailed(`${summary} reverted: ${why}`);
      }
      if (Date.now() > end) throw new AaveTxFailed(`${summary}: no receipt within ${(this.o.receiptTimeoutMs ?? 60_000) / 1000} s (transaction ${hash}); check it before anything is sent again`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async nonceFor(from: string): Promise<number> {
    const chain = await this.rpc.getTransactionCount(from, 'pending');
    const last = this.lastSent.get(from.toLowerCase());
    if (!last || last.nonce < chain) return chain;
    // The chain counts fewer than we sent: one past ours only while the node still has ours.
    return (await this.rpc.getTransaction(last.hash)) ? last.nonce + 1 : chain;
  }

  close(): void {
    this.rpc.destroy();
  }
}
