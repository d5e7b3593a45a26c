import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import {
  ACTION_TYPEHASH,
  actionHash,
  actionNonce,
  actionTypedData,
  decodeSessionKeyData,
  decodeTradeData,
  DERIVE_MODULES,
  domainSeparator,
  e18,
  encodeSessionKeyData,
  encodeTradeData,
  recoverActionSigner,
  recoverLoginSigner,
  loginMessage,
  typedDataHash,
  type DeriveAction,
} from '../../../../electron/venues/derive/signing.ts';

/*
 * Derive's action signing against the venue's published vectors (venues.md §3.10), byte for byte:
 * A is derive-ts' golden "trade" vector under a fixture domain separator, B a real order captured
 * from the v3 testnet's `private/order_debug`, i.e. bytes the venue itself accepted.
 */
const words = (hex: string) => `0x${hex.replace(/\s+/g, '').replace(/^0x/, '')}`;

describe('Derive domain separators', () => {
  it('reproduce the verified values for v2 mainnet, v3 mainnet and v3 testnet', () => {
    expect(ACTION_TYPEHASH).toBe('0x4d7a9f27c403ff9c0f19bce61d76d82f9aa29f8d6d4b0c5474607d9770d1af17');
    expect(domainSeparator(957)).toBe('0xd96e5f90797da7ec8dc4e276260c7f3f87fedf68775fbe1ef116e996fc60441b');
    expect(domainSeparator(1)).toBe('0xda616dfabb88681b08e1592820a41d55ddc62d68de110e327ae99d734506fe19');
    expect(domainSeparator(11155111)).toBe('0x24d674cd5f2b9d564691c51e9d88f649b99246a2244dd74ce27b96578d773e85');
  });
});

describe('vector A: derive-ts golden trade', () => {
  const key = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
  const wallet = new Wallet(key);
  const separator = '0x87359b672801fef20dd7ce3e82c082a14efa1246a4ab1d344d213e54a61cc72b';
  const data = encodeTradeData({ asset: '0x0000000000000000000000000000000000000C0D', subId: 42n, limitPrice: '1500.5', amount: '2.5', maxFee: '100', recipientSubaccountId: 1n, isBid: true });
  const action: DeriveAction = { subaccountId: 1n, nonce: 1720000000000000002n, module: DERIVE_MODULES.trade, data, expiry: 1900000000n, owner: wallet.address, signer: wallet.address };

  it('encodes the trade data word for word', () => {
    expect(wallet.address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    expect(data).toBe(
      words(`0x0000000000000000000000000000000000000000000000000000000000000c0d 000000000000000000000000000000000000000000000000000000000000002a
        000000000000000000000000000000000000000000000051579ee002a1a20000 00000000000000000000000000000000000000000000000022b1c8c1227a0000
        0000000000000000000000000000000000000000000000056bc75e2d63100000 0000000000000000000000000000000000000000000000000000000000000001
        0000000000000000000000000000000000000000000000000000000000000001`),
    );
  });

  it('hashes and signs to the published bytes, and the signer is recovered', () => {
    expect(actionHash(action)).toBe('0x25d3db7cc2792b21b64bf96b2752572ecbca8fedc5a9abe6b2918732e08df3bb');
    const digest = typedDataHash(separator, action);
    expect(digest).toBe('0x5ecb84fbc9b38c8bad9421c80c6c6e14fb9b325c9496a2ddbd827745e17b4c7f');
    const signature = wallet.signingKey.sign(digest).serialized;
    expect(signature).toBe('0x863450f1b1981715a13d01cf090fb08a58067d0014b4a98d6df0feb919ba699657706cd4d588fb9c7d41d989cf238e77168aa133bb625e0a2c31591969151bc21b');
    expect(recoverActionSigner(separator, action, signature)).toBe(wallet.address);
  });
});

describe('vector B: an order the v3 testnet verified', () => {
  const session = new Wallet('0xf20701f7e29ce946e79a70cb53067f837950841f77edb3e685ce370db7ed7bdd');
  const data = encodeTradeData({ asset: '0x4BB4C3CDc7562f08e9910A0C7D8bB7e108861eB4', subId: 2576980377601813910400n, limitPrice: '100', amount: '1', maxFee: '1000', recipientSubaccountId: 75723n, isBid: true });
  const action: DeriveAction = { subaccountId: 75723n, nonce: 1754472862000000000n, module: DERIVE_MODULES.trade, data, expiry: 1893456000n, owner: '0x5cb67F7829d01d9C75385A920De5E51060663374', signer: session.address };
  const expected = '0x1f6369ba4e27fb82512ee625954d636b565ba36a4d6b7b431f23afdd09dd3a2901b4b8b5c738ee1f9e33cd0705c66904a8b7d2e3e5d9b58c9771c7dbab6983391b';

  it('encodes, hashes and signs to the bytes the venue accepted', () => {
    expect(session.address).toBe('0x0e94ecA48AC699d2237F3732210f8216A497ab16');
    expect(data).toBe(
      words(`0x0000000000000000000000004bb4c3cdc7562f08e9910a0c7d8bb7e108861eb4 00000000000000000000000000000000000000000000008bb2c970006c1e1380
        0000000000000000000000000000000000000000000000056bc75e2d63100000 0000000000000000000000000000000000000000000000000de0b6b3a7640000
        00000000000000000000000000000000000000000000003635c9adc5dea00000 00000000000000000000000000000000000000000000000000000000000127cb
        0000000000000000000000000000000000000000000000000000000000000001`),
    );
    expect(actionHash(action)).toBe('0x6c2ecd6541a41253440c87af220091c505d06ca0e826546af3c993d2588759d0');
    expect(typedDataHash(domainSeparator(11155111), action)).toBe('0xd1b13344c9e7fb068cc350c019895c77b0cc82e24959ad408058377ca9c1bfc3');
    expect(session.signingKey.sign(typedDataHash(domainSeparator(11155111), action)).serialized).toBe(expected);
  });

  it('the typed data a vault or Ledger signs gives the same signature', async () => {
    const t = actionTypedData(11155111, action);
    expect(await session.signTypedData(t.domain, t.types, t.message)).toBe(expected);
    expect(recoverActionSigner(domainSeparator(11155111), action, expected)).toBe(session.address);
  });

  it('decodes what it encoded (the simulator reads orders back this way)', () => {
    expect(decodeTradeData(data)).toEqual({ asset: '0x4BB4C3CDc7562f08e9910A0C7D8bB7e108861eB4', subId: 2576980377601813910400n, limitPrice: 10n ** 20n, amount: 10n ** 18n, maxFee: 1000n * 10n ** 18n, recipientSubaccountId: 75723n, isBid: true });
  });
});

describe('wire decimals and the rest', () => {
  it('rejects more than 12 decimals instead of truncating, and anything not a decimal', () => {
    expect(e18('0.000000000001')).toBe(1_000_000n);
    expect(() => e18('0.0000000000001')).toThrow(/13 decimals; Derive takes at most 12/);
    expect(() => e18('1e3')).toThrow(/not a decimal number/);
    expect(e18('100.0')).toBe(e18('100'));
  });

  it('session-key data round-trips with its scope codes', () => {
    const d = encodeSessionKeyData({ sessionKey: '0x0e94ecA48AC699d2237F3732210f8216A497ab16', expirySec: 1893456000n, scopes: ['trade:orderbook:option', 'trade:orderbook:perp'], subaccountIds: [75723n] });
    expect(decodeSessionKeyData(d)).toEqual({ sessionKey: '0x0e94ecA48AC699d2237F3732210f8216A497ab16', expirySec: 1893456000n, scopeCodes: [6, 5], subaccountIds: [75723n] });
  });

  it('nonces are nanoseconds, distinct within one millisecond', () => {
    let r = 0;
    const a = actionNonce(1754472862000, () => (r += 0.1));
    const b = actionNonce(1754472862000, () => (r += 0.1));
    expect(a / 1_000_000n).toBe(1754472862000n);
    expect(a).not.toBe(b);
  });

  it('login signs the millisecond timestamp as a decimal string (EIP-191)', async () => {
    const w = Wallet.createRandom();
    expect(loginMessage(1785000000000.7)).toBe('1785000000000');
    expect(recoverLoginSigner(1785000000000, await w.signMessage('1785000000000'))).toBe(w.address);
  });
});

describe('Derive option names and sub ids', () => {
  it('the sub id of ETH-20270625-6000-P is the one the testnet order signed', async () => {
    const { optionSubId, deriveOptionName, parseDeriveOptionName } = await import('../../../../electron/venues/derive/instrument-name.ts');
    const expiry = Date.UTC(2027, 5, 25, 8);
    expect(optionSubId(expiry / 1000, 6000, 'put')).toBe(2576980377601813910400n);
    expect(deriveOptionName('ETH', expiry, 6000, 'put')).toBe('ETH-20270625-6000-P');
    expect(parseDeriveOptionName('ETH-20270625-6000-P')).toEqual({ underlying: 'ETH', day: Date.UTC(2027, 5, 25), strike: 6000, kind: 'put' });
    expect(parseDeriveOptionName('ETH-27JUN27-6000-P')).toBeNull();
  });
});
