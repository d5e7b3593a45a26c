import type { EngineReady } from './engine-client.ts';

/** Where the running engine's Deribit is, for main's trading connection; on paper with the simulator's key. */
export function deribitEndpointOf(ready: EngineReady): { wsUrl: string; network: EngineReady['endpoints']['hyperliquid']['network']; paperKey: { clientId: string; clientSecret: string } | null } | null {
  const d = ready.endpoints.deribit;
  if (!d) return null;
  const paperKey = d.network === 'paper' && ready.sim ? { clientId: ready.sim.deribit.clientId, clientSecret: ready.sim.deribit.clientSecret } : null;
  return { wsUrl: d.wsUrl, network: d.network, paperKey };
}
