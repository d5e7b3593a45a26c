import { RegisterSessionKey } from './SessionKeyForm.tsx';
import { NetworksPanel } from './NetworksPanel.tsx';
import { useEffect, useState } from 'react';
import type { CommandResponse } from '../../../../shared/contract/commands.ts';
import type { VaultStatus } from '../../../../shared/contract/vault-schemas.ts';
import { useNow } from '../../app/use-now.ts';
import { NARROW, useMediaQuery } from '../../app/use-media.ts';
import { call } from '../../bridge/terminal.ts';
import { useVaultStore } from '../../stores/vault-store.ts';
import { ApiKeysPanel } from './ApiKeysPanel.tsx';
import { BudgetEditor } from './BudgetEditor.tsx';
import { FormError, useOwnerConfirm } from './OwnerConfirm.tsx';
import { ApproveAgent, CreateVault, ImportKey, RevokeAll } from './VaultForms.tsx';
import { expiryText, shortAddress } from './vault-format.ts';

export function VaultWorkspace() {
  const status = useVaultStore((s) => s.status);
  const setUnlockOpen = useVaultStore((s) => s.setUnlockOpen);
  if (!status) return <div className="empty large">Reading the vault…</div>;
  return (
    <div className="vault-workspace">
      <section className="vault-main">
        <div className="panel vault-state">
          <div className="panel-header">
            Vault · <span className={`state-${status.state}`}>{status.state === 'absent' ? 'not created' : status.state}</span>
            <span className="spacer" />
            {status.state === 'locked' ? (
              <button className="primary" onClick={() => setUnlockOpen(true)}>
                Unlock
              </button>
            ) : null}
          </div>
          {status.problem ? <p className="form-error">{status.problem}{status.keptAs ? ` A copy is at ${status.keptAs}.` : ''}</p> : null}
          {status.state === 'locked' && status.lockReason ? <p className="muted">Locked: {status.lockReason}</p> : null}
          {status.state === 'unlocked' ? <IdleLock status={status} /> : null}
          <FormError form="lock" />
          <FormError form="idle" />
        </div>
        {status.state === 'absent' ? <CreateVault /> : null}
        {status.state !== 'absent' && status.state !== 'damaged' ? <KeysTable status={status} /> : null}
        {status.state === 'unlocked' ? (
          <div className="vault-forms">
            <ImportKey />
            <ApproveAgent status={status} />
            <RegisterSessionKey status={status} />
            <RevokeAll status={status} />
          </div>
        ) : null}
        {status.state !== 'absent' ? <Journal /> : null}
      </section>
      <aside className="vault-side">
        <NetworksPanel />
        {status.state !== 'absent' && status.state !== 'damaged' ? <ApiKeysPanel status={status} /> : null}
        <LedgerPanel status={status} />
        {status.state === 'unlocked' || status.budget ? <BudgetEditor status={status} /> : null}
      </aside>
    </div>
  );
}

function IdleLock({ status }: { status: VaultStatus }) {
  const act = useVaultStore((s) => s.act);
  return (
    <div className="tool-row">
      <span className="muted">Lock after</span>
      <select aria-label="Idle lock" value={status.idleLockMinutes} onChange={(e) => void act('idle', () => call('vault.setIdleLock', { minutes: Number(e.target.value) }))}>
        {[1, 5, 15, 30, 60, 240].map((m) => (
          <option key={m} value={m}>
            {m} min idle
          </option>
        ))}
      </select>
      <span className="muted">· also on sleep and screen lock · press L to lock now</span>
    </div>
  );
}

function KeysTable({ status }: { status: VaultStatus }) {
  const act = useVaultStore((s) => s.act);
  const now = useNow(1000);
  const [exporting, setExporting] = useState<string | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [deleting, setDeleting] = useState<string | null>(null);
  // Below 1400 px addresses are shortened so the actions stay in view; the whole one is in the tooltip.
  const narrow = useMediaQuery(NARROW);
  const owner = useOwnerConfirm(status, 'Delete key');
  const unlocked = status.state === 'unlocked';
  const exportKey = async (id: string): Promise<void> => {
    await act('keys', async () => {
      const { fileName, keystore } = await call('vault.exportKey', { id, passphrase });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([keystore], { type: 'application/json' }));
      a.download = fileName;
      a.click();
      URL.revokeObjectURL(a.href);
    });
    setPassphrase('');
    setExporting(null);
  };
  return (
    <div className="panel">
      <div className="panel-header">Keys</div>
      {status.keys.length === 0 && status.ledgerAccounts.length === 0 ? <div className="empty">No keys yet. Import a master key or add a Ledger, then approve an agent to trade.</div> : (
      <div className="keys-scroll">
      <table className="keys-table">
        <thead>
          <tr>
            <th>Label</th>
            <th>Role</th>
            <th>Address</th>
            <th>Venue</th>
            <th>Agent of · expiry</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {status.ledgerAccounts.map((a) => (
            <tr key={a.address}>
              <td>{a.label}</td>
              <td>Ledger</td>
              <td className="mono" title={a.address}>
                {narrow ? shortAddress(a.address) : a.address}
              </td>
              <td>any</td>
              <td className="muted">{a.path}</td>
              <td />
            </tr>
          ))}
          {status.keys.map((k) => [
            <tr key={k.id} className={`key-row${k.damaged ? ' damaged' : ''}`}>
              <td>{k.label}</td>
              <td>{k.role}</td>
              <td className="mono" title={k.address}>
                {narrow ? shortAddress(k.address) : k.address}
              </td>
              <td>{k.venue}</td>
              <td>
                {k.agent ? (
                  <span className={k.agent.validUntil !== null && k.agent.validUntil - now < 3 * 86_400_000 ? 'warn' : ''}>
                    {shortAddress(k.agent.master)} · {expiryText(k.agent.validUntil, now)} · {k.agent.network}
                    {k.agent.scopes ? ` · ${k.agent.scopes.join(', ')} · subaccount ${k.agent.subaccountId ?? 'all'}` : ''}
                  </span>
                ) : (
                  <span className="muted">{k.damaged ? 'DAMAGED: will not sign' : k.source}</span>
                )}
              </td>
              <td className="row-actions">
                {exporting === k.id ? (
                  <>
                    <input type="password" autoFocus aria-label="Passphrase to export" placeholder="Passphrase" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
                    <button onClick={() => void exportKey(k.id)} disabled={!passphrase}>
                      Save keystore
                    </button>
                  </>
                ) : (
                  <button disabled={!unlocked} onClick={() => setExporting(k.id)} title="Web3 Secret Storage v3 file, encrypted with the vault passphrase">
                    Export
                  </button>
                )}
                <button disabled={!unlocked || deleting === k.id} onClick={() => setDeleting(k.id)}>
                  Delete
                </button>
              </td>
            </tr>,
            // The confirmation gets a row of its own, the table's full width, under the key it deletes.
            deleting === k.id ? (
              <tr key={`${k.id}-delete`} className="delete-row">
                <td colSpan={6}>
                  <span className="delete-confirm tool-row" data-testid="delete-confirm">
                    <span className="form-error">Delete “{k.label}” ({shortAddress(k.address)})? Without a backup it is gone for good.</span>
                    {owner.field}
                    <button
                      className="danger"
                      disabled={!owner.confirm}
                      onClick={() => {
                        const confirm = owner.confirm;
                        if (!confirm) return;
                        void act('keys', () => call('vault.deleteKey', { id: k.id, confirm })).then((ok) => {
                          owner.reset();
                          if (ok) setDeleting(null);
                        });
                      }}
                    >
                      Delete for good
                    </button>
                    <button onClick={() => setDeleting(null)}>Keep</button>
                  </span>
                </td>
              </tr>
            ) : null,
          ])}
        </tbody>
      </table>
      </div>
      )}
      <FormError form="keys" />
    </div>
  );
}

function LedgerPanel({ status }: { status: VaultStatus }) {
  const act = useVaultStore((s) => s.act);
  const [index, setIndex] = useState(0);
  const l = status.ledger;
  return (
    <div className="panel ledger-panel">
      <div className="panel-header">Ledger</div>
      <p className={`ledger-state ledger-${l.state}`} role="status">
        {l.message}
        {l.appVersion ? <span className="muted"> · Ethereum app {l.appVersion}</span> : null}
      </p>
      <div className="tool-row">
        <button onClick={() => void act('ledger', () => call('ledger.status', {}))} disabled={l.busy}>
          Check device
        </button>
        <input className="num-input" type="number" min={0} max={1000} aria-label="Ledger account index" value={index} onChange={(e) => setIndex(Number(e.target.value))} />
        <button onClick={() => void act('ledger', () => call('ledger.addAccount', { accountIndex: index, label: `Ledger ${index}` }))} disabled={l.busy || status.state !== 'unlocked'}>
          Add account
        </button>
        {l.busy ? <button onClick={() => void call('ledger.cancel', {})}>Cancel request</button> : null}
      </div>
      <FormError form="ledger" />
      <p className="muted small">One request at a time; approvals wait up to 5 minutes for you on the device. Agent approvals and budgets are signed as EIP-712 hashes: compare them on the screen.</p>
    </div>
  );
}

function Journal() {
  const [lines, setLines] = useState<CommandResponse<'vault.journal'>>([]);
  // Re-read when something that signs may have happened: keys, budget or usage changed.
  const signal = useVaultStore((s) => `${s.status?.keys.length}|${s.status?.budget?.approvedAt}|${s.status?.usage.hedgeNotionalUsd}|${Object.values(s.errors).join()}`);
  useEffect(() => {
    void call('vault.journal', { limit: 12 }).then(setLines, () => undefined);
  }, [signal]);
  return (
    <div className="panel">
      <div className="panel-header">Signature journal (latest first)</div>
      {lines.length === 0 ? <div className="empty">Nothing signed yet.</div> : null}
      <ul className="journal">
        {lines.map((l) => (
          <li key={`${l.at}-${l.summary}`} className={l.outcome}>
            <span className="mono">{new Date(l.at).toISOString().slice(5, 19).replace('T', ' ')}</span> {l.outcome === 'signed' ? 'signed' : 'REFUSED'} · {l.summary}
            {l.refusal ? <span className="form-error"> · {l.refusal}</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
