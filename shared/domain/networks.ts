/*
 * Which network each venue runs on (issue "Orders, part 1", item 7). Paper is DeltaDesk's own
 * simulator; testnet and mainnet are the venue's. The same adapters and executor run on all
 * three: only the endpoints (and, for Hyperliquid, the chain a signature names) differ.
 */
export const NETWORKS = ['paper', 'testnet', 'mainnet'] as const;
export type Network = (typeof NETWORKS)[number];

export interface VenueNetworks {
  hyperliquid: Network;
  deribit: Network;
  /** Derive's own switch (a settings file from before it had one: Derive follows Deribit). */
  derive: Network;
}

export const NETWORK_VENUES = ['hyperliquid', 'deribit', 'derive'] as const satisfies readonly (keyof VenueNetworks)[];

export const PAPER_NETWORKS: VenueNetworks = { hyperliquid: 'paper', deribit: 'paper', derive: 'paper' };

/** Whether two settings put every venue on the same network. */
export const sameNetworks = (a: VenueNetworks, b: VenueNetworks): boolean => NETWORK_VENUES.every((v) => a[v] === b[v]);

/** Every venue on its simulator. */
export const allPaper = (n: VenueNetworks): boolean => NETWORK_VENUES.every((v) => n[v] === 'paper');

/** The venues' published endpoints (venues.md §1.1, §2.1; Derive's with its signing constants, venues/derive/signing.ts). */
export const VENUE_ENDPOINTS = {
  hyperliquid: {
    testnet: { httpUrl: 'https://api.hyperliquid-testnet.xyz', wsUrl: 'wss://api.hyperliquid-testnet.xyz/ws' },
    mainnet: { httpUrl: 'https://api.hyperliquid.xyz', wsUrl: 'wss://api.hyperliquid.xyz/ws' },
  },
  deribit: {
    testnet: { wsUrl: 'wss://test.deribit.com/ws/api/v2' },
    mainnet: { wsUrl: 'wss://www.deribit.com/ws/api/v2' },
  },
} as const;

/** What a switch must be confirmed with, typed exactly, before a venue runs on mainnet. */
export const MAINNET_CONFIRMATION = 'MAINNET';

/** The venues a change moves onto mainnet (each needs the typed confirmation). */
export function newlyMainnet(from: VenueNetworks, to: VenueNetworks): (keyof VenueNetworks)[] {
  return (Object.keys(to) as (keyof VenueNetworks)[]).filter((v) => to[v] === 'mainnet' && from[v] !== 'mainnet');
}
