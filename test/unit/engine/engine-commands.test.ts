import { describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/engine/engine.ts';
import { createCommandRouter } from '../../../electron/border/command-router.ts';
import { unusedVaultHandlers } from '../../support/host-stubs.ts';

function engine(): Engine {
  return new Engine({ mode: 'paper', hyperliquid: { httpUrl: 'http://127.0.0.1:9', wsUrl: 'ws://127.0.0.1:9/ws' } });
}

describe('engine command border', () => {
  it('answers with a typed error naming the bad field, never throws', async () => {
    const e = engine();
    const r = await e.request('market.candles', { instrumentId: 'BTC', timeframe: '1m' });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    if (!r.ok) expect(r.error.message).toMatch(/instrumentId/);
    expect(await e.request(undefined, undefined)).toMatchObject({ ok: false, error: { code: 'unknown-command' } });
  });

  it('reports an instrument it does not know', async () => {
    const r = await engine().request('market.candles', { instrumentId: 'hyperliquid:DOGE-PERP', timeframe: '1m' });
    expect(r).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('reports venue status before the venue was ever reached', async () => {
    const r = await engine().request('venues.status', {});
    expect(r.ok && (r.value as unknown[])[0]).toMatchObject({ venue: 'hyperliquid', state: 'disconnected', paper: true });
  });
});

describe('command router (shared by main and the headless host)', () => {
  const info = { name: 'DeltaDesk', version: '1.0.0', host: 'browser', mode: 'paper' } as const;
  const noKeymap = { file: null, bindings: {}, errors: [] };

  it('answers host commands itself and forwards the rest', async () => {
    const forwarded: string[] = [];
    const route = createCommandRouter({ 'app.info': () => info, 'app.keymap': () => noKeymap, ...unusedVaultHandlers }, (name) => {
      forwarded.push(name);
      return Promise.resolve({ ok: true, value: [] });
    });
    expect(await route('app.info', {})).toEqual({ ok: true, value: info });
    expect(await route('market.instruments', {})).toEqual({ ok: true, value: [] });
    expect(forwarded).toEqual(['market.instruments']);
  });

  it('validates before forwarding and checks answers on the way back', async () => {
    const forwarded: string[] = [];
    const route = createCommandRouter({ 'app.info': () => ({ ...info, version: 1 }), 'app.keymap': () => noKeymap, ...unusedVaultHandlers }, (name) => {
      forwarded.push(name);
      return Promise.resolve({ ok: true, value: [{ not: 'an instrument' }] });
    });
    expect(await route('market.candles', { instrumentId: 1 })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(forwarded).toEqual([]);
    expect(await route('market.instruments', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(await route('app.info', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
