import type { Numeraire } from '../../../../shared/domain/portfolio.ts';
import { useKeyHint } from '../../hotkeys/key-hint.ts';
import { call } from '../../bridge/terminal.ts';
import { usePortfolioStore } from '../../stores/portfolio-store.ts';

/** Asks the engine to count PnL (and so every delta) in USD or in the coin; it saves the choice. */
export function setNumeraire(numeraire: Numeraire): Promise<void> {
  return call('portfolio.numeraire', { numeraire }).then(() => undefined);
}

/** U on Portfolio: the other numeraire. */
export function toggleNumeraire(): void {
  const now = usePortfolioStore.getState().snapshot?.numeraire ?? 'usd';
  void setNumeraire(now === 'usd' ? 'coin' : 'usd').catch(() => undefined);
}

/**
 * PnL in USD or in the coin. It is not a display unit: the engine revalues the book in the
 * chosen numeraire, and every delta shown is the derivative of that PnL (DESIGN.md §5).
 */
export function NumeraireSwitch({ numeraire, coin }: { numeraire: Numeraire; coin: string }) {
  const key = useKeyHint('portfolio.toggleUnit');
  return (
    <div className="segmented" role="radiogroup" aria-label="PnL counted in" title={`What PnL is counted in; every delta is its derivative${key}`}>
      {(['usd', 'coin'] as const).map((n) => (
        <button key={n} role="radio" aria-checked={numeraire === n} className={`toggle${numeraire === n ? ' active' : ''}`} onClick={() => void setNumeraire(n).catch(() => undefined)}>
          {n === 'usd' ? 'PnL $' : `PnL ${coin}`}
        </button>
      ))}
    </div>
  );
}
