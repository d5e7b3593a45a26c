import { useEffect, useState } from 'react';
import type { CommandResponse } from '../../../../shared/contract/commands.ts';
import { MAINNET_CONFIRMATION, NETWORK_VENUES, NETWORKS, newlyMainnet, sameNetworks, type Network, type VenueNetworks } from '../../../../shared/domain/networks.ts';
import { VENUE_LABELS } from '../../../../shared/domain/venues.ts';
import { call } from '../../bridge/terminal.ts';

type Described = CommandResponse<'app.networks'>;

/**
 * Paper, testnet or mainnet, per venue. Applying restarts the engine on the new endpoints; a
 * venue newly on mainnet needs the word typed. Agents are per network: one approved on paper
 * signs nothing on mainnet.
 */
export function NetworksPanel() {
  const [described, setDescribed] = useState<Described | null>(null);
  const [draft, setDraft] = useState<VenueNetworks | null>(null);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void call('app.networks', {}).then(
      (d) => {
        setDescribed(d);
        setDraft(d.networks);
      },
      (e: Error) => setError(e.message),
    );
  }, []);
  if (!described || !draft) return <div className="panel networks">{error ? <p className="form-error">{error}</p> : <p className="muted">Reading the network settings…</p>}</div>;
  const onto = newlyMainnet(described.networks, draft);
  const changed = !sameNetworks(draft, described.networks);
  const apply = async (): Promise<void> => {
    setBusy(true);
    try {
      const d = await call('app.setNetworks', { networks: draft, confirm: onto.length ? typed : null });
      setDescribed(d);
      setDraft(d.networks);
      setTyped('');
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="panel networks" aria-label="Networks">
      <div className="panel-header">Venues and networks</div>
      {NETWORK_VENUES.map((v) => (
        <div className="tool-row" key={v}>
          <span className="network-venue">{VENUE_LABELS[v]}</span>
          <select aria-label={`${VENUE_LABELS[v]} network`} value={draft[v]} onChange={(e) => setDraft({ ...draft, [v]: e.target.value as Network })}>
            {NETWORKS.map((n) => (
              <option key={n} value={n}>
                {n}
                {n === 'testnet' && described.testnetAtSim ? ' (built-in simulator)' : ''}
              </option>
            ))}
          </select>
          {described.networks[v] !== 'paper' ? <span className={`network-tag ${described.networks[v]}`}>{described.networks[v]}</span> : <span className="muted">simulated market</span>}
        </div>
      ))}
      {onto.length ? (
        <div className="tool-row">
          <label className="muted" htmlFor="mainnet-confirm">
            {onto.map((v) => VENUE_LABELS[v]).join(' and ')} on mainnet trades real money. Type {MAINNET_CONFIRMATION}:
          </label>
          <input id="mainnet-confirm" className="num-input" value={typed} onChange={(e) => setTyped(e.target.value)} aria-label="Type MAINNET to confirm" autoComplete="off" />
        </div>
      ) : null}
      <div className="tool-row">
        <button className="primary" disabled={!changed || busy || (onto.length > 0 && typed !== MAINNET_CONFIRMATION)} onClick={() => void apply()}>
          {busy ? 'Restarting…' : 'Apply and restart the engine'}
        </button>
        <span className="muted">Agents and Derive session keys are per network: approve one for each network you trade on.</span>
      </div>
      {described.notice ? <p className="form-error">{described.notice}</p> : null}
      {error ? (
        <p className="form-error" data-testid="error-networks">
          {error}
        </p>
      ) : null}
    </div>
  );
}
