import { describe, expect, it } from 'vitest';
import { createCommandRouter } from '../../../electron/border/command-router.ts';
import { LedgerError } from '../../../electron/vault/ledger/ledger-device.ts';
import { DEVICE_STATES } from '../../../electron/vault/ledger/device-state.ts';
import { VaultError } from '../../../electron/vault/vault-error.ts';
import { unusedVaultHandlers } from '../../support/host-stubs.ts';

/* Errors keep their meaning across the border, in the trader's words. */
function routerThrowing(err: unknown): ReturnType<typeof createCommandRouter> {
  return createCommandRouter(
    {
      'app.info': () => ({ name: 'DeltaDesk', version: '1', host: 'browser', mode: 'paper' }),
      'app.keymap': () => ({ file: null, bindings: {}, errors: [] }),
      ...unusedVaultHandlers,
      'ledger.status': () => {
        throw err;
      },
      // Handlers may reject with anything, an Error or not; the border copes with both.
      'vault.importKey': async () => {
        await Promise.resolve();
        throw err;
      },
    },
    async () => {
      await Promise.resolve();
      throw err;
    },
  );
}

describe('errors across the border', () => {
  it('a Ledger state reaches the screen as its own code, not "internal"', async () => {
    const codes = new Set<string>();
    for (const state of DEVICE_STATES) {
      const r = await routerThrowing(new LedgerError(state, `device says ${state}`))('ledger.status', {});
      expect(r).toMatchObject({ ok: false, error: { message: `device says ${state}` } });
      if (!r.ok) codes.add(r.error.code);
    }
    expect(codes).toContain('ledger-rejected');
    expect(codes).toContain('ledger-locked');
    expect(codes).toContain('ledger-disconnected');
    expect(codes).not.toContain('internal');
  });

  it('a refusal keeps its code and words; an unexpected failure names what was asked, never the command', async () => {
    expect(await routerThrowing(new VaultError('refused', 'wrong passphrase'))('vault.importKey', { label: 'x', privateKey: '00' })).toEqual({ ok: false, error: { code: 'refused', message: 'wrong passphrase' } });
    const r = await routerThrowing(new Error('disk on fire'))('vault.importKey', { label: 'x', privateKey: '00' });
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: 'Importing the key failed: disk on fire' } });
    const deep = await routerThrowing(new RangeError('Maximum call stack size exceeded'))('market.instruments', {});
    expect(deep).toEqual({ ok: false, error: { code: 'internal', message: 'Loading market data failed unexpectedly; nothing was changed' } });
    const thrownString = await routerThrowing('a string')('ledger.status', {});
    expect(thrownString).toMatchObject({ ok: false, error: { code: 'internal' } });
    for (const res of [r, deep, thrownString]) if (!res.ok) expect(res.error.message).not.toMatch(/vault\.|market\.|ledger\./);
  });
});
