import { z } from 'zod';
import type { AccountSummary, LinearPositionDef } from '../../../shared/domain/portfolio.ts';

/** Hyperliquid margin figures arrive as decimal strings (venues.md §1.3). */
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string');
const marginSummary = z.object({ accountValue: decimal, totalMarginUsed: decimal, totalNtlPos: decimal, totalRawUsd: decimal });

export const wireClearinghouseState = z.object({
  assetPositions: z.array(
    z.object({
      type: z.string(),
      position: z.object({
        coin: z.string().min(1),
        szi: decimal,
        entryPx: decimal.nullable(),
        leverage: z.union([
          z.object({ type: z.literal('cross'), value: z.number().positive() }),
          z.object({ type: z.literal('isolated'), value: z.number().positive(), rawUsd: decimal }),
        ]),
        liquidationPx: decimal.nullable(),
        marginUsed: decimal,
        maxLeverage: z.number().positive(),
        positionValue: decimal,
        unrealizedPnl: decimal,
        cumFunding: z.object({ allTime: decimal, sinceChange: decimal, sinceOpen: decimal }),
      }),
    }),
  ),
  crossMaintenanceMarginUsed: decimal,
  crossMarginSummary: marginSummary,
  marginSummary,
  time: z.number().int().nonnegative(),
  withdrawable: decimal,
});
export type WireClearinghouseState = z.infer<typeof wireClearinghouseState>;

/** The `clearinghouseState` WebSocket feed wraps the same object. */
export const wireClearinghouseFrame = z.object({ user: z.string(), dex: z.string().optional(), clearinghouseState: wireClearinghouseState });

export interface PerpAccount {
  address: string;
  positions: LinearPositionDef[];
  summary: AccountSummary;
  /** The venue's time of this state, ms: fills at or before it are already in it. */
  venueTime?: number;
}

/**
 * One account's perps in our terms. Numbers here feed risk and display, never a signature, so
 * Number() on the venue's decimals is enough. For the model liquidation price the equity is the
 * cross account value (or the isolated position's own margin), and the other cross positions'
 * maintenance is held fixed, which is how the venue computes it.
 */
export function normaliseClearinghouse(address: string, wire: WireClearinghouseState, receivedAt: number): PerpAccount {
  const crossValue = Number(wire.crossMarginSummary.accountValue);
  const crossMaintenance = Number(wire.crossMaintenanceMarginUsed);
  const positions: LinearPositionDef[] = [];
  for (const { position: p } of wire.assetPositions) {
    const quantity = Number(p.szi);
    if (quantity === 0) continue;
    const value = Number(p.positionValue);
    const isolated = p.leverage.type === 'isolated';
    const ownMaintenance = value / (2 * p.maxLeverage);
    positions.push({
      id: `hyperliquid:${address}:${p.coin}-PERP`,
      source: 'hyperliquid',
      account: address,
      underlying: p.coin,
      instrument: `${p.coin}-PERP`,
      type: 'perp',
      quantity,
      entryPrice: p.entryPx === null ? NaN : Number(p.entryPx),
      perp: {
        leverage: { type: p.leverage.type, value: p.leverage.value },
        maxLeverage: p.maxLeverage,
        marginUsed: Number(p.marginUsed),
        liquidationPx: p.liquidationPx === null ? null : Number(p.liquidationPx),
        fundingSinceOpen: Number(p.cumFunding.sinceOpen),
        unrealizedPnl: Number(p.unrealizedPnl),
        equity: isolated ? Number(p.marginUsed) : crossValue,
        markAtUpdate: value / Math.abs(quantity),
        otherMaintenance: isolated ? 0 : Math.max(0, crossMaintenance - ownMaintenance),
      },
    });
  }
  return {
    address,
    venueTime: wire.time,
    positions,
    summary: {
      source: 'hyperliquid',
      account: address,
      equityUsd: Number(wire.marginSummary.accountValue),
      marginUsedUsd: Number(wire.marginSummary.totalMarginUsed),
      maintenanceUsd: crossMaintenance,
      marginEquityUsd: crossValue,
      updatedAt: receivedAt,
      error: null,
    },
  };
}
