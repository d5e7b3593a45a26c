import { describe, expect, it } from 'vitest';
import { validateRequest, validateResponse } from '../../../shared/contract/validate.ts';

describe('command contract', () => {
  it('accepts a well-formed request and returns the parsed payload', () => {
    const r = validateRequest('market.candles', { instrumentId: 'hyperliquid:BTC-PERP', timeframe: '5m' });
    expect(r).toEqual({ ok: true, value: { name: 'market.candles', payload: { instrumentId: 'hyperliquid:BTC-PERP', timeframe: '5m' } } });
  });

  it('names the field that failed', () => {
    const r = validateRequest('market.candles', { instrumentId: 'hyperliquid:BTC-PERP', timeframe: '2m' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid-request');
      expect(r.error.message).toMatch(/^timeframe: /);
      // Command names are internal: the trader never reads one.
      expect(r.error.message).not.toContain('market.candles');
    }
  });

  it('rejects unknown commands and extra fields', () => {
    // There is no command that hands out a plain key, whatever the renderer asks.
    const unknown = validateRequest('vault.exportPlainKey', {});
    expect(unknown.ok || unknown.error.code).toBe('unknown-command');
    const extra = validateRequest('market.instruments', { sneaky: true });
    expect(extra.ok || extra.error.message).toMatch(/sneaky/);
  });

  it('never throws on hostile payloads', () => {
    const hostile: unknown[] = [null, 42, 'x', [], { __proto__: { timeframe: '1m' } }, { instrumentId: 'a'.repeat(10_000), timeframe: '1m' }];
    for (const p of hostile) {
      expect(() => validateRequest('market.candles', p)).not.toThrow();
      expect(validateRequest('market.candles', p).ok).toBe(false);
    }
    expect(validateRequest({ toString: () => 'app.info' }, {}).ok).toBe(false);
  });

  it('flags a malformed answer as an internal error', () => {
    const r = validateResponse('venues.status', [{ venue: 'nowhere' }]);
    expect(r.ok || r.error.code).toBe('internal');
  });
});
