import { useState } from 'react';
import type { VaultStatus } from '../../../../shared/contract/vault-schemas.ts';
import { call } from '../../bridge/terminal.ts';
import { useVaultStore } from '../../stores/vault-store.ts';
import { FormError, useOwnerConfirm } from './OwnerConfirm.tsx';

/**
 * Deribit API keys: the client id is shown, the secret goes once into main and is never shown or
 * sent anywhere again. Main logs Deribit in with it and sends every Deribit order after the budget.
 */
export function ApiKeysPanel({ status }: { status: VaultStatus }) {
  const act = useVaultStore((s) => s.act);
  const [label, setLabel] = useState('');
  const [network, setNetwork] = useState<'testnet' | 'mainnet'>('testnet');
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const [deleting, setDeleting] = useState<string | null>(null);
  const owner = useOwnerConfirm(status, 'Delete API key');
  const unlocked = status.state === 'unlocked';
  return (
    <div className="panel api-keys" aria-label="API keys">
      <div className="panel-header">API keys · Deribit</div>
      {status.apiKeys.length === 0 ? (
        <div className="empty">No Deribit key. Paper trades on the simulator's account; testnet and mainnet need a key with trade scope (Deribit → Account → API).</div>
      ) : (
        <table className="keys-table">
          <thead>
            <tr>
              <th>Label</th>
              <th>Network</th>
              <th>Client id</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {status.apiKeys.map((k) => (
              <tr key={k.id} className={`key-row${k.damaged ? ' damaged' : ''}`}>
                <td>{k.label}</td>
                <td className={k.network === 'mainnet' ? 'warn' : ''}>{k.network}</td>
                <td className="mono">{k.clientId}</td>
                <td>
                  {k.damaged ? <span className="form-error">damaged</span> : null}
                  {unlocked && deleting !== k.id ? (
                    <button className="toggle danger" onClick={() => setDeleting(k.id)}>
                      Delete
                    </button>
                  ) : null}
                  {deleting === k.id ? (
                    <span className="tool-row">
                      {owner.field}
                      <button
                        className="danger"
                        disabled={!owner.confirm}
                        onClick={() => void act('apiKeys', () => call('vault.deleteApiKey', { id: k.id, confirm: owner.confirm! })).then(() => (setDeleting(null), owner.reset()))}
                      >
                        Delete for good
                      </button>
                      <button className="toggle" onClick={() => setDeleting(null)}>
                        Keep
                      </button>
                    </span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {unlocked ? (
        <form
          className="vault-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act('apiKeys', () => call('vault.addApiKey', { venue: 'deribit', network, label, clientId: clientId.trim(), clientSecret: secret })).then((ok) => ok && (setSecret(''), setClientId(''), setLabel('')));
          }}
        >
          <div className="tool-row">
            <input placeholder="Label" aria-label="Name for this API key" value={label} maxLength={40} onChange={(e) => setLabel(e.target.value)} />
            <select aria-label="API key network" value={network} onChange={(e) => setNetwork(e.target.value as 'testnet' | 'mainnet')}>
              <option value="testnet">Testnet</option>
              <option value="mainnet">Mainnet</option>
            </select>
          </div>
          <input placeholder="Client id" aria-label="Client id" autoComplete="off" spellCheck={false} value={clientId} onChange={(e) => setClientId(e.target.value)} />
          <input type="password" placeholder="Client secret (shown once at Deribit; never shown here again)" aria-label="Client secret" autoComplete="off" spellCheck={false} value={secret} onChange={(e) => setSecret(e.target.value)} />
          <button type="submit" disabled={!label.trim() || !clientId.trim() || !secret}>
            Add API key
          </button>
        </form>
      ) : null}
      <FormError form="apiKeys" />
    </div>
  );
}
