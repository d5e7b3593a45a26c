import type { AccountSummary, LadderMargin, LadderMarker } from '../../../shared/domain/portfolio.ts';
import { shortAddress } from '../../../shared/format/address.ts';
import { aaveMarginModel, deribitMarginModel, deriveMarginModel, hyperliquidMarginModel, ladderMargins, type AaveMarginInput, type DeriveMarginLeg, type HyperliquidMarginLeg, type MarginCallLevels, type MarginModel } from '../risk/ladder-margin.ts';
import type { DeribitLeg } from '../risk/deribit-margin.ts';
import type { PricedPosition } from './position-risk.ts';

/** How long one ladder's margin columns stand while nothing they depend on changed, ms. */
const MARGIN_REFRESH_MS = 1_000;

export interface LadderMarginSources {
  /** Deribit account summaries (one per currency, "… BTC"). */
  deribit: readonly AccountSummary[];
  /** Derive subaccount summaries (value and the venue's requirement). */
  derive?: readonly AccountSummary[];
  /** Aave accounts holding or owing something that moves with the underlying. */
  aave: readonly AaveMarginInput[];
  levels: MarginCallLevels;
}

/** A Deribit currency account's legs in the risk engine's terms (what its standard margin revalues). */
export function deribitLegs(priced: readonly PricedPosition[], currency: string): DeribitLeg[] {
  return priced.filter((p) => p.row.def.source === 'deribit' && p.row.def.underlying === currency && p.input !== null).map((p) => ({ input: { ...p.input!, underlying: currency } }));
}

/**
 * The margin columns of each ladder: every account with positions in the underlying, revalued at
 * every row. Deribit's standard margin reprices the options at each row, which is too much for
 * every frame with a large book, so a ladder's columns are redone when the rows, the positions
 * or an account read change, else at most once a second.
 */
export class LadderMarginCache {
  private readonly cache = new Map<string, { key: string; at: number; out: { margins: LadderMargin[]; markers: LadderMarker[] } }>();

  forLadder(underlying: string, priced: readonly PricedPosition[], prices: Float64Array, spot: number, now: number, sources: LadderMarginSources): { margins: LadderMargin[]; markers: LadderMarker[] } {
    const mine = priced.filter((p) => p.row.def.underlying === underlying && p.row.def.source !== 'what-if' && p.input !== null);
    const deribit = sources.deribit.filter((s) => s.account.split(' ').at(-1) === underlying && s.equityUsd !== null && !s.error);
    const key = [
      prices[0],
      prices.length,
      prices[1],
      JSON.stringify(sources.levels),
      ...mine.map((p) => `${p.row.def.id}:${p.row.def.quantity}`),
      ...deribit.map((s) => s.updatedAt),
      ...(sources.derive ?? []).map((s) => s.updatedAt),
      ...sources.aave.map((a) => a.reserves.map((r) => `${r.suppliedUsd}/${r.borrowedUsd}`).join(',')),
      ...mine.map((p) => (p.row.def.type !== 'option' && p.row.def.perp ? p.row.def.perp.equity : '')),
    ].join('|');
    const hit = this.cache.get(underlying);
    if (hit && hit.key === key && now - hit.at < MARGIN_REFRESH_MS) return hit.out;
    const models = this.models(underlying, mine, deribit, sources.aave, spot, now);
    models.push(...deriveModels(mine, sources.derive ?? [], spot, now));
    const out = ladderMargins(models, prices, spot, sources.levels);
    this.cache.set(underlying, { key, at: now, out });
    return out;
  }

  private models(underlying: string, mine: PricedPosition[], deribit: AccountSummary[], aave: readonly AaveMarginInput[], spot: number, now: number): MarginModel[] {
    const models: MarginModel[] = [];
    for (const s of deribit) {
      const legs = deribitLegs(mine, underlying);
      if (legs.length) models.push(deribitMarginModel(s.account, underlying, legs, s.equityUsd! / spot, spot, now));
    }
    // Hyperliquid: one column per cross account, one per isolated position.
    const cross = new Map<string, HyperliquidMarginLeg[]>();
    for (const p of mine) {
      const d = p.row.def;
      if (d.source !== 'hyperliquid' || d.type === 'option' || !d.perp || p.input?.type !== 'perp') continue;
      const leg: HyperliquidMarginLeg = { quantity: d.quantity, mark: p.input.mark, maxLeverage: d.perp.maxLeverage, equity: d.perp.equity, markAtUpdate: d.perp.markAtUpdate, otherMaintenance: d.perp.otherMaintenance };
      if (d.perp.leverage.type === 'isolated') models.push(hyperliquidMarginModel(d.account, `HL ${shortAddress(d.account)} iso`, [leg], spot));
      else cross.set(d.account, [...(cross.get(d.account) ?? []), leg]);
    }
    for (const [account, legs] of cross) models.push(hyperliquidMarginModel(account, `HL ${shortAddress(account)}`, legs, spot));
    for (const a of aave) models.push(aaveMarginModel(a, `Aave ${shortAddress(a.account)}`, spot));
    return models;
  }
}

/** A Derive subaccount's column: its options in the underlying and the venue's value and requirement now. */
function deriveModels(mine: readonly PricedPosition[], summaries: readonly AccountSummary[], spot: number, now: number): MarginModel[] {
  const out: MarginModel[] = [];
  for (const s of summaries) {
    if (s.error || s.equityUsd === null || s.maintenanceUsd === null) continue;
    const legs: DeriveMarginLeg[] = [];
    for (const p of mine) {
      if (p.row.def.source !== 'derive' || p.row.def.account !== s.account || p.input?.type !== 'option') continue;
      legs.push({ input: { ...p.input, underlying: p.row.def.underlying }, forward: p.input.forward ?? spot });
    }
    if (legs.length) out.push(deriveMarginModel(s.account, `Derive ${s.account.split('/')[0]}`, legs, s.equityUsd, s.maintenanceUsd, spot, now));
  }
  return out;
}
