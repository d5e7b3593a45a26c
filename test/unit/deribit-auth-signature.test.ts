import { describe, expect, it } from 'vitest';
import { clientSignatureParams, hmacSha256Hex, httpAuthorization, httpStringToSign, parseHttpAuthorization } from '../../electron/venues/deribit/auth-signature.ts';

// The vectors are Deribit's documented example and what ccxt 4.5.84 sends (venues-trading D2).
const SECRET = 'ABCD';
const TS = 1554883365000;

describe('Deribit signatures match the published vectors byte for byte', () => {
  it('client_signature: the documented example', () => {
    const p = clientSignatureParams('AAAAAAAAAAA', TS, 'fdbmmz79', (m) => hmacSha256Hex(SECRET, m));
    expect(p.signature).toBe('e20c9cd5639d41f8bbc88f4d699c4baf94a4f0ee320e9a116b72743c449eb994');
    expect(p).toMatchObject({ grant_type: 'client_signature', client_id: 'AAAAAAAAAAA', timestamp: TS, nonce: 'fdbmmz79', data: '' });
  });

  it("client_signature: ccxt pro's frame (nonce = timestamp as a string)", () => {
    const p = clientSignatureParams('AAAAAAAAAAA', TS, String(TS), (m) => hmacSha256Hex(SECRET, m));
    expect(p.signature).toBe('419ce591a19c420233fbe06c0e7d9c21261e4cd285e7b2862d50a39cfb177dd7');
  });

  it('HTTP deri-hmac-sha256 over the raw URI, with and without a query', () => {
    const buy = '/api/v2/private/buy?instrument_name=BTC-PERPETUAL&amount=10&type=limit&price=50000&post_only=true&reject_post_only=true&label=a%20b%2Fc';
    expect(hmacSha256Hex(SECRET, httpStringToSign(TS, String(TS), 'get', buy, ''))).toBe('d6fe71f8f64c57c80dc5ca133d91200d60fd298cb8f36cb22b50cfe419b9a75a');
    expect(hmacSha256Hex(SECRET, httpStringToSign(TS, String(TS), 'GET', '/api/v2/private/get_account_summaries', ''))).toBe('050b97902920298ae766bf4d7020fac5ea13eb53ff8f8fe73a83b22b99bc9069');
  });

  it('reads the header in either field order and refuses a malformed one', () => {
    const h = httpAuthorization('AAAAAAAAAAA', TS, 'n1', 'abc');
    expect(parseHttpAuthorization(h)).toEqual({ id: 'AAAAAAAAAAA', ts: TS, sig: 'abc', nonce: 'n1' });
    expect(parseHttpAuthorization(`deri-hmac-sha256 id=X1,ts=${TS},nonce=n2,sig=def`)).toEqual({ id: 'X1', ts: TS, sig: 'def', nonce: 'n2' });
    expect(parseHttpAuthorization('Bearer abc')).toBeNull();
    expect(parseHttpAuthorization('deri-hmac-sha256 id=X,ts=soon,sig=1')).toBeNull();
  });
});
