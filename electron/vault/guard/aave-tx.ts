import { Contract, type TransactionLike } from 'ethers';
import { ERC20, MAX_FEE_GWEI, ORACLE, POOL_READS, POOL_TOP_UPS as POOL, POOL_WITHDRAW } from '../../venues/aave/aave-abi.ts';
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
  const withdraw = readWithdraw(t.data);
  if (withdraw) return checkWithdraw(request, config, tx, withdraw);
  let call;
  try {
    call = POOL.parseTransaction({ data: t.data });
  } catch {
    call = null;
  }
  if (!call) return 'only supply and repay are signed on the Aave pool (borrow lowers the health factor; withdraw only for the kill switch, with no debt left); nothing signed';
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

function readWithdraw(data: string): { asset: string; amount: bigint; to: string } | null {
  try {
    const call = POOL_WITHDRAW.parseTransaction({ data });
    return call ? { asset: call.args[0] as string, amount: call.args[1] as bigint, to: call.args[2] as string } : null;
  } catch {
    return null;
  }
}

/**
 * A withdraw is signed only for the kill switch, only to the signer's own wallet, and only when
 * main itself reads no debt on the account: collateral leaving then cannot bring a liquidation.
 */
async function checkWithdraw(request: AaveTxRequest, config: AaveGuardConfig, tx: TransactionLike, w: { asset: string; amount: bigint; to: string }): Promise<ReadAaveTx | string> {
  const listed = config.reserves.find((r) => same(r.address, w.asset));
  if (!listed) return `${w.asset} is not a listed reserve; nothing signed`;
  if (request.purpose !== 'flatten') return 'a withdraw is signed only for the kill switch; nothing signed';
  if (!same(w.to, request.from)) return `the withdraw pays ${w.to}, not the signer ${request.from}; nothing signed`;
  const rpc = evmRpc(config.rpcUrl, config.chainId);
  let debt: bigint;
  try {
    const data = (await new Contract(config.pool, POOL_READS, rpc).getUserAccountData!(request.from)) as bigint[];
    debt = data[1]!;
  } catch (err) {
    return `cannot read the account's debt (${(err as Error).message}); nothing signed`;
  } finally {
    rpc.destroy();
  }
  // Under a cent of interest dust is no debt; anything more must be repaid first.
  if (debt >= 1_000_000n) return `the account still owes $${(Number(debt) / 1e8).toFixed(2)}: withdrawing collateral would lower its health factor; repay first; nothing signed`;
  const all = w.amount >= 2n ** 255n;
  const what = `withdraw ${all ? 'all' : Number(w.amount) / 10 ** listed.decimals} ${listed.symbol} from the Aave pool to ${request.from}`;
  return { tx, action: { kind: 'no-exposure', what }, what };
}
