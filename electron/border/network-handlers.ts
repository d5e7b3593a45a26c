import type { EngineBoot } from '../engine/host-protocol.ts';
import type { HostHandlers } from './command-router.ts';
import type { NetworkSettings } from './network-settings.ts';

/**
 * The network commands, the same in both hosts: read the setting, or change it and restart the
 * engine on the new endpoints (the vault follows: agents are per network, so a mainnet switch
 * signs nothing until a mainnet agent is approved).
 */
export function networkHandlers(settings: NetworkSettings, engine: { reboot(boot: EngineBoot): void }, boot: () => EngineBoot): Pick<HostHandlers, 'app.networks' | 'app.setNetworks'> {
  return {
    'app.networks': () => settings.describe(),
    'app.setNetworks': async ({ networks, confirm }) => {
      const { changed } = await settings.set(networks, confirm);
      if (changed) engine.reboot(boot());
      return settings.describe();
    },
  };
}

/** The engine's boot with the venues' networks as set. */
export function bootWithNetworks(base: EngineBoot, settings: NetworkSettings): EngineBoot {
  const networks = settings.current;
  return { ...base, mode: networks.hyperliquid === 'paper' ? 'paper' : 'live', networks, ...(settings.testnetAtSim ? { testnetAtSim: true } : {}) };
}
