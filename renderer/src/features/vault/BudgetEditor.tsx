import { useState } from 'react';
import type { BudgetLimitsInput, VaultStatus } from '../../../../shared/contract/vault-schemas.ts';
import { call } from '../../bridge/terminal.ts';
import { FormError } from './OwnerConfirm.tsx';
import { useVaultStore } from '../../stores/vault-store.ts';
import { shortAddress, usd } from './vault-format.ts';

const FIELDS: [keyof Omit<BudgetLimitsInput, 'maxPositionUsd'>, string][] = [
  ['maxOrderNotionalUsd', 'Max order notional'],
  ['maxDailyHedgeNotionalUsd', 'Max order notional per 24 h'],
  ['maxDailyCollateralUsd', 'Max collateral moved per 24 h'],
];
/**
 * A first budget a desk can work with: positions up to $1M BTC and $500K ETH cover the paper book
 * (4 BTC of perp hedge and its options) with room to hedge it; the trader tightens them here.
 */
const DEFAULTS: BudgetLimitsInput = { maxOrderNotionalUsd: 50_000, maxPositionUsd: { '*': 100_000, BTC: 1_000_000, ETH: 500_000 }, maxDailyHedgeNotionalUsd: 500_000, maxDailyCollateralUsd: 20_000 };

/**
 * What hot keys may sign without asking again. Main checks every signature against these limits;
 * changing them needs the Ledger's signature if one is added, otherwise the passphrase.
 */
export function BudgetEditor({ status }: { status: VaultStatus }) {
  const act = useVaultStore((s) => s.act);
  const [draft, setDraft] = useState<BudgetLimitsInput>(status.budget?.limits ?? DEFAULTS);
  const [passphrase, setPassphrase] = useState('');
  const ledger = status.ledgerAccounts[0];
  const setNum = (k: keyof Omit<BudgetLimitsInput, 'maxPositionUsd'>, v: number): void => setDraft({ ...draft, [k]: v });
  const setPos = (u: string, v: number): void => setDraft({ ...draft, maxPositionUsd: { ...draft.maxPositionUsd, [u]: v } });
  const b = status.budget;
  return (
    <form
      className="panel vault-form budget"
      onSubmit={(e) => {
        e.preventDefault();
        const confirm = ledger ? { kind: 'ledger' as const, address: ledger.address } : { kind: 'passphrase' as const, passphrase };
        void act('budget', () => call('vault.setBudget', { limits: draft, confirm })).then(() => setPassphrase(''));
      }}
    >
      <div className="panel-header">Hot-key budget</div>
      {b && !b.valid && !b.problem && status.state !== 'unlocked' ? (
        // A locked vault is not a tampered one: the budget's seal is checked again at unlock.
        <p className="warn" data-testid="budget-state">
          Approved (#{b.generation}) · checked again when the vault is unlocked; nothing signs while it is locked · {new Date(b.approvedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC
        </p>
      ) : b ? (
        <p className={b.valid ? 'muted' : 'form-error'} data-testid="budget-state">
          {b.valid ? `Approved (#${b.generation})` : `NOT VALID: ${b.problem ?? 'its seal could not be checked'}. Hot keys cannot sign`} · {new Date(b.approvedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC by{' '}
          {b.approvedWith === 'ledger' ? `Ledger ${shortAddress(b.ledgerAddress ?? '')}` : 'passphrase'}
        </p>
      ) : (
        <p className="form-error">No budget: hot keys cannot sign until one is approved.</p>
      )}
      <table className="budget-table">
        <tbody>
          {FIELDS.map(([k, label]) => (
            <tr key={k}>
              <th>{label}</th>
              <td>
                <input className="num-input" type="number" min={0} step={1000} aria-label={label} value={draft[k]} onChange={(e) => setNum(k, Number(e.target.value))} /> USD
              </td>
            </tr>
          ))}
          {Object.entries(draft.maxPositionUsd).map(([u, v]) => (
            <tr key={u}>
              <th>Max position {u === '*' ? '(other coins)' : u}</th>
              <td>
                <input className="num-input" type="number" min={0} step={1000} aria-label={`Max position ${u}`} value={v} onChange={(e) => setPos(u, Number(e.target.value))} /> USD
              </td>
            </tr>
          ))}
          <tr>
            <th>Used in the last {status.usage.windowHours} h</th>
            <td>
              {usd(status.usage.hedgeNotionalUsd)} orders · {usd(status.usage.collateralUsd)} collateral
            </td>
          </tr>
        </tbody>
      </table>
      {ledger ? null : <input type="password" autoComplete="current-password" placeholder="Passphrase to approve" aria-label="Passphrase to approve the budget" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />}
      <button type="submit" className="primary" disabled={status.state !== 'unlocked' || (!ledger && !passphrase)}>
        {ledger ? 'Approve on the Ledger' : 'Approve with passphrase'}
      </button>
      <FormError form="budget" />
    </form>
  );
}
