import { describe, expect, it } from 'vitest';
import { normaliseClearinghouse, wireClearinghouseState } from '../../../electron/venues/hyperliquid/account.ts';

/** The documented `clearinghouseState` answer (venues.md §1.3). */
const DOC = {
  assetPositions: [
    {
      type: 'oneWay',
      position: {
        coin: 'ETH',
        szi: '0.0335',
        entryPx: '2986.3',
        leverage: { type: 'isolated', value: 20, rawUsd: '-95.059824' },
        liquidationPx: '2866.26936529',
        marginUsed: '4.967826',
        maxLeverage: 50,
        positionValue: '100.02765',
        returnOnEquity: '-0.0026789',
        unrealizedPnl: '-0.0134',
        cumFunding: { allTime: '514.085417', sinceChange: '0.0', sinceOpen: '0.0' },
      },
    },
  ],
  crossMaintenanceMarginUsed: '0.0',
  crossMarginSummary: { accountValue: '13104.514502', totalMarginUsed: '0.0', totalNtlPos: '0.0', totalRawUsd: '13104.514502' },
  marginSummary: { accountValue: '13109.482328', totalMarginUsed: '4.967826', totalNtlPos: '100.02765', totalRawUsd: '13009.454678' },
  time: 1708622398623,
  withdrawable: '13104.514502',
};

describe('Hyperliquid clearinghouseState', () => {
  it('normalises the documented answer: size, entry, leverage, margin, liquidation, funding', () => {
    const acct = normaliseClearinghouse('0xabc', wireClearinghouseState.parse(DOC), 1);
    expect(acct.positions).toHaveLength(1);
    expect(acct.positions[0]).toMatchObject({ id: 'hyperliquid:0xabc:ETH-PERP', underlying: 'ETH', type: 'perp', quantity: 0.0335, entryPrice: 2986.3 });
    expect(acct.positions[0]!.perp).toMatchObject({ leverage: { type: 'isolated', value: 20 }, maxLeverage: 50, marginUsed: 4.967826, liquidationPx: 2866.26936529, equity: 4.967826 });
    expect(acct.positions[0]!.perp!.markAtUpdate).toBeCloseTo(100.02765 / 0.0335, 9);
    expect(acct.summary).toMatchObject({ equityUsd: 13109.482328, marginUsedUsd: 4.967826 });
  });

  it('accepts a null liquidation price and refuses numbers where the venue sends decimal strings', () => {
    const nullLiq = structuredClone(DOC);
    (nullLiq.assetPositions[0]!.position as { liquidationPx: string | null }).liquidationPx = null;
    expect(normaliseClearinghouse('0xabc', wireClearinghouseState.parse(nullLiq), 1).positions[0]!.perp!.liquidationPx).toBeNull();
    const numeric = structuredClone(DOC) as unknown as { assetPositions: { position: { szi: unknown } }[] };
    numeric.assetPositions[0]!.position.szi = 0.0335;
    const r = wireClearinghouseState.safeParse(numeric);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path.join('.')).toBe('assetPositions.0.position.szi');
  });
});
