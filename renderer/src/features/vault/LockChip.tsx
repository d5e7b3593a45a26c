import { useState } from 'react';
import { call } from '../../bridge/terminal.ts';
import { useVaultStore } from '../../stores/vault-store.ts';

/** The vault's state in the top bar: one click locks, or opens the unlock dialog. */
export function LockChip() {
  const status = useVaultStore((s) => s.status);
  const setUnlockOpen = useVaultStore((s) => s.setUnlockOpen);
  const lock = useVaultStore((s) => s.lock);
  if (!status) return null;
  if (status.state === 'unlocked') {
    return (
      <button className="lock-chip unlocked" onClick={() => void lock()} title={`Vault unlocked: locks after ${status.idleLockMinutes} min idle. Click or press L to lock now.`}>
        Unlocked
      </button>
    );
  }
  const label = status.state === 'absent' ? 'No vault' : status.state === 'damaged' ? 'Vault damaged' : 'Locked';
  return (
    <button className={`lock-chip ${status.state}`} onClick={() => setUnlockOpen(status.state === 'locked')} title={status.lockReason ? `Locked: ${status.lockReason}` : label}>
      {label}
    </button>
  );
}

export function UnlockDialog() {
  const open = useVaultStore((s) => s.unlockOpen);
  const status = useVaultStore((s) => s.status);
  const error = useVaultStore((s) => s.errors.unlock);
  const act = useVaultStore((s) => s.act);
  const setUnlockOpen = useVaultStore((s) => s.setUnlockOpen);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  if (!open || status?.state !== 'locked') return null;
  const submit = async (): Promise<void> => {
    setBusy(true);
    const ok = await act('unlock', () => call('vault.unlock', { passphrase }));
    setBusy(false);
    setPassphrase('');
    if (ok) setUnlockOpen(false);
  };
  return (
    <div className="dialog-backdrop" onKeyDown={(e) => e.key === 'Escape' && setUnlockOpen(false)}>
      <form
        className="dialog"
        role="dialog"
        aria-label="Unlock the vault"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2>Unlock the vault</h2>
        {status.lockReason ? <p className="muted">Locked: {status.lockReason}</p> : null}
        <input type="password" autoFocus autoComplete="current-password" placeholder="Passphrase" aria-label="Passphrase" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
        {error ? <p className="form-error">{error}</p> : null}
        <div className="dialog-actions">
          <button type="button" onClick={() => setUnlockOpen(false)}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || passphrase === ''}>
            {busy ? 'Checking…' : 'Unlock'}
          </button>
        </div>
        <p className="muted small">The passphrase is checked in the main process (scrypt, about a third of a second); it is never stored.</p>
      </form>
    </div>
  );
}
