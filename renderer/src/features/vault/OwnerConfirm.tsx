import { useState, type ReactElement } from 'react';
import type { OwnerConfirm, VaultStatus } from '../../../../shared/contract/vault-schemas.ts';
import { useVaultStore, type VaultForm } from '../../stores/vault-store.ts';
import { shortAddress } from './vault-format.ts';

/** The error of one form, shown beside it. */
export function FormError({ form }: { form: VaultForm }) {
  const error = useVaultStore((s) => s.errors[form]);
  return error ? (
    <p className="form-error" role="alert" data-testid={`error-${form}`}>
      {error}
    </p>
  ) : null;
}

/**
 * How the owner confirms an irreversible or money-moving command: the passphrase typed again, or
 * a Ledger account that signs a confirmation on its screen. Returns the field and the value to
 * send (null until the field is filled).
 */
export function useOwnerConfirm(status: VaultStatus, label: string): { field: ReactElement; confirm: OwnerConfirm | null; reset: () => void } {
  const [by, setBy] = useState('passphrase');
  const [passphrase, setPassphrase] = useState('');
  const ledger = status.ledgerAccounts.find((a) => `ledger:${a.address}` === by);
  const confirm: OwnerConfirm | null = ledger ? { kind: 'ledger', address: ledger.address } : passphrase ? { kind: 'passphrase', passphrase } : null;
  const field = (
    <span className="tool-row owner-confirm">
      {status.ledgerAccounts.length > 0 ? (
        <select aria-label={`${label}: confirm with`} value={by} onChange={(e) => setBy(e.target.value)}>
          <option value="passphrase">Confirm with passphrase</option>
          {status.ledgerAccounts.map((a) => (
            <option key={a.address} value={`ledger:${a.address}`}>
              Confirm on Ledger {a.label} ({shortAddress(a.address)})
            </option>
          ))}
        </select>
      ) : null}
      {ledger ? null : <input type="password" autoComplete="current-password" placeholder="Passphrase to confirm" aria-label={`${label}: passphrase`} value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />}
    </span>
  );
  return { field, confirm, reset: () => setPassphrase('') };
}
