import { NETWORK_VENUES } from '../../../../shared/domain/networks.ts';
import { VENUE_LABELS } from '../../../../shared/domain/venues.ts';
import { useHealthStore } from '../../stores/health-store.ts';

/**
 * Always on screen while any venue is off paper: which venues are live and on which network.
 * Mainnet is red (real orders, real money), testnet amber; on all-paper it is absent.
 */
export function LiveBanner() {
  const networks = useHealthStore((s) => s.networks);
  if (!networks) return null;
  const live = (Object.entries(networks) as [keyof typeof networks, string][]).filter(([, n]) => n !== 'paper');
  if (!live.length) return null;
  const mainnet = live.some(([, n]) => n === 'mainnet');
  return (
    <div className={`banner live ${mainnet ? 'mainnet' : 'testnet'}`} role="status" data-testid="live-banner">
      <strong>{mainnet ? 'LIVE' : 'TESTNET'}</strong> {live.map(([v, n]) => `${VENUE_LABELS[v]} ${n}`).join(' · ')}
      {mainnet ? ' — orders here are real and spend real money' : ' — the venue’s test network, no real money'}
      {live.length < NETWORK_VENUES.length ? ` · ${NETWORK_VENUES.filter((v) => networks[v] === 'paper').map((v) => `${VENUE_LABELS[v]} paper`).join(' · ')}` : ''}
    </div>
  );
}
