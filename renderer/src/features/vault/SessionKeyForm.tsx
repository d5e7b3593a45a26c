import { useState } from 'react';
import type { VaultStatus } from '../../../../shared/contract/vault-schemas.ts';
import { call } from '../../bridge/terminal.ts';
import { useVaultStore } from '../../stores/vault-store.ts';
import { FormError } from './OwnerConfirm.tsx';
import { MasterSelect, useMasterChoice } from './VaultForms.tsx';

/**
 * A Derive session key (venues.md §3.6): a new key generated in the vault and registered by the
 * owner for the owner's first subaccount, with only the options-trading scope and an expiry.
 * Derive has no revoke: a key stays registered until it expires, so the expiry is kept short.
 */
export function RegisterSessionKey({ status }: { status: VaultStatus }) {
  const act = useVaultStore((s) => s.act);
  const [label, setLabel] = useState('desk');
  const [days, setDays] = useState(7);
  const { masters, chosen, setMaster, kind, signer, owner, confirm, masterText } = useMasterChoice(status, 'Register session key');
  const until = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16).replace('T', ' ');
  return (
    <form
      className="panel vault-form"
      aria-label="Register a Derive session key"
      onSubmit={(e) => {
        e.preventDefault();
        if (!confirm) return;
        void act('session-key', () => call('vault.registerSessionKey', { owner: signer, label, validDays: days, confirm })).then(() => owner.reset());
      }}
    >
      <div className="panel-header">Register a Derive session key ({status.network})</div>
      <p className="muted">A new key for every registration, never reused. The owner signs the registration (a Ledger shows it).</p>
      <div className="tool-row">
        <MasterSelect label="Owner" masters={masters} chosen={chosen} onChange={setMaster} />
        <input aria-label="Label of the session key" value={label} maxLength={16} onChange={(e) => setLabel(e.target.value)} />
        <input className="num-input" type="number" min={1} max={30} aria-label="Days the session key lives" value={days} onChange={(e) => setDays(Number(e.target.value))} />
        <span className="muted">days</span>
      </div>
      {chosen ? (
        <p className="agent-scope" data-testid="session-key-scope">
          Session key “{label.trim() || '…'}” will be able to place and cancel option orders (scope trade:orderbook:option) on the first subaccount of {masterText} on Derive {status.network}, until {until} UTC ({days} day
          {days === 1 ? '' : 's'}). It cannot withdraw, transfer or trade perps. Derive cannot revoke it early: it stays registered until it expires.
        </p>
      ) : null}
      {kind === 'ledger' ? null : owner.field}
      <button type="submit" className="primary" disabled={!chosen || !label.trim() || !confirm}>
        {kind === 'ledger' ? 'Register on the Ledger' : 'Register session key'}
      </button>
      <FormError form="session-key" />
    </form>
  );
}
