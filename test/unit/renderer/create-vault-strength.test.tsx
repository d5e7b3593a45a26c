import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setTerminalApi } from '../../../renderer/src/bridge/terminal.ts';
import { CreateVault } from '../../../renderer/src/features/vault/VaultForms.tsx';

/*
 * Choosing the passphrase: when main cannot answer the strength check (its worker is still
 * starting, or timed out), the form says so and asks again, instead of sitting silent with
 * "Create vault" disabled and no reason.
 */
afterEach(() => {
  setTerminalApi(null);
  vi.useRealTimers();
});

describe('the create-vault form', () => {
  it('says when the strength check failed, asks again, and shows the answer when it comes', async () => {
    vi.useFakeTimers();
    let asked = 0;
    setTerminalApi({
      request: (name: string) => {
        if (name !== 'vault.checkPassphrase') return Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'not in this test' } });
        asked++;
        if (asked === 1) return Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'the passphrase check took too long; try again' } });
        return Promise.resolve({ ok: true, value: { score: 4, acceptable: true, problem: null, suggestions: [] } });
      },
      onStream: () => () => undefined,
    } as never);
    render(<CreateVault />);
    fireEvent.change(screen.getByLabelText('New passphrase'), { target: { value: 'granite-harbour-velvet-42-quay' } });
    await act(() => vi.advanceTimersByTimeAsync(250));
    expect(screen.getByRole('status').textContent).toMatch(/Strength not checked yet: the passphrase check took too long/);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Create vault' }).disabled).toBe(true);
    await act(() => vi.advanceTimersByTimeAsync(1_100));
    expect(asked).toBe(2);
    expect(screen.getByRole('status').textContent).toBe('Strong enough');
  });
});
