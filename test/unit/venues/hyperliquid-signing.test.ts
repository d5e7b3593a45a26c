import { describe, expect, it } from 'vitest';
import { Wallet } from 'ethers';
import { encode } from '@msgpack/msgpack';
import { actionHash, l1TypedData, recoverSigner, toWireSignature, userSignedTypedData, type TypedDataPayload } from '../../../electron/venues/hyperliquid/signing.ts';
import { typedDataHashes } from '../../../electron/vault/signer.ts';

// Published vectors: the venue's Python SDK tests and the TypeScript SDK tests.
const PY_KEY = '0x0123456789012345678901234567890123456789012345678901234567890123';
const TS_KEY = '0x822e9959e022b78423eb653a62ea0020cd283e71a2a8133a6ff2aeffaf373cff';

function sign(key: string, td: TypedDataPayload): { r: string; s: string; v: number } {
  // Signs the digest the vault signs, not ethers' own signTypedData, so the digest is what is tested.
  return toWireSignature(new Wallet(key).signingKey.sign(typedDataHashes(td).digest).serialized);
}

const order = (extra: Record<string, unknown> = {}, t: unknown = { limit: { tif: 'Gtc' } }): object => ({
  type: 'order',
  orders: [{ a: 1, b: true, p: '100', s: '100', r: false, t, ...extra }],
  grouping: 'na',
});
const pad = (h: string): string => `0x${h.slice(2).padStart(64, '0')}`;

describe('Hyperliquid L1 action signing (published vectors, byte for byte)', () => {
  it('phantom agent connectionId of the official order example', () => {
    const action = { type: 'order', orders: [{ a: 4, b: true, p: '1670.1', s: '0.0147', r: false, t: { limit: { tif: 'Ioc' } } }], grouping: 'na' };
    expect(actionHash(action, 1677777606040, null)).toBe('0x0fcbeda5ae3c4950a548021552a4fea2226858c4453571bf3f24ba017eac2908');
  });

  it('hash preimage of vector 3 is msgpack ‖ nonce ‖ no-vault flag', () => {
    const packed = Buffer.from(encode(order())).toString('hex');
    expect(`${packed}${'00'.repeat(8)}00`).toBe(
      '83a474797065a56f72646572a66f72646572739186a16101a162c3a170a3313030a173a3313030a172c2a17481a56c696d697481a3746966a3477463a867726f7570696e67a26e61000000000000000000',
    );
    expect(actionHash(order(), 0, null)).toBe('0x884f2c32bb6dbdd65f6033e32fb28c0cb6f5b345db0f6471fd3366d85c9252c1');
  });

  const cases: [string, object, string | null, { main: [string, string, number]; test?: [string, string, number] }][] = [
    ['uint64 field (dummy 1e11)', { type: 'dummy', num: 100000000000 }, null, {
      main: ['0x53749d5b30552aeb2fca34b530185976545bb22d0b3ce6f62e31be961a59298', '0x755c40ba9bf05223521753995abb2f73ab3229be8ec921f350cb447e384d8ed8', 27],
      test: ['0x542af61ef1f429707e3c76c5293c80d01f74ef853e34b76efffcb57e574f9510', '0x17b8b32f086e8cdede991f1e2c529f5dd5297cbe8128500e00cbaf766204a613', 28],
    }],
    ['limit order', order(), null, {
      main: ['0xd65369825a9df5d80099e513cce430311d7d26ddf477f5b3a33d2806b100d78e', '0x2b54116ff64054968aa237c20ca9ff68000f977c93289157748a3162b6ea940e', 28],
      test: ['0x82b2ba28e76b3d761093aaded1b1cdad4960b3af30212b343fb2e6cdfa4e3d54', '0x6b53878fc99d26047f4d7e8c90eb98955a109f44209163f52d8dc4278cbbd9f5', 27],
    }],
    ['order with cloid', order({ c: '0x00000000000000000000000000000001' }), null, {
      main: ['0x41ae18e8239a56cacbc5dad94d45d0b747e5da11ad564077fcac71277a946e3', '0x3c61f667e747404fe7eea8f90ab0e76cc12ce60270438b2058324681a00116da', 27],
      test: ['0xeba0664bed2676fc4e5a743bf89e5c7501aa6d870bdb9446e122c9466c5cd16d', '0x7f3e74825c9114bc59086f1eebea2928c190fdfbfde144827cb02b85bbe90988', 28],
    }],
    ['for a vault', { type: 'dummy', num: 100000000000 }, '0x1719884eb866cb12b2287399b15f7db5e7d775ea', {
      main: ['0x3c548db75e479f8012acf3000ca3a6b05606bc2ec0c29c50c515066a326239', '0x4d402be7396ce74fbba3795769cda45aec00dc3125a984f2a9f23177b190da2c', 28],
      test: ['0xe281d2fb5c6e25ca01601f878e4d69c965bb598b88fac58e475dd1f5e56c362b', '0x7ddad27e9a238d045c035bc606349d075d5c5cd00a6cd1da23ab5c39d4ef0f60', 27],
    }],
    ['stop-loss trigger', order({}, { trigger: { isMarket: true, triggerPx: '103', tpsl: 'sl' } }), null, {
      main: ['0x98343f2b5ae8e26bb2587daad3863bc70d8792b09af1841b6fdd530a2065a3f9', '0x6b5bb6bb0633b710aa22b721dd9dee6d083646a5f8e581a20b545be6c1feb405', 27],
      test: ['0x971c554d917c44e0e1b6cc45d8f9404f32172a9d3b3566262347d0302896a2e4', '0x206257b104788f80450f8e786c329daa589aa0b32ba96948201ae556d5637eac', 28],
    }],
    ['clear the dead-man switch', { type: 'scheduleCancel' }, null, {
      main: ['0x6cdfb286702f5917e76cd9b3b8bf678fcc49aec194c02a73e6d4f16891195df9', '0x6557ac307fa05d25b8d61f21fb8a938e703b3d9bf575f6717ba21ec61261b2a0', 27],
    }],
    ['set the dead-man switch', { type: 'scheduleCancel', time: 123456789 }, null, {
      main: ['0x609cb20c737945d070716dcc696ba030e9976fcf5edad87afa7d877493109d55', '0x16c685d63b5c7a04512d73f183b3d7a00da5406ff1f8aad33f8ae2163bab758b', 28],
    }],
  ];

  for (const [label, action, vault, want] of cases) {
    it(`${label}: signature equals the SDK's`, () => {
      const hash = actionHash(action, 0, vault);
      for (const [isMainnet, expected] of [[true, want.main], [false, want.test]] as const) {
        if (!expected) continue;
        const sig = sign(PY_KEY, l1TypedData(hash, isMainnet));
        expect(sig).toEqual({ r: pad(expected[0]), s: pad(expected[1]), v: expected[2] });
      }
    });
  }

  it('TypeScript SDK vectors: hash with vault and expiry, and the signature', () => {
    const action = { type: 'order', orders: [{ a: 0, b: true, p: '30000', s: '0.1', r: false, t: { limit: { tif: 'Gtc' } } }], grouping: 'na' };
    const vault = '0x1234567890123456789012345678901234567890';
    expect(actionHash(action, 1234567890, null)).toBe('0x25367e0dba84351148288c2233cd6130ed6cec5967ded0c0b7334f36f957cc90');
    expect(actionHash(action, 1234567890, vault)).toBe('0x214e2ea3270981b6fd18174216691e69f56872663139d396b10ded319cb4bb1e');
    expect(actionHash(action, 1234567890, null, 1234567890)).toBe('0xc30b002ba3775e4c31c43c1dfd3291dfc85c6ae06c6b9f393991de86cad5fac7');
    expect(actionHash(action, 1234567890, vault, 1234567890)).toBe('0x2d62412aa0fc57441b5189841d81554a6a9680bf07204e1454983a9ca44f0744');
    const hash = actionHash(action, 1234567890, null);
    expect(sign(TS_KEY, l1TypedData(hash, true))).toEqual({
      r: '0x61078d8ffa3cb591de045438a1ae2ed299b271891d1943a33901e7cfb3a31ed8',
      s: '0x0e91df4f9841641d3322dad8d932874b74d7e082cdb5b533f804964a6963aef9',
      v: 28,
    });
  });
});

describe('Hyperliquid user-signed actions', () => {
  it('usdSend and withdraw on testnet match the Python SDK', () => {
    const action = { signatureChainId: '0x66eee', hyperliquidChain: 'Testnet', destination: '0x5e9ee1089755c3435139848e47e6635505d5a13a', amount: '1', time: 1687816341423 };
    expect(sign(PY_KEY, userSignedTypedData('usdSend', action))).toEqual({
      r: '0x637b37dd731507cdd24f46532ca8ba6eec616952c56218baeff04144e4a77073',
      s: '0x11a6a24900e6e314136d2592e2f8d502cd89b7c15b198e1bee043c9589f9fad7',
      v: 27,
    });
    expect(sign(PY_KEY, userSignedTypedData('withdraw3', action))).toEqual({
      r: '0x8363524c799e90ce9bc41022f7c39b4e9bdba786e5f9c72b20e43e1462c37cf9',
      s: '0x58b1411a775938b83e29182e8ef74975f9054c8e97ebf5ec2dc8d51bfc893881',
      v: 28,
    });
  });

  it('usdSend on mainnet matches the TypeScript SDK', () => {
    const action = { signatureChainId: '0x66eee', hyperliquidChain: 'Mainnet', destination: '0x1234567890123456789012345678901234567890', amount: '1000', time: 1234567890 };
    expect(sign(TS_KEY, userSignedTypedData('usdSend', action))).toEqual({
      r: '0xf777c38efe7c24cc71209526ae608f4e384d0586edf578f0e97b4b9f7c7adcc6',
      s: '0x104a4a97c48ae77bf5bd777bdd45fe72d8f5ff29116b5ff64fd8cfe4ea610786',
      v: 28,
    });
  });

  it('approveAgent recovers to the master; a changed field recovers to someone else', () => {
    const master = new Wallet(PY_KEY);
    const action = { type: 'approveAgent', signatureChainId: '0x66eee', hyperliquidChain: 'Mainnet', agentAddress: '0x5e9ee1089755c3435139848e47e6635505d5a13a', agentName: 'hedger', nonce: 1737000000000 };
    const sig = sign(PY_KEY, userSignedTypedData('approveAgent', action));
    expect(recoverSigner(userSignedTypedData('approveAgent', action), sig)).toBe(master.address.toLowerCase());
    const tampered = { ...action, agentAddress: '0x1d9470d4b963f552e6f671a81619d395877bf409' };
    expect(recoverSigner(userSignedTypedData('approveAgent', tampered), sig)).not.toBe(master.address.toLowerCase());
  });

  it('recovers signatures whose r was sent without leading zeros (Python SDK form)', () => {
    const hash = actionHash({ type: 'dummy', num: 100000000000 }, 0, null);
    const td = l1TypedData(hash, true);
    const short = { r: '0x53749d5b30552aeb2fca34b530185976545bb22d0b3ce6f62e31be961a59298', s: '0x755c40ba9bf05223521753995abb2f73ab3229be8ec921f350cb447e384d8ed8', v: 27 };
    expect(recoverSigner(td, short)).toBe(new Wallet(PY_KEY).address.toLowerCase());
  });
});
