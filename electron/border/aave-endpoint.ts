import type { EngineReady } from './engine-client.ts';

/**
 * The Aave market main checks transactions against: the running engine's paper market (its
 * simulator deployed it), or none. A live market needs its RPC and addresses configured; until
 * then main signs no Aave transaction on a live network.
 */
export function aaveMarketOf(ready: EngineReady): { rpcUrl: string; chainId: number; pool: string; oracle: string; reserves: { symbol: string; address: string; decimals: number }[] } | null {
  const aave = ready.sim?.aave;
  if (!aave || !('market' in aave) || ready.endpoints.hyperliquid.network !== 'paper') return null;
  const m = aave.market;
  return { rpcUrl: aave.rpcUrl, chainId: aave.chainId, pool: m.pool, oracle: m.oracle, reserves: m.reserves };
}
