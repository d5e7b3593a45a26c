import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { NumeraireSwitch } from '../../../renderer/src/features/portfolio/NumeraireSwitch.tsx';
import { useKeymapStore } from '../../../renderer/src/hotkeys/keymap-store.ts';
import { resolveKeymap } from '../../../shared/keymap/keymap.ts';

/*
 * Keys do what they say: a tooltip prints the key the trader's keymap binds now, not the
 * default; and on Options the arrow that goes down the chain is the one labelled "higher strike".
 */
afterEach(() => useKeymapStore.getState().apply(null, {}, []));

describe('key hints', () => {
  it('print the bound key, and follow a rebinding', () => {
    const { rerender } = render(<NumeraireSwitch numeraire="usd" coin="BTC" />);
    expect(screen.getByRole('radiogroup').title).toMatch(/\(U\)$/);
    useKeymapStore.getState().apply(null, { 'portfolio.toggleUnit': ['Y'] }, []);
    rerender(<NumeraireSwitch numeraire="usd" coin="BTC" />);
    expect(screen.getByRole('radiogroup').title).toMatch(/\(Y\)$/);
    expect(screen.getByRole('radiogroup').title).not.toMatch(/\(U\)/);
  });

  it('label the strike arrows by what they do on a chain listed low to high', () => {
    const r = resolveKeymap();
    expect(r.byScope.options.get('ArrowDown')).toBe('options.strikeUp');
    expect(r.byScope.options.get('ArrowUp')).toBe('options.strikeDown');
  });
});
