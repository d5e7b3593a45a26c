import { Contract, type TransactionLike } from 'ethers';
import { ERC20, MAX_FEE_GWEI, ORACLE, POOL_TOP_UPS as POOL } from '../../venues/aave/aave-abi.ts';
import { evmRpc } from '../../venues/aave/evm-rpc.ts';
import type { AaveTxRequest } from '../../engine/host-protocol.ts';
import type { ReadAction } from './hyperliquid-action.ts';

/*
 * What main reads in an Aave transaction before it signs one (DESIGN.md §6): the chain, the
 * destination, the call and its arguments, decoded by main itself. Only three calls are signed:
 * an ERC-20 approve of a listed reserve to the pool, and supply or repay of a listed reserve on
 * behalf of the signer — the moves that raise a health factor. Borrow and withdraw lower it and
 * are never signed for automation. The amount is valued with the market's own oracle, read by
 * main, never with a price the engine sent. Fees are capped.
 */

export interface AaveGuardConfig {
  rpcUrl: string;
  chainId: number;
  pool: string;
  oracle: string;
  reserves: { symbol: string; address: string; decimals: number }[];
}

const MAX_GAS = 2_000_000n;


export interface ReadAaveTx {
  tx: TransactionLike;
  action: ReadAction;
  /** What the journal and the trader read: "supply 1.25 WETH ($3,750) to the Aave pool". */
  what: string;
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

async function priceUsd(config: AaveGuardConfig, asset: string): Promise<number> {
  const rpc = evmRpc(config.rpcUrl, config.chainId);
  try {
    const oracle = new Contract(config.oracle, ORACLE, rpc);
    const [price, unit] = (await Promise.all([oracle.getAssetPrice!(asset), oracle.BASE_CURRENCY_UNIT!()])) as [bigint, bigint];
    if (price <= 0n) throw new Error('the oracle gives no price');
    return Number(price) / Number(unit);
  } finally {
    rpc.destroy();
  }
}

/** Reads the transaction, or says in words why it will not be signed. */
export async function readAaveTx(request: AaveTxRequest, config: AaveGuardConfig | null): Promise<ReadAaveTx | string> {
  if (!config) return 'no Aave market is known to this host; nothing signed';
  const t = request.tx;
  if (t.chainId !== config.chainId) return `the transaction is for chain ${t.chainId}, the Aave market is on ${config.chainId}; nothing signed`;
  if (BigInt(t.value) !== 0n) return 'an Aave top-up sends no ether; nothing signed';
  if (BigInt(t.gasLimit) > MAX_GAS) return `gas limit ${t.gasLimit} is above ${MAX_GAS}; nothing signed`;
  const maxFeeGwei = Number(BigInt(t.maxFeePerGas)) / 1e9;
  if (maxFeeGwei > MAX_FEE_GWEI) return `the fee bid ${maxFeeGwei.toFixed(1)} gwei is above the ${MAX_FEE_GWEI} gwei cap; nothing signed`;
  if (BigInt(t.maxPriorityFeePerGas) > BigInt(t.maxFeePerGas)) return 'the priority fee is above the fee cap; nothing signed';
  const tx: TransactionLike = { type: 2, chainId: t.chainId, to: t.to, data: t.data, nonce: t.nonce, gasLimit: BigInt(t.gasLimit), maxFeePerGas: BigInt(t.maxFeePerGas), maxPriorityFeePerGas: BigInt(t.maxPriorityFeePerGas), value: 0n };
  const reserve = config.reserves.find((r) => same(r.address, t.to));
  if (reserve) {
    let call;
    try {
      call = ERC20.parseTransaction({ data: t.data });
    } catch {
      call = null;
    }
    if (!call || call.name !== 'approve') return `only approve is signed on the ${reserve.symbol} token; nothing signed`;
    const spender = call.args[0] as string;
    if (!same(spender, config.pool)) return `approve names ${spender} as spender, not the Aave pool; nothing signed`;
    const amount = Number(call.args[1] as bigint) / 10 ** reserve.decimals;
    return { tx, action: { kind: 'no-exposure', what: `approve ${amount} ${reserve.symbol} to the Aave pool` }, what: `approve ${amount} ${reserve.symbol} to the Aave pool` };
  }
  if (!same(t.to, config.pool)) return `the destination ${t.to} is neither the Aave pool nor a listed reserve; nothing signed`;
  let call;
  try {
    call = POOL.parseTransaction({ data: t.data });
  } catch {
    call = null;
  }
  if (!call) return 'only supply and repay are signed on the Aave pool (borrow and withdraw lower the health factor); nothing signed';
  const asset = call.args[0] as string;
  const listed = config.reserves.find((r) => same(r.address, asset));
  if (!listed) return `${asset} is not a listed reserve; nothing signed`;
  const onBehalfOf = call.args[call.name === 'supply' ? 2 : 3] as string;
  if (!same(onBehalfOf, request.from)) return `the ${call.name} is on behalf of ${onBehalfOf}, not the signer ${request.from}; nothing signed`;
  const raw = call.args[1] as bigint;
  if (raw >= 2n ** 255n) return `an unlimited ${call.name} amount is not signed; name the amount`;
  if (call.name === 'repay' && (call.args[2] as bigint) !== 2n) return 'only variable-rate debt is repaid; nothing signed';
  const tokens = Number(raw) / 10 ** listed.decimals;
  let usd: number;
  try {
    usd = tokens * (await priceUsd(config, listed.address));
  } catch (err) {
    return `cannot value the ${call.name}: the oracle could not be read (${(err as Error).message}); nothing signed`;
  }
  return { tx, action: { kind: 'collateral', asset: -1, amountUsd: usd, ...(call.name === 'repay' ? { repay: true } : {}) }, what: `${call.name} ${tokens} ${listed.symbol} ($${usd.toFixed(2)}) to the Aave pool` };
}
