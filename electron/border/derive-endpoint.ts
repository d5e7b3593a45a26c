import type { EngineReady } from './engine-client.ts';

/** Where the running engine's Derive is, for main's own line (signed actions go over HTTP from main). */
export function deriveEndpointOf(ready: EngineReady): { httpUrl: string; network: EngineReady['endpoints']['hyperliquid']['network']; chainId: number } | null {
  const d = ready.endpoints.derive;
  return d ? { httpUrl: d.httpUrl, network: d.network, chainId: d.chainId } : null;
}
