import { JsonRpcProvider, Network } from 'ethers';

/**
 * A JSON-RPC provider for one chain, one request per call: ethers batches calls by default and
 * stalls each by 10 ms, and caches answers a moment, both wrong for figures that must be current.
 * `pollingIntervalMs` is how often ethers itself polls (tx.wait); the local chain wants it short.
 */
export function evmRpc(url: string, chainId: number, pollingIntervalMs?: number): JsonRpcProvider {
  return new JsonRpcProvider(url, Network.from(chainId), { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1, ...(pollingIntervalMs ? { pollingInterval: pollingIntervalMs } : {}) });
}
