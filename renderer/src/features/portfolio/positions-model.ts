import { groupBy } from '../../../../shared/collections.ts';
import type { PositionRow, UnderlyingTotals } from '../../../../shared/domain/portfolio.ts';

export type SortKey = 'instrument' | 'quantity' | 'delta' | 'gamma' | 'vega' | 'theta' | 'pnl' | 'liq';

export const SORT_VALUE: Record<SortKey, (r: PositionRow) => number | string> = {
  instrument: (r) => r.def.instrument,
  quantity: (r) => r.def.quantity,
  delta: (r) => r.greeks.deltaCoin,
  gamma: (r) => r.greeks.gammaUsdPer1Pct,
  vega: (r) => r.greeks.vegaUsd,
  theta: (r) => r.greeks.thetaUsd,
  pnl: (r) => r.pnlUsd ?? -Infinity,
  liq: (r) => (r.liquidation?.distancePct === null || r.liquidation?.distancePct === undefined ? Infinity : Math.abs(r.liquidation.distancePct)),
};

export interface PositionGroup {
  underlying: string;
  totals: UnderlyingTotals | undefined;
  /** Perps and futures first, then options by expiry. */
  buckets: { label: string; expiry: number | null; rows: PositionRow[] }[];
}

/** Grouped by underlying, then by expiry; rows sorted within each group by the chosen column. */
export function groupPositions(rows: PositionRow[], totals: UnderlyingTotals[], sort: { key: SortKey; dir: 1 | -1 }): PositionGroup[] {
  const by = groupBy(rows, (r) => r.def.underlying);
  const cmp = (a: PositionRow, b: PositionRow): number => {
    const x = SORT_VALUE[sort.key](a);
    const y = SORT_VALUE[sort.key](b);
    return (typeof x === 'string' ? x.localeCompare(y as string) : x - (y as number)) * sort.dir;
  };
  return [...by.keys()].sort().map((underlying) => {
    const list = by.get(underlying)!;
    const expiries = [...new Set(list.flatMap((r) => (r.def.type === 'option' ? [r.def.expiry] : [])))].sort((a, b) => a - b);
    const linear = list.filter((r) => r.def.type !== 'option');
    return {
      underlying,
      totals: totals.find((t) => t.underlying === underlying),
      buckets: [
        ...(linear.length ? [{ label: 'Perps & futures', expiry: null, rows: linear.sort(cmp) }] : []),
        ...expiries.map((e) => ({ label: new Date(e).toISOString().slice(0, 10), expiry: e, rows: list.filter((r) => r.def.type === 'option' && r.def.expiry === e).sort(cmp) })),
      ],
    };
  });
}
