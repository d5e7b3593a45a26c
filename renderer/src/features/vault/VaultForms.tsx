import { useKeyHint } from '../../hotkeys/key-hint.ts';
import { useEffect, useState } from 'react';
import type { CommandResponse } from '../../../../shared/contract/commands.ts';
import type { VaultStatus } from '../../../../shared/contract/vault-schemas.ts';
import { call } from '../../bridge/terminal.ts';
import { useVaultStore } from '../../stores/vault-store.ts';
import { FormError, useOwnerConfirm } from './OwnerConfirm.tsx';
import { shortAddress } from './vault-format.ts';

const RETRY_CHECK_MS = 1_000;

/** First run: choose the passphrase; main checks its strength and refuses weak ones. */
export function CreateVault() {
  const act = useVaultStore((s) => s.act);
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [strength, setStrength] = useState<CommandResponse<'vault.checkPassphrase'> | null>(null);
  const [checkFailed, setCheckFailed] = useState<string | null>(null);
  useEffect(() => {
    setCheckFailed(null);
    if (!passphrase) return void setStrength(null);
    let t: ReturnType<typeof setTimeout>;
    let done = false;
    // A check main could not answer is said, and asked again, rather than leaving the form silent.
    const ask = (): void => {
      call('vault.checkPassphrase', { passphrase }).then(
        (s) => done || (setStrength(s), setCheckFailed(null)),
        (err: Error) => done || (setStrength(null), setCheckFailed(err.message), (t = setTimeout(ask, RETRY_CHECK_MS))),
      );
    };
    t = setTimeout(ask, 200);
    return () => {
      done = true;
      clearTimeout(t);
    };
  }, [passphrase]);
  const mismatch = again !== '' && again !== passphrase;
  return (
    <form
      className="panel vault-form"
      onSubmit={(e) => {
        e.preventDefault();
        void act('create', () => call('vault.create', { passphrase })).then((ok) => ok && (setPassphrase(''), setAgain('')));
      }}
    >
      <div className="panel-header">Create the vault</div>
      <p className="muted">Keys are encrypted on this computer with a key derived from this passphrase (scrypt, 128 MiB). Nobody can recover it for you.</p>
      <input type="password" autoComplete="new-password" placeholder="Passphrase (12 characters or more)" aria-label="New passphrase" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
      <input type="password" autoComplete="new-password" placeholder="Passphrase again" aria-label="Repeat passphrase" value={again} onChange={(e) => setAgain(e.target.value)} />
      {strength ? (
        <div className={`strength s${strength.score}`} role="status">
          <span className="strength-bar" style={{ width: `${(strength.score + 1) * 20}%` }} />
          {strength.acceptable ? 'Strong enough' : `Too weak: ${strength.problem}`}
          {strength.suggestions.length ? <span className="muted"> · {strength.suggestions.join(' ')}</span> : null}
        </div>
      ) : checkFailed ? (
        <div className="strength" role="status">
          Strength not checked yet: {checkFailed} (asking again)
        </div>
      ) : null}
      {mismatch ? <p className="form-error">The two passphrases differ.</p> : null}
      <FormError form="create" />
      <button type="submit" className="primary" disabled={!strength?.acceptable || again !== passphrase}>
        Create vault
      </button>
    </form>
  );
}

/** Adds a master key; the secret is sent once to main and the fields are cleared. */
export function ImportKey() {
  const act = useVaultStore((s) => s.act);
  const [label, setLabel] = useState('');
  const [kind, setKind] = useState<'privateKey' | 'mnemonic'>('privateKey');
  const [secret, setSecret] = useState('');
  const [index, setIndex] = useState(0);
  return (
    <form
      className="panel vault-form"
      onSubmit={(e) => {
        e.preventDefault();
        const payload = kind === 'privateKey' ? { label, privateKey: secret } : { label, mnemonic: secret, accountIndex: index };
        void act('import', () => call('vault.importKey', payload)).then(() => setSecret(''));
      }}
    >
      <div className="panel-header">Import a master key</div>
      <div className="tool-row">
        <input placeholder="Label" aria-label="Key label" value={label} maxLength={40} onChange={(e) => setLabel(e.target.value)} />
        <select aria-label="Secret kind" value={kind} onChange={(e) => setKind(e.target.value as 'privateKey' | 'mnemonic')}>
          <option value="privateKey">Private key</option>
          <option value="mnemonic">Recovery phrase</option>
        </select>
        {kind === 'mnemonic' ? <input className="num-input" type="number" min={0} max={1000} aria-label="Account index" title="Account index (m/44'/60'/0'/0/i)" value={index} onChange={(e) => setIndex(Number(e.target.value))} /> : null}
      </div>
      <input type="password" autoComplete="off" spellCheck={false} placeholder={kind === 'privateKey' ? '0x… (64 hex characters)' : '12 or 24 words'} aria-label="Secret" value={secret} onChange={(e) => setSecret(e.target.value)} />
      <button type="submit" disabled={!label.trim() || !secret.trim()}>
        Import
      </button>
      <FormError form="import" />
    </form>
  );
}

/**
 * Which master signs (a vault master key or a Ledger account) and how the owner confirms: a Ledger
 * shows the approval itself on the device, and that press is the confirmation.
 */
export function useMasterChoice(status: VaultStatus, action: string) {
  const masters = [
    ...status.keys.filter((k) => k.role === 'master' && !k.damaged).map((k) => ({ value: `local:${k.id}`, text: `${k.label} (${shortAddress(k.address)})` })),
    ...status.ledgerAccounts.map((a) => ({ value: `ledger:${a.address}`, text: `Ledger ${a.label} (${shortAddress(a.address)})` })),
  ];
  const [master, setMaster] = useState('');
  const chosen = master || masters[0]?.value || '';
  const [kind, ref] = chosen.split(':') as ['local' | 'ledger', string];
  const owner = useOwnerConfirm(status, action);
  const confirm = kind === 'ledger' ? { kind: 'ledger' as const, address: ref } : owner.confirm;
  const signer = kind === 'local' ? { kind: 'local' as const, keyId: ref } : { kind: 'ledger' as const, address: ref };
  return { masters, chosen, setMaster, kind, signer, owner, confirm, masterText: masters.find((m) => m.value === chosen)?.text ?? '' };
}

export function MasterSelect({ label, masters, chosen, onChange }: { label: string; masters: { value: string; text: string }[]; chosen: string; onChange: (v: string) => void }) {
  return (
    <select aria-label={label} value={chosen} onChange={(e) => onChange(e.target.value)}>
      {masters.length === 0 ? <option value="">Import a master key or add a Ledger first</option> : null}
      {masters.map((m) => (
        <option key={m.value} value={m.value}>
          {m.text}
        </option>
      ))}
    </select>
  );
}

/** A fresh agent approved by a master key or a Ledger; trading keys never hold the master's power. */
export function ApproveAgent({ status }: { status: VaultStatus }) {
  const act = useVaultStore((s) => s.act);
  const [name, setName] = useState('hedger');
  const [days, setDays] = useState(30);
  const { masters, chosen, setMaster, kind, signer, owner, confirm, masterText } = useMasterChoice(status, 'Approve agent');
  const until = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16).replace('T', ' ');
  return (
    <form
      className="panel vault-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!confirm) return;
        void act('agent', () => call('vault.approveAgent', { master: signer, name, validDays: days, confirm })).then(() => owner.reset());
      }}
    >
      <div className="panel-header">Approve a Hyperliquid agent ({status.network})</div>
      <p className="muted">A new key is generated for every approval and never reused. The agent can trade but cannot withdraw.</p>
      <div className="tool-row">
        <MasterSelect label="Approve with" masters={masters} chosen={chosen} onChange={setMaster} />
        <input aria-label="Agent name" value={name} maxLength={16} onChange={(e) => setName(e.target.value)} />
        <input className="num-input" type="number" min={1} max={180} aria-label="Valid for days" value={days} onChange={(e) => setDays(Number(e.target.value))} />
        <span className="muted">days</span>
      </div>
      {chosen ? (
        <p className="agent-scope" data-testid="agent-scope">
          Agent “{name.trim() || '…'}” will be able to place, change and cancel orders and set leverage for {masterText} on Hyperliquid {status.network}, until {until} UTC
          ({days} day{days === 1 ? '' : 's'}). It cannot withdraw or transfer funds. Every order it signs still passes your budget.
        </p>
      ) : null}
      {kind === 'ledger' ? null : owner.field}
      <button type="submit" className="primary" disabled={!chosen || !name.trim() || !confirm}>
        {kind === 'ledger' ? 'Approve on the Ledger' : 'Approve agent'}
      </button>
      <FormError form="agent" />
    </form>
  );
}

/**
 * Revoke-all: every agent's slot at the venue goes to a burned address (nobody holds its key), the
 * agent keys are deleted here and the vault locks. Orders already resting stay until cancelled.
 */
export function RevokeAll({ status }: { status: VaultStatus }) {
  const act = useVaultStore((s) => s.act);
  const owner = useOwnerConfirm(status, 'Revoke all agents');
  const [result, setResult] = useState<{ revoked: string[]; failed: string[] } | null>(null);
  const agents = status.keys.filter((k) => k.role === 'agent' && k.agent?.approvedAt !== null && k.agent?.network === status.network);
  const sessions = agents.filter((k) => k.venue === 'derive').length;
  const killKey = useKeyHint('divest.open');
  return (
    <form
      className="panel vault-form revoke-all"
      onSubmit={(e) => {
        e.preventDefault();
        const confirm = owner.confirm;
        if (!confirm) return;
        void act('revoke', async () => setResult(await call('vault.revokeAll', { confirm }))).then(() => owner.reset());
      }}
    >
      <div className="panel-header">Revoke all agents ({status.network})</div>
      <p className="muted">
        {agents.length} agent{agents.length === 1 ? '' : 's'} can trade now. Each master approves a burned address in its agent’s slot (a Ledger master asks on the device), the agent keys are deleted and the vault locks. Resting orders stay until cancelled: use the kill switch{killKey} for those.
        {sessions ? ` Derive cannot revoke a session key: its ${sessions === 1 ? 'key is' : `${sessions} keys are`} deleted here, and Derive keeps ${sessions === 1 ? 'it' : 'them'} registered, with no key to sign, until expiry.` : ''}
      </p>
      {owner.field}
      <button type="submit" className="toggle danger armed" disabled={!owner.confirm || agents.length === 0}>
        Revoke all and lock
      </button>
      {result ? <p className="muted">{[`${result.revoked.length} revoked`, ...result.failed].join(' · ')}</p> : null}
      <FormError form="revoke" />
    </form>
  );
}
