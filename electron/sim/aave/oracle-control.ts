import type { PaperAave } from './paper-aave.ts';

/*
 * The paper Aave oracle under test control, on the simulator's control endpoint:
 *   { "fault": "aaveOracle", "asset": "WETH" | "USDC", "usd": 2100, "holdMs": 30000 }
 * sets that reserve's oracle price now (answered once it is mined) and keeps the WETH oracle from
 * following the spot for holdMs: a depeg, a frozen feed or a crash as the chain would show it.
 */
export function aaveOracleControl(aave: () => PaperAave | null): (value: unknown) => (() => Promise<void>) | string | null {
  return (value) => {
    if (typeof value !== 'object' || value === null || (value as { fault?: unknown }).fault !== 'aaveOracle') return null;
    const { asset, usd, holdMs = 0 } = value as { asset?: unknown; usd?: unknown; holdMs?: unknown };
    if (asset !== 'WETH' && asset !== 'USDC') return 'asset: expected WETH or USDC';
    if (typeof usd !== 'number' || !Number.isFinite(usd) || usd <= 0 || usd > 10_000_000) return 'usd: expected a price above 0 and at most 10,000,000';
    if (typeof holdMs !== 'number' || !Number.isFinite(holdMs) || holdMs < 0 || holdMs > 3_600_000) return 'holdMs: expected 0..3,600,000';
    const market = aave();
    if (!market) return 'the paper Aave market is not running (started with --no-paper-aave, or it could not start)';
    return () => market.setPrice(asset, usd, holdMs);
  };
}
